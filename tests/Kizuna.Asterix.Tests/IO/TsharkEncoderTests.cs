using System.Globalization;
using Kizuna.Asterix.Cat034;
using Kizuna.Asterix.Cat048;
using Kizuna.Asterix.Cat062;
using Kizuna.Asterix.IO;

namespace Kizuna.Asterix.Tests.IO;

/// <summary>
/// Our encoders judged by Wireshark: synthetic CAT048 plots, CAT034 north markers / sector crossings
/// and CAT062 system tracks (seeded) are encoded, written to a pcap with <see cref="PcapWriter"/>,
/// dissected by tshark, and every record must come back without a malformed or expert warning and
/// with identical values (position, track number, time of day, mode codes, identity).
/// </summary>
public sealed class TsharkEncoderTests
{
    private const int Port = 8600;

    [Fact]
    public void Tshark_EncodedCat048Cat034Cat062_NoMalformedAndIdenticalValues()
    {
        var rng = new Random(4862);
        var expected = new List<Dictionary<string, string>>();
        var path = Path.Combine(Path.GetTempPath(), $"kizuna-encode-{Environment.ProcessId}.pcap");
        var buffer = new byte[PcapWriter.MaxPayload];
        var records = new AsterixRecord[8];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = new AsterixRecord();
        }

        var time = new DateTime(2026, 5, 1, 6, 0, 0, DateTimeKind.Utc);
        var radar = PacketEndpoint.Parse("10.20.30.40:50000");
        var group = PacketEndpoint.Parse("239.255.48.1:8600");
        try
        {
            using (var writer = PcapWriter.Create(File.Create(path)))
            {
                for (var scan = 0; scan < 30; scan++)
                {
                    var tod = (6 * 3600 + scan * 4) * 128 + rng.Next(128);

                    // CAT034 north marker (scan start) then a sector crossing.
                    for (var k = 0; k < 2; k++)
                    {
                        var r = records[k];
                        r.Reset(34, Cat034Uap.Ed1_29);
                        r.Cat034.Sac = 25; r.Cat034.Sic = 13; r.Cat034.MessageType = k + 1; r.Cat034.TimeOfDayRaw = tod + k * 64; r.Cat034.SectorRaw = k * 128;
                        r.Present = r.Present.With(Cat034Frn.I010).With(Cat034Frn.I000).With(Cat034Frn.I030);
                        if (k == 1)
                        {
                            r.Present = r.Present.With(Cat034Frn.I020);
                        }

                        expected.Add(Expect034(r));
                    }

                    var n = AsterixEncoder.WriteCat034Block(buffer, records.AsSpan(0, 2));
                    writer.WriteUdp(time.AddSeconds(scan * 4), radar, group, buffer.AsSpan(0, n));

                    // Six CAT048 plots.
                    for (var k = 0; k < 6; k++)
                    {
                        var r = records[k];
                        r.Reset(48, Cat048Uap.Ed1_31);
                        var f = r.Cat048;
                        f.Sac = 25; f.Sic = 13; f.TimeOfDayRaw = tod + rng.Next(512); f.DescriptorOctet1 = 5 << 5; f.DescriptorOctet2 = -1;
                        f.RhoRaw = rng.Next(1, 65536); f.ThetaRaw = rng.Next(65536); f.Mode3AFlags = 0; f.Mode3ACode = rng.Next(4096);
                        f.FlightLevelFlags = 0; f.FlightLevelRaw = rng.Next(0, 1800); f.AircraftAddress = rng.Next(1, 1 << 24);
                        f.SetCallsign("KZ" + rng.Next(100000).ToString("D5", CultureInfo.InvariantCulture) + " ");
                        f.TrackNumber = rng.Next(4096);
                        foreach (var frn in (ReadOnlySpan<int>)[Cat048Frn.I010, Cat048Frn.I140, Cat048Frn.I020, Cat048Frn.I040, Cat048Frn.I070, Cat048Frn.I090, Cat048Frn.I220, Cat048Frn.I240, Cat048Frn.I161])
                        {
                            r.Present = r.Present.With(frn);
                        }

                        expected.Add(Expect048(r));
                    }

                    n = AsterixEncoder.WriteCat048Block(buffer, records.AsSpan(0, 6));
                    writer.WriteUdp(time.AddSeconds(scan * 4 + 1), radar, group, buffer.AsSpan(0, n));

                    // Four CAT062 system tracks.
                    for (var k = 0; k < 4; k++)
                    {
                        var r = records[k];
                        r.Reset(62, Cat062Uap.Ed1_19);
                        var f = r.Cat062;
                        f.Sac = 25; f.Sic = 100; f.ServiceId = 1; f.TimeOfTrackRaw = tod + 256;
                        f.LatitudeRaw = rng.Next(-(1 << 24), 1 << 24); f.LongitudeRaw = rng.Next(-(1 << 25), 1 << 25);
                        f.Mode3AFlags = 0; f.Mode3ACode = rng.Next(4096); f.TrackNumber = rng.Next(65536);
                        f.TargetAddress = -1; f.HasCallsign = false;
                        foreach (var frn in (ReadOnlySpan<int>)[Cat062Frn.I010, Cat062Frn.I015, Cat062Frn.I070, Cat062Frn.I105, Cat062Frn.I060, Cat062Frn.I040])
                        {
                            r.Present = r.Present.With(frn);
                        }

                        r.SetItemBytes(Cat062Frn.I080, [0x40]); // one octet: FX clear
                        r.Present = r.Present.With(Cat062Frn.I080);
                        expected.Add(Expect062(r));
                    }

                    n = AsterixEncoder.WriteCat062Block(buffer, records.AsSpan(0, 4));
                    writer.WriteUdp(time.AddSeconds(scan * 4 + 2), PacketEndpoint.Parse("10.20.30.1:50001"), PacketEndpoint.Parse("239.255.62.1:8600"), buffer.AsSpan(0, n));
                }
            }

            var result = Tshark.Dissect(path, Port.ToString(CultureInfo.InvariantCulture));

            Assert.True(result.Malformed == 0 && result.ExpertWarnings == 0, result.FirstProblem);
            Assert.Equal(expected.Count, result.Records.Count);
            Assert.Equal(30 * 2, result.Records.Count(r => r.Category == 34));
            Assert.Equal(30 * 6, result.Records.Count(r => r.Category == 48));
            Assert.Equal(30 * 4, result.Records.Count(r => r.Category == 62));
            for (var i = 0; i < expected.Count; i++)
            {
                foreach (var (field, value) in expected[i])
                {
                    var actual = result.Records[i][field];
                    Assert.True(actual is not null && SameValue(value, actual), $"record {i} (frame {result.Records[i].Frame}, CAT{result.Records[i].Category:D3}): {field} tshark '{actual}', ours '{value}'");
                }
            }
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("KIZUNA_KEEP_PCAP") is null) { File.Delete(path); }
        }
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static Dictionary<string, string> Expect034(AsterixRecord r)
    {
        var d = new Dictionary<string, string>
        {
            ["asterix.034_010_SAC"] = I(r.Cat034.Sac),
            ["asterix.034_010_SIC"] = I(r.Cat034.Sic),
            ["asterix.034_000_VALUE"] = I(r.Cat034.MessageType),
            ["asterix.034_030_VALUE"] = F(r.Cat034.TimeOfDaySeconds),
        };
        if (r.Has(Cat034Frn.I020))
        {
            d["asterix.034_020_VALUE"] = F(r.Cat034.SectorDegrees);
        }

        return d;
    }

    private static Dictionary<string, string> Expect048(AsterixRecord r)
    {
        var f = r.Cat048;
        return new Dictionary<string, string>
        {
            ["asterix.048_010_SAC"] = I(f.Sac),
            ["asterix.048_010_SIC"] = I(f.Sic),
            ["asterix.048_140_VALUE"] = F(f.TimeOfDaySeconds),
            ["asterix.048_020_TYP"] = I(f.Typ),
            ["asterix.048_040_RHO"] = F(f.RangeNauticalMiles),
            ["asterix.048_040_THETA"] = F(f.AzimuthDegrees),
            ["asterix.048_070_MODE3A"] = I(f.Mode3ACode),
            ["asterix.048_090_FL"] = F(f.FlightLevel),
            ["asterix.048_220_VALUE"] = I(f.AircraftAddress),
            ["asterix.048_240_VALUE"] = new string(f.Callsign),
            ["asterix.048_161_TRN"] = I(f.TrackNumber),
        };
    }

    private static Dictionary<string, string> Expect062(AsterixRecord r)
    {
        var f = r.Cat062;
        return new Dictionary<string, string>
        {
            ["asterix.062_010_SAC"] = I(f.Sac),
            ["asterix.062_010_SIC"] = I(f.Sic),
            ["asterix.062_070_VALUE"] = F(f.TimeOfTrackSeconds),
            ["asterix.062_105_LAT"] = F(f.LatitudeDegrees),
            ["asterix.062_105_LON"] = F(f.LongitudeDegrees),
            ["asterix.062_060_MODE3A"] = I(f.Mode3ACode),
            ["asterix.062_040_VALUE"] = I(f.TrackNumber),
        };
    }

    /// <summary>tshark prints integers in decimal or 0x-hex and reals with up to 15 significant digits: compare as numbers when both are numbers.</summary>
    private static bool SameValue(string ours, string tshark)
    {
        if (ours == tshark)
        {
            return true;
        }

        if (!double.TryParse(ours, NumberStyles.Float, CultureInfo.InvariantCulture, out var a))
        {
            return false;
        }

        double b;
        if (tshark.StartsWith("0x", StringComparison.Ordinal))
        {
            if (!long.TryParse(tshark.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var h))
            {
                return false;
            }

            b = h;
        }
        else if (!double.TryParse(tshark, NumberStyles.Float, CultureInfo.InvariantCulture, out b))
        {
            return false;
        }

        return Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Abs(a));
    }
}
