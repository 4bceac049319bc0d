using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Network.Messages;
using Kizuna.Network.Wire;

namespace Kizuna.Network.Sharing;

/// <summary>The outcome of one release decision.</summary>
/// <param name="IsAllowed">True when the message may go to the destination.</param>
/// <param name="Released">The copy to send (degraded per the agreement); null when refused.</param>
/// <param name="Reason">Why refused, or which degradations were applied.</param>
public readonly record struct ReleaseDecision(bool IsAllowed, ICoalitionMessage? Released, string Reason)
{
    /// <summary>Allowed, with the copy to send.</summary>
    public static ReleaseDecision Allowed(ICoalitionMessage released, string reason) => new(true, released, reason);

    /// <summary>Refused.</summary>
    public static ReleaseDecision Refused(string reason) => new(false, null, reason);
}

/// <summary>
/// Decides, per message and destination nation, whether a message may be released and in what
/// degraded form. Default deny; every decision is written to the <see cref="IReleaseAuditLog"/>.
/// Thread-safe.
/// </summary>
/// <remarks>
/// <para>Rules, in order (the first that fails refuses): (1) the destination is not the sender;
/// (2) the marking releases to the destination (<see cref="Marking.IsReleasableTo"/>); (3) an
/// agreement sender → destination exists; (4) when the sender forwards another nation's data
/// (marking originator ≠ sender, destination ≠ originator), the originator's agreement with the
/// sender names the destination in <c>forward_to</c>; (5) the agreement allows the message's
/// category; (6) the classification of the <i>degraded copy</i>, by the originator's
/// <see cref="ClassificationGuide"/> (classification by content), does not exceed the agreement's
/// maximum. The copy is marked at that level (sanitisation by the releasing node, stated in the
/// audit reason).</para>
/// <para>Degradations of an allowed copy: positions rounded to the agreement's grid q, with q²/12
/// added to each variance (uniform quantisation noise, Widrow &amp; Kollár 2008 §4.3); identities
/// (ICAO address, affiliation, civil-aircraft kind) removed; sensor ids replaced by stable per-receiver
/// pseudonyms ("JPN-S1") in detections and removed from tracks; sensor sites withheld, in which case a
/// radar plot is released as a converted ECEF position z = site + Rᵀ·enu(r, az, el) with covariance
/// Rᵀ J R_z Jᵀ R (Bar-Shalom, Li, Kirubarajan 2001 §10.4.3) and an angles-only plot, which has no
/// meaning without its site, is dropped from the batch.</para>
/// <para>Track numbers: towards a receiver whose agreement says <see cref="TrackNumberRelease.Alias"/>, every
/// number a copy carries (report, notice, alert or engagement threat) is replaced by the receiver's alias
/// (<see cref="TrackNumberGateway"/>), R2 takeover notices are withheld, and the copy's releasable-to set is
/// cut to the receiver and the originator's <c>forward_to</c> towards it; from such a receiver, aliases are
/// resolved back to coalition numbers. The mapping is part of the audited reason.</para>
/// </remarks>
public sealed class ReleasePolicy
{
    private readonly SharingAgreements _agreements;
    private readonly IReleaseAuditLog _audit;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<(Nation To, string SensorId), string> _pseudonyms = new();
    private readonly ConcurrentDictionary<(Nation To, Nation Owner), int> _pseudonymCounts = new();
    private readonly ConcurrentDictionary<(Marking Marking, Nation To), Marking> _trimmed = new();
    private readonly ConcurrentDictionary<(string Prefix, Nation To, bool ToAlias, int From, int Mapped), string> _reasons = new();

    /// <summary>Creates a policy over <paramref name="agreements"/>.</summary>
    /// <param name="agreements">The agreements in force.</param>
    /// <param name="audit">Where every decision is recorded.</param>
    /// <param name="clock">Time source for the audit lines (simulation or system clock).</param>
    public ReleasePolicy(SharingAgreements agreements, IReleaseAuditLog audit, TimeProvider clock)
    {
        _agreements = agreements ?? throw new ArgumentNullException(nameof(agreements));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    /// <summary>The agreements this policy applies.</summary>
    public SharingAgreements Agreements => _agreements;

    /// <summary>Decides whether <paramref name="message"/>, sent by <paramref name="sender"/>, may go to <paramref name="destination"/>, and records the decision.</summary>
    public ReleaseDecision Decide(Nation sender, Nation destination, ICoalitionMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var type = MessageTypes.Of(message);
        var decision = DecideCore(sender, destination, message, type);
        _audit.Record(new ReleaseAuditEntry(_clock.GetUtcNow().UtcDateTime, sender, destination, message.Marking.Originator, type, decision.IsAllowed, decision.Reason));
        return decision;
    }

    private ReleaseDecision DecideCore(Nation sender, Nation destination, ICoalitionMessage message, MessageType type)
    {
        var marking = message.Marking;
        if (destination == sender)
        {
            return ReleaseDecision.Refused("destination is the sender");
        }

        if (!marking.IsReleasableTo(destination))
        {
            return ReleaseDecision.Refused(Text($"marking {marking} does not release to {destination}"));
        }

        if (!_agreements.TryGet(sender, destination, out var agreement))
        {
            return ReleaseDecision.Refused(Text($"no sharing agreement {sender} -> {destination} (default deny)"));
        }

        var originator = marking.Originator;
        if (originator != sender && originator != destination)
        {
            if (!_agreements.TryGet(originator, sender, out var upstream) || !upstream.ForwardTo.Contains(destination))
            {
                return ReleaseDecision.Refused(Text($"{sender} may not forward {originator} data to {destination} (not in {originator} -> {sender} forward_to)"));
            }
        }

        var required = SharingAgreement.RequiredFor(type);
        if (!agreement.Allows(required))
        {
            return ReleaseDecision.Refused(Text($"agreement {sender} -> {destination} does not release {MessageTypes.SubjectToken(type)}"));
        }

        // Classification by content: the copy, degraded for this receiver, is classified with the
        // originator's guide; the agreement's maximum applies to the copy (ClassificationGuide).
        var content = ReleasedContent.Under(agreement, type);
        var level = _agreements.GuideOf(originator).LevelOfCopy(marking.Classification, content);
        if (level > agreement.MaxClassification)
        {
            return ReleaseDecision.Refused(Text($"{Banner(level)} ({Describe(content)}, {originator} guide) exceeds the {sender} -> {destination} maximum {Banner(agreement.MaxClassification)}"));
        }

        var sanitised = level < marking.Classification
            ? Text($"; sanitised {Banner(marking.Classification)} -> {Banner(level)} ({Describe(content)}, {originator} guide)")
            : string.Empty;
        var copyMarking = level < marking.Classification ? new Marking(level, originator, marking.ReleasableTo) : marking;
        var gateway = _agreements.Gateway;
        if (gateway is not null && type != MessageType.DetectionBatch
            && (agreement.TrackNumbers == TrackNumberRelease.Alias || gateway.Aliases(sender)))
        {
            var through = ReleaseThroughGateway(gateway, sender, destination, message, agreement, copyMarking, sanitised);
            if (through is { } decided)
            {
                return decided;
            }
        }

        switch (message)
        {
            case DetectionBatch b:
                var batch = DegradeBatch(b, agreement);
                return copyMarking == marking || batch.Released is not DetectionBatch db
                    ? batch
                    : ReleaseDecision.Allowed(db with { Marking = copyMarking }, batch.Reason + sanitised);
            case TrackReport t:
                return ReleaseDecision.Allowed(DegradeTrack(t, agreement, t.Number, copyMarking == marking ? t.Marking : copyMarking), agreement.Degradations + sanitised);
            case TrackNumberNotice n:
                return ReleaseDecision.Allowed(copyMarking == marking ? n : n with { Marking = copyMarking }, "released as is" + sanitised);
            default:
                return ReleaseDecision.Allowed(message, "released as is");
        }
    }

    /// <summary>
    /// The release of a message carrying track numbers through the receiver-facing gateway: numbers
    /// sent by an aliased nation are resolved to coalition numbers, numbers sent to an aliased
    /// nation are mapped to its aliases (<see cref="TrackNumberGateway"/>); R2 takeovers are internal
    /// to the coalition and withheld from an aliased receiver; the copy's releasable-to set is cut to
    /// what the receiver needs (itself and the originator's <c>forward_to</c> towards it), so that
    /// it does not describe the coalition's internal sharing either. Null when nothing changes (a
    /// message from an aliased nation without aliases in it): the ordinary release applies.
    /// </summary>
    private ReleaseDecision? ReleaseThroughGateway(TrackNumberGateway gateway, Nation sender, Nation destination, ICoalitionMessage message,
        SharingAgreement agreement, Marking copyMarking, string sanitised)
    {
        var toAlias = agreement.TrackNumbers == TrackNumberRelease.Alias;
        var marking = toAlias ? Trim(copyMarking, destination) : copyMarking;
        switch (message)
        {
            case TrackReport t:
            {
                if (!TryMap(gateway, sender, destination, toAlias, t.Number, out var number))
                {
                    return Unmapped(sender, destination, toAlias, t.Number);
                }

                if (!toAlias && number == t.Number)
                {
                    return null;
                }

                return ReleaseDecision.Allowed(DegradeTrack(t, agreement, number, marking), Reason(agreement.Degradations + sanitised, destination, toAlias, t.Number, number));
            }

            case TrackNumberNotice n:
            {
                if (toAlias && n.Kind == TrackNumberNoticeKind.Takeover)
                {
                    return ReleaseDecision.Refused(Text($"reporting-responsibility takeover withheld from {destination} (aliased receiver: R2 is internal to the coalition)"));
                }

                if (!TryMap(gateway, sender, destination, toAlias, n.Kept, out var kept))
                {
                    return Unmapped(sender, destination, toAlias, n.Kept);
                }

                if (!TryMap(gateway, sender, destination, toAlias, n.Retired, out var retired))
                {
                    return Unmapped(sender, destination, toAlias, n.Retired);
                }

                if (!toAlias && kept == n.Kept && retired == n.Retired)
                {
                    return null;
                }

                return ReleaseDecision.Allowed(n with { Kept = kept, Retired = retired, Marking = marking },
                    Reason(Reason("released as is" + sanitised, destination, toAlias, n.Kept, kept), destination, toAlias, n.Retired, retired));
            }

            case AlertMessage al:
                if (!TryMap(gateway, sender, destination, toAlias, al.Alert.Threat, out var alertThreat))
                {
                    return Unmapped(sender, destination, toAlias, al.Alert.Threat);
                }

                return !toAlias && alertThreat == al.Alert.Threat
                    ? null
                    : ReleaseDecision.Allowed(new AlertMessage(al.Alert with { Threat = alertThreat, Marking = toAlias ? Trim(al.Marking, destination) : al.Marking }),
                        Reason("released as is", destination, toAlias, al.Alert.Threat, alertThreat));
            case EngagementMessage e:
                if (!TryMap(gateway, sender, destination, toAlias, e.Engagement.Threat, out var engagementThreat))
                {
                    return Unmapped(sender, destination, toAlias, e.Engagement.Threat);
                }

                return !toAlias && engagementThreat == e.Engagement.Threat
                    ? null
                    : ReleaseDecision.Allowed(new EngagementMessage(e.Engagement with { Threat = engagementThreat, Marking = toAlias ? Trim(e.Marking, destination) : e.Marking }),
                        Reason("released as is", destination, toAlias, e.Engagement.Threat, engagementThreat));
            default:
                return null;
        }
    }

    /// <summary>Resolves an aliased sender's number, then aliases it for an aliased destination; false when either has no mapping.</summary>
    private static bool TryMap(TrackNumberGateway gateway, Nation sender, Nation destination, bool toAlias, TrackNumber n, out TrackNumber mapped)
    {
        mapped = n;
        if (!n.IsAssigned)
        {
            return true;
        }

        if (gateway.Aliases(sender) && !gateway.TryResolve(sender, n, out mapped))
        {
            return false;
        }

        return !toAlias || gateway.TryAlias(destination, mapped, out mapped);
    }

    private static ReleaseDecision Unmapped(Nation sender, Nation destination, bool toAlias, TrackNumber n) => ReleaseDecision.Refused(toAlias
        ? Text($"track number {n} has no alias for {destination} (it lies in the gateway's alias block)")
        : Text($"track number {n} from {sender} is not one of its aliases"));

    /// <summary>
    /// <paramref name="prefix"/> followed by the audit text of one mapped number, e.g. "…; track number 10023 -> 61234 (GBR alias)";
    /// the prefix itself when the number is unchanged. Cached, so an aliased copy costs no reason string after the first.
    /// </summary>
    private string Reason(string prefix, Nation destination, bool toAlias, TrackNumber from, TrackNumber to) =>
        from == to ? prefix : _reasons.GetOrAdd((prefix, destination, toAlias, from.Value, to.Value), static k => k.ToAlias
            ? Text($"{k.Prefix}; track number {new TrackNumber(k.From)} -> {new TrackNumber(k.Mapped)} ({k.To} alias)")
            : Text($"{k.Prefix}; track number {new TrackNumber(k.From)} -> {new TrackNumber(k.Mapped)} (coalition number)"));

    /// <summary>
    /// The marking an aliased receiver gets: releasable-to cut to the receiver and the nations the
    /// originator lets it forward to (all the receiver's own release rules can use), so the list does not
    /// reveal which other coalition nations the data was derived with or may go to.
    /// </summary>
    private Marking Trim(Marking m, Nation destination) =>
        _trimmed.GetOrAdd((m, destination), static (key, agreements) =>
        {
            var (m, destination) = key;
            var keep = agreements.TryGet(m.Originator, destination, out var onward) ? onward.ForwardTo.Add(destination) : [destination];
            var set = m.ReleasableTo.Intersect(keep);
            return set.Count == m.ReleasableTo.Count ? m : new Marking(m.Classification, m.Originator, set);
        }, _agreements);

    /// <summary>
    /// Whether a message of <paramref name="type"/> under <paramref name="marking"/> sent by
    /// <paramref name="sender"/> would be released to <paramref name="destination"/> (rules 1–6 and the
    /// classification of the degraded copy). A query, not a release: nothing is audited. Used to tell
    /// which pairs of nodes may exchange an object's track (released-pair commonality).
    /// </summary>
    public bool Permits(Nation sender, Nation destination, Marking marking, MessageType type)
    {
        ArgumentNullException.ThrowIfNull(marking);
        if (destination == sender || !marking.IsReleasableTo(destination) || !_agreements.TryGet(sender, destination, out var agreement))
        {
            return false;
        }

        var originator = marking.Originator;
        if (originator != sender && originator != destination
            && (!_agreements.TryGet(originator, sender, out var upstream) || !upstream.ForwardTo.Contains(destination)))
        {
            return false;
        }

        return agreement.Allows(SharingAgreement.RequiredFor(type))
            && _agreements.GuideOf(originator).LevelOfCopy(marking.Classification, ReleasedContent.Under(agreement, type)) <= agreement.MaxClassification;
    }

    private static string Banner(Classification c) => c == Classification.TopSecret ? "TOP SECRET" : c.ToString().ToUpperInvariant();

    private static string Describe(ReleasedContent c) => c.Type switch
    {
        MessageType.DetectionBatch => c.SensorPositions ? "plots with sensor sites" : "plots without sensor sites",
        MessageType.TrackReport when c.SensorIdentities => "track with sensor ids",
        MessageType.TrackReport => c.PositionRoundingM > 0
            ? string.Create(CultureInfo.InvariantCulture, $"track without sensor ids, rounded to {c.PositionRoundingM:0.###} m")
            : "track without sensor ids",
        MessageType.TrackNumberNotice => "track-number notice",
        _ => "content outside the guide",
    };

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private ReleaseDecision DegradeBatch(DetectionBatch batch, SharingAgreement a)
    {
        var q = a.PositionRoundingM;
        var keepIdentity = a.Allows(ShareCategories.Identities);
        var keepSensorIds = a.Allows(ShareCategories.SensorIdentities);
        var keepSites = a.Allows(ShareCategories.SensorPositions);
        if (q == 0 && keepIdentity && keepSensorIds && keepSites)
        {
            return ReleaseDecision.Allowed(batch, a.Degradations);
        }

        var source = batch.Detections.IsDefault ? [] : batch.Detections;
        var output = ImmutableArray.CreateBuilder<Detection>(source.Length);
        var dropped = 0;
        foreach (var d in source)
        {
            var x = d;
            if (!keepSites && !WithholdSite(ref x))
            {
                dropped++;
                continue;
            }

            if (q > 0)
            {
                x = RoundDetection(x, q);
            }

            if (!keepIdentity)
            {
                x = x with { Identity = 0 };
            }

            if (!keepSensorIds)
            {
                x = x with { SensorId = Pseudonym(a.To, x.Nation, x.SensorId) };
            }

            output.Add(x);
        }

        var released = batch with { Detections = output.DrainToImmutable() };
        var reason = dropped == 0
            ? a.Degradations
            : Text($"{a.Degradations}; {dropped} angles-only detection(s) dropped (meaningless without their site)");
        return ReleaseDecision.Allowed(released, reason);
    }

    /// <summary>Removes the sensor site; a radar plot becomes an ECEF position. False when the detection cannot be released without its site.</summary>
    private static bool WithholdSite(ref Detection d)
    {
        switch (d.Kind)
        {
            case MeasurementKind.RangeAzimuthElevation:
                var site = new EnuFrame(d.SensorSite);
                var polar = new RadarPolar(d.Value.X, d.Value.Y, d.Value.Z);
                var converted = CovarianceTransforms.PolarToEcef(site, polar, d.Covariance);
                // The range rate goes too: it is meaningless without the site, and the sensor velocity would reveal the platform's motion.
                d = d with
                {
                    Kind = MeasurementKind.PositionEcef, Value = converted.Position, Covariance = converted.Covariance, SensorSite = default,
                    RangeRate = double.NaN, RangeRateVariance = 0, SensorVelocity = default,
                };
                return true;
            case MeasurementKind.AzimuthElevation:
                return false;
            default:
                d = d with { SensorSite = default, RangeRate = double.NaN, RangeRateVariance = 0, SensorVelocity = default };
                return true;
        }
    }

    private static Detection RoundDetection(Detection d, double q)
    {
        var v = q * q / 12.0;
        switch (d.Kind)
        {
            case MeasurementKind.Cartesian:
            case MeasurementKind.PositionEcef:
                return d with { Value = Round(d.Value, q), Covariance = d.Covariance + Mat3.Diagonal(v, v, v) };
            case MeasurementKind.RangeAzimuthElevation:
            {
                // Cross-range grid of q at range r is an angular step q / r.
                var r = Math.Max(d.Value.X, q);
                var qa = q / r;
                var va = qa * qa / 12.0;
                var value = new Vec3(Round(d.Value.X, q), Round(d.Value.Y, qa), Round(d.Value.Z, qa));
                return d with { Value = value, Covariance = d.Covariance + Mat3.Diagonal(v, va, va) };
            }

            case MeasurementKind.Geodetic:
            {
                // Geodetic values are (φ, λ, h); the covariance is in local ENU metres.
                var (sinLat, cosLat) = Math.SinCos(d.Value.X);
                var (n, m) = Jacobians.RadiiOfCurvature(sinLat);
                var qLat = q / (m + d.Value.Z);
                var qLon = q / Math.Max((n + d.Value.Z) * cosLat, q);
                var value = new Vec3(Round(d.Value.X, qLat), Round(d.Value.Y, qLon), Round(d.Value.Z, q));
                return d with { Value = value, Covariance = d.Covariance + Mat3.Diagonal(v, v, v) };
            }

            default:
                // Angles-only: no position to round.
                return d;
        }
    }

    /// <summary>The degraded copy carrying <paramref name="number"/> and <paramref name="marking"/> (one allocation at most).</summary>
    private static TrackReport DegradeTrack(TrackReport t, SharingAgreement a, TrackNumber number, Marking marking)
    {
        var q = a.PositionRoundingM;
        var keepIdentity = a.Allows(ShareCategories.Identities);
        var dropSensors = !a.Allows(ShareCategories.SensorIdentities) && !t.Sensors.IsDefaultOrEmpty;
        if (q <= 0 && keepIdentity && !dropSensors && number == t.Number && ReferenceEquals(marking, t.Marking))
        {
            return t;
        }

        // One copy with every degradation (the bus calls this per copy: one allocation, not four).
        var v = q > 0 ? q * q / 12.0 : 0;
        return t with
        {
            Number = number,
            Marking = marking,
            PositionEcef = q > 0 ? Round(t.PositionEcef, q) : t.PositionEcef,
            PositionCovariance = q > 0 ? t.PositionCovariance + Mat3.Diagonal(v, v, v) : t.PositionCovariance,
            Identity = keepIdentity ? t.Identity : 0,
            Affiliation = keepIdentity ? t.Affiliation : Affiliation.Pending,
            Kind = keepIdentity || t.Kind != TrackKind.CivilAircraft ? t.Kind : TrackKind.Aircraft,
            Sensors = dropSensors ? [] : t.Sensors,
        };
    }

    private string Pseudonym(Nation to, Nation owner, string sensorId) =>
        _pseudonyms.GetOrAdd((to, sensorId), static (key, arg) =>
        {
            var (self, owner) = arg;
            var n = self._pseudonymCounts.AddOrUpdate((key.To, owner), 1, static (_, c) => c + 1);
            return string.Create(CultureInfo.InvariantCulture, $"{owner}-S{n}");
        }, (this, owner));

    private static Vec3 Round(Vec3 v, double q) => new(Round(v.X, q), Round(v.Y, q), Round(v.Z, q));

    private static double Round(double x, double q) => Math.Round(x / q, MidpointRounding.ToEven) * q;
}
