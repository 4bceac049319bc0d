using Kizuna.Simulation.Scenario;

namespace Kizuna.Simulation.Sensors;

/// <summary>Checks a <see cref="SensorDefinition"/> before a model is built; throws <see cref="ArgumentException"/> naming the sensor and the field.</summary>
internal static class SensorValidation
{
    public static void ValidateCommon(SensorDefinition d)
    {
        Require(d, double.IsFinite(d.RevisitPeriod) && d.RevisitPeriod > 0, "RevisitPeriod must be finite and > 0");
        Require(d, double.IsFinite(d.MaxRange) && d.MaxRange > 0, "MaxRange must be finite and > 0");
        Require(d, double.IsFinite(d.AntennaHeight), "AntennaHeight must be finite");
        if (d.FixedDetectionProbability is { } pd)
        {
            Require(d, pd is >= 0 and <= 1, "FixedDetectionProbability must lie in [0, 1]");
        }
    }

    public static void ValidateRadar(SensorDefinition d)
    {
        Require(d, d.MinElevation <= d.MaxElevation, "MinElevation must not exceed MaxElevation");
        Require(d, d.MinElevation >= -Math.PI / 2 && d.MaxElevation <= Math.PI / 2, "elevation limits must lie in [-π/2, π/2]");
        Require(d, d.RangeSigma >= 0 && d.AzimuthSigma >= 0 && d.ElevationSigma >= 0, "noise sigmas must be >= 0");
        Require(d, double.IsFinite(d.ReferenceRange) && d.ReferenceRange > 0, "ReferenceRange must be finite and > 0");
        Require(d, double.IsFinite(d.ReferenceRcs) && d.ReferenceRcs > 0, "ReferenceRcs must be finite and > 0");
        Require(d, double.IsFinite(d.ReferenceSnrDb), "ReferenceSnrDb must be finite");
        Require(d, d.FalseAlarmProbability is > 0 and < 1, "FalseAlarmProbability must lie in (0, 1)");
        Require(d, double.IsFinite(d.ClutterPerScan) && d.ClutterPerScan >= 0, "ClutterPerScan must be finite and >= 0");
        if (d.RangeRateSigma is { } rateSigma)
        {
            Require(d, double.IsFinite(rateSigma) && rateSigma > 0, "RangeRateSigma must be finite and > 0 (absent = no Doppler)");
        }

        Require(d, double.IsFinite(d.UnambiguousRangeRate) && d.UnambiguousRangeRate > 0, "UnambiguousRangeRate must be finite and > 0");
    }

    public static void Require(SensorDefinition d, bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"Sensor '{d.Id}': {message}.", nameof(d));
        }
    }
}
