using System.Globalization;
using Kizuna.Asterix.Cat048;
using Kizuna.Asterix.Detections;
using Kizuna.Asterix.IO;
using Kizuna.Core;
using Kizuna.Core.Geodesy;

namespace Kizuna.Asterix.Tests.IO;

/// <summary>
/// I048/120 judged by Wireshark: plots with range rates (seeded, both signs, the CAL limits, some beyond them) are
/// encoded by <see cref="RadarPlotEncoder"/>, written to a pcap and dissected by tshark, which must find no malformed
/// item or expert warning, the CAL value we sent with D = 0 on every plot whose ṙ fits, and no I048/120 on the others.
/// </summary>
public sealed class TsharkDopplerTests
{
    private const int Port = 8601;

    [Fact]
    public void Tshark_PlotsWithRangeRate_Cat048I120DissectedWithSameCalValue()
    {
        var rng = new Random(120);
        var site = Geodetic.FromDegrees(35.0, 139.0, 40);
        var time = new DateTime(2026, 5, 1, 6, 0, 0, DateTimeKind.Utc);
        List<double> rates = [-512, 511, 0, -1, 1, -237.4, 511.5, -512.5, double.NaN, 2_400];
        for (var i = 0; i < 50; i++)
        {
            rates.Add(Math.Round((rng.NextDouble() * 1_300) - 650, 3));
        }

        var expected = new List<int?>(); // CAL sent, or null when no I048/120
        var path = Path.Combine(Path.GetTempPath(), $"kizuna-doppler-{Environment.ProcessId}.pcap");
        var records = Enumerable.Range(0, 5).Select(_ => new AsterixRecord()).ToArray();
        var buffer = new byte[PcapWriter.MaxPayload];
        var radar = PacketEndpoint.Parse("10.20.30.40:50000");
        var group = PacketEndpoint.Parse("239.255.48.2:8601");
        try
        {
            using (var writer = PcapWriter.Create(File.Create(path)))
            {
                for (var start = 0; start < rates.Count; start += records.Length)
                {
                    var count = Math.Min(records.Length, rates.Count - start);
                    for (var k = 0; k < count; k++)
                    {
                        var rate = rates[start + k];
                        var plot = new Detection(time.AddSeconds(start + k), "r", Nation.Japan, MeasurementKind.RangeAzimuthElevation,
                            new Vec3(20_000 + (1_000 * (start + k)), 0.1 * k, 0.02), Mat3.Diagonal(100, 1e-6, 1e-6), site, 1, 0,
                            rate, double.IsNaN(rate) ? 0 : 9);
                        Assert.True(RadarPlotEncoder.TryFillCat048(records[k], plot, new DataSourceId(25, 12), SecondaryReply.None, simulated: true, out var doppler));
                        expected.Add(doppler == DopplerEncoding.Encoded ? records[k].Cat048.CalculatedDopplerSpeedRaw : null);
                    }

                    var n = AsterixEncoder.WriteCat048Block(buffer, records.AsSpan(0, count));
                    writer.WriteUdp(time.AddSeconds(start), radar, group, buffer.AsSpan(0, n));
                }

                // A record as another sender may write it: CAL (D = 1, −20 m/s) and RDS (DOP 300 m/s, AMB 600 m/s, FRQ 3000 MHz).
                byte[] rds = [48, 0, 18, 0x81, 0x01, 0x04, 25, 12, 0xC0, 0x83, 0xEC, 0x01, 0x01, 0x2C, 0x02, 0x58, 0x0B, 0xB8];
                writer.WriteUdp(time.AddSeconds(100), radar, group, rds);
            }

            var result = Tshark.Dissect(path, Port.ToString(CultureInfo.InvariantCulture));
            Assert.True(result.Malformed == 0 && result.ExpertWarnings == 0, result.FirstProblem);
            Assert.Equal(expected.Count + 1, result.Records.Count);
            // Not sent: no ṙ (NaN) and every ṙ that rounds outside −512 … 511 (511.5, −512.5, 2,400 and the random ones beyond).
            var unsent = rates.Count(r => double.IsNaN(r) || Math.Round(r, MidpointRounding.AwayFromZero) is < -512 or > 511);
            Assert.True(unsent > 4);
            Assert.Equal(unsent, expected.Count(e => e is null));
            for (var i = 0; i < expected.Count; i++)
            {
                var record = result.Records[i];
                var cal = record["asterix.048_120_CAL_CAL"];
                if (expected[i] is { } raw)
                {
                    Assert.True(cal is not null && Same(raw, cal), $"plot {i} (ṙ {rates[i]}): tshark CAL '{cal}', ours {raw}");
                    Assert.True(Same(0, record["asterix.048_120_CAL_D"]!), $"plot {i}: D bit set");
                }
                else
                {
                    Assert.Null(cal);
                }
            }

            var other = result.Records[^1];
            Assert.True(Same(-20, other["asterix.048_120_CAL_CAL"]!));
            Assert.True(Same(1, other["asterix.048_120_CAL_D"]!));
            Assert.True(Same(300, other["asterix.048_120_RDS_DOP"]!));
            Assert.True(Same(600, other["asterix.048_120_RDS_AMB"]!));
            Assert.True(Same(3000, other["asterix.048_120_RDS_FRQ"]!));
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("KIZUNA_KEEP_PCAP") is null) { File.Delete(path); }
        }
    }

    /// <summary>tshark prints integers in decimal or 0x-hex and reals in decimal.</summary>
    private static bool Same(double ours, string tshark) =>
        tshark.StartsWith("0x", StringComparison.Ordinal)
            ? long.Parse(tshark.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture) == ours
            : double.Parse(tshark, NumberStyles.Float, CultureInfo.InvariantCulture) == ours;
}
