using System.Text;
using System.Text.Json;
using Kizuna.Cli.Pipeline;
using Kizuna.Simulation.Engine;

namespace Kizuna.Cli.Coalition;

/// <summary>
/// Writes the machine-readable run summary (<c>kizuna demo --summary FILE</c>), schema
/// <c>kizuna.run-summary/1</c> documented in docs/formats.md "Run summary": scenario, exercise,
/// tracking, network and defence figures. NaN figures (nothing to measure) are written as null.
/// </summary>
internal static class DefenceSummary
{
    /// <summary>Schema identifier written in every summary.</summary>
    public const string Schema = "kizuna.run-summary/1";

    /// <summary>Serialises the summary to UTF-8 JSON (deterministic for a seeded run, except <c>exercise.wall_s</c> and <c>tracking.*_ms</c>/<c>tracker_s</c>).</summary>
    public static string ToJson(Simulation.Scenario.ScenarioDefinition scenario, IReadOnlyList<string> without, ExerciseSummary exercise, string truthHash,
        TrackingSink? tracking, CoalitionRun? coalition, DefenceFigures? defence, double siapThreshold)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(exercise);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("schema", Schema);
            w.WriteStartObject("scenario");
            w.WriteString("name", scenario.Name);
            w.WriteNumber("seed", scenario.Seed);
            w.WriteStartArray("nations");
            foreach (var n in scenario.Nations.Order())
            {
                w.WriteStringValue(n.Code);
            }

            w.WriteEndArray();
            w.WriteStartArray("without");
            foreach (var n in without)
            {
                w.WriteStringValue(n);
            }

            w.WriteEndArray();
            w.WriteEndObject();

            w.WriteStartObject("exercise");
            Number(w, "simulated_s", exercise.SimulatedSeconds);
            Number(w, "wall_s", exercise.WallSeconds);
            w.WriteNumber("detections", exercise.Detections);
            w.WriteNumber("false_alarms", exercise.FalseAlarms);
            w.WriteNumber("truth_samples", exercise.TruthSamples);
            w.WriteNumber("events", exercise.Events);
            w.WriteString("truth_sha256", truthHash);
            w.WriteEndObject();

            if (tracking is not null)
            {
                var stats = tracking.Tracker.Statistics;
                var (median, p99) = tracking.LatencyPercentiles();
                var siap = tracking.Siap(siapThreshold);
                w.WriteStartObject("tracking");
                w.WriteNumber("detections_processed", stats.DetectionsProcessed);
                w.WriteNumber("tracks_confirmed", stats.TracksConfirmed);
                Number(w, "tracker_s", tracking.TrackerSeconds);
                Number(w, "step_latency_median_ms", median);
                Number(w, "step_latency_p99_ms", p99);
                Number(w, "siap_threshold_m", siapThreshold);
                Number(w, "siap_completeness", siap.Completeness);
                Number(w, "siap_ambiguity", siap.Ambiguity);
                Number(w, "siap_spuriousness", siap.Spuriousness);
                Number(w, "siap_position_accuracy_m", siap.PositionAccuracy);
                Number(w, "siap_track_number_changes_per_h", siap.RateOfTrackNumberChange * 3600);
                w.WriteEndObject();
            }

            if (coalition is not null)
            {
                var c = coalition.Bus.Counters;
                w.WriteStartObject("network");
                w.WriteNumber("cycles", coalition.Cycles);
                w.WriteNumber("published", c.Published);
                w.WriteNumber("delivered", c.Delivered);
                w.WriteNumber("refused", c.Refused);
                w.WriteStartArray("nodes");
                foreach (var (nation, node) in coalition.Nodes)
                {
                    w.WriteStartObject();
                    w.WriteString("nation", nation.Code);
                    w.WriteNumber("picture_tracks", node.Picture.Length);
                    w.WriteString("reporting_unit", node.ReportingUnit.Code);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            if (defence is not null)
            {
                WriteDefence(w, defence);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteDefence(Utf8JsonWriter w, DefenceFigures d)
    {
        w.WriteStartObject("defence");
        w.WriteString("joint_commander", d.JointCommander.Code);
        Number(w, "decision_delay_s", d.DecisionDelayS);
        w.WriteNumber("threats", d.Threats);
        w.WriteNumber("threats_engaged", d.Engaged);
        w.WriteNumber("interceptors_used", d.InterceptorsUsed);
        w.WriteNumber("interceptors_wasted", d.InterceptorsWasted);
        w.WriteNumber("interceptors_overkill", d.InterceptorsOverkill);
        w.WriteNumber("destroyed", d.Destroyed);
        w.WriteNumber("leakers", d.Leakers);
        w.WriteStartObject("tracks_suppressed");
        foreach (var (reason, count) in d.Suppressed)
        {
            w.WriteNumber(reason, count);
        }

        w.WriteEndObject();
        Number(w, "defended_value_lost", d.DefendedValueLost);
        w.WriteNumber("engagements_recommended", d.Recommended);
        w.WriteNumber("audit_entries", d.AuditEntries);
        w.WriteNumber("refused_actions", d.RefusedActions);
        w.WriteStartArray("raids");
        foreach (var r in d.Raids)
        {
            w.WriteStartObject();
            w.WriteString("raid", r.Raid);
            w.WriteNumber("threats", r.Threats);
            w.WriteNumber("threats_engaged", r.Engaged);
            w.WriteNumber("interceptors_used", r.InterceptorsUsed);
            w.WriteNumber("destroyed", r.Destroyed);
            w.WriteNumber("leakers", r.Leakers);
            Number(w, "defended_value_lost", r.DefendedValueLost);
            Number(w, "decision_latency_median_s", r.DecisionLatencyMedianS);
            Number(w, "decision_latency_max_s", r.DecisionLatencyMaxS);
            w.WriteNumber("decisions", r.Decisions);
            w.WriteStartArray("warning");
            foreach (var x in r.Warning)
            {
                Warning(w, x);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("nations");
        foreach (var n in d.Nations)
        {
            w.WriteStartObject();
            w.WriteString("nation", n.Nation.Code);
            w.WriteNumber("alerts_issued", n.AlertsIssued);
            w.WriteNumber("interceptors_used", n.InterceptorsUsed);
            w.WriteNumber("interceptors_left", n.InterceptorsLeft);
            w.WriteNumber("engagements_approved", n.Approved);
            w.WriteNumber("engagements_pre_delegated", n.PreDelegated);
            Number(w, "decision_latency_median_s", n.DecisionLatencyMedianS);
            Number(w, "value_lost", n.ValueLost);
            w.WritePropertyName("warning");
            Warning(w, n.Warning);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("engaged_tracks");
        foreach (var t in d.EngagedTracks)
        {
            w.WriteStartObject();
            w.WriteString("track", t.Track.ToString());
            w.WriteNumber("rounds", t.Rounds);
            w.WriteString("oracle", t.Oracle);
            w.WriteString("nearest", t.Nearest);
            w.WriteString("nearest_kind", t.NearestKind);
            Number(w, "nearest_m", t.DistanceM);
            Number(w, "speed_ms", t.SpeedMs);
            Number(w, "height_m", t.HeightM);
            w.WriteString("kinds", t.History);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Warning(Utf8JsonWriter w, NationWarning x)
    {
        w.WriteStartObject();
        w.WriteString("nation", x.Nation.Code);
        w.WriteNumber("threats_warned", x.ThreatsWarned);
        Number(w, "min_s", x.MinS);
        Number(w, "median_s", x.MedianS);
        Number(w, "min_before_actual_end_s", x.BeforeActualEndS);
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value))
        {
            w.WriteNumber(name, Math.Round(value, 3));
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
