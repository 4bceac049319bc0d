using Kizuna.Asterix;
using Kizuna.Asterix.Cat062;
using Kizuna.Asterix.Common;
using Kizuna.Asterix.Detections;
using Kizuna.Core.Geodesy;
using Kizuna.Tracking.Trackers;

namespace Kizuna.Cli.Pipeline;

/// <summary>Receives one encoded ASTERIX data block (valid only during the call).</summary>
internal delegate void AsterixBlockHandler(ReadOnlySpan<byte> block);

/// <summary>
/// Publishes the confirmed tracks of a tracker as ASTERIX CAT062 ed. 1.19 system tracks, one data block per scan
/// (split into several blocks only if one would exceed 65,535 octets, about 1,200 tracks).
/// </summary>
/// <remarks>
/// <para>Items (EUROCONTROL-SPEC-0149-9, CAT062 ed. 1.19): I062/010 SAC/SIC of our system; I062/015 service 1;
/// I062/070 time of track information = the scan time (time of day, LSB 1/128 s); I062/105 WGS-84 latitude and
/// longitude (LSB 180/2²⁵°) of the track extrapolated to the scan time at constant velocity; I062/100 X, Y of that
/// position in the system stereographic plane (<see cref="SystemStereographicPlane"/>, LSB 0.5 m, 24-bit signed,
/// sent only within ±4,194 km of the centre); I062/185 Vx, Vy in the same plane (grid east and north, LSB 0.25 m/s,
/// saturated to ±8191.75); I062/040 track number = tracker id modulo 2¹⁶ (ids are never reused, so a number repeats
/// only after 65,536 tracks); I062/080 one octet: MON = 1 when one sensor contributed, SRC = 2 ("3-D radar": the
/// height is that of range–azimuth–elevation measurements) or 6 ("default height") while the track is held at the sea
/// surface (<see cref="Track.SurfaceHold"/> Surface or Assumed; SRC codes of ed. 1.19: 0 none, 1 GNSS, 2 3-D radar,
/// 3 triangulation, 4 height from coverage, 5 speed look-up table, 6 default height, 7 multilateration), CNF = 0 (only confirmed tracks are sent); I062/130
/// geometric altitude = ellipsoidal height of the estimate (LSB 6.25 ft); and, when the track carries an ICAO
/// address, I062/380 ADR (+ ID callsign when known), I062/060 Mode 3/A and I062/136 measured flight level from the
/// last cooperative data seen with that address.</para>
/// <para>The system plane's centre is given (<c>--system-centre</c>) or chosen at the first published scan: the mean
/// position of the radar sites known then, else the first confirmed track's position (<see cref="Plane"/>).</para>
/// </remarks>
internal sealed class SystemTrackEncoder
{
    private const double Rad = 180.0 / Math.PI;
    private readonly DataSourceId _system;
    private readonly AsterixDetectionAdapter? _identities;
    private readonly AsterixRecord[] _record = [new AsterixRecord()];
    private readonly byte[] _one = new byte[ushort.MaxValue];
    private readonly byte[] _block = new byte[ushort.MaxValue];

    private readonly Uap _uap;

    /// <summary>I062/080 SRC "3-D radar": the height of range–azimuth–elevation measurements.</summary>
    internal const int RadarHeightSource = 2;

    /// <summary>I062/080 SRC "default height": a track held at the sea surface (<see cref="SurfaceHold"/>).</summary>
    internal const int DefaultHeightSource = 6;

    /// <summary>An encoder; <paramref name="plane"/> fixes the system plane, else it is chosen at the first scan.</summary>
    public SystemTrackEncoder(DataSourceId system, AsterixDetectionAdapter? identities, SystemStereographicPlane? plane = null)
    {
        _system = system;
        _identities = identities;
        _uap = Cat062Ed119();
        Plane = plane;
    }

    /// <summary>The system plane of I062/100 and I062/185 (null until the first confirmed track when not given).</summary>
    public SystemStereographicPlane? Plane { get; private set; }

    /// <summary>Half the I062/100 range: a 24-bit signed count of 0.5 m.</summary>
    private const double MaxPlaneCoordinateM = 8_388_607 * 0.5;

    /// <summary>Blocks written.</summary>
    public long Blocks { get; private set; }

    /// <summary>Records (track reports) written.</summary>
    public long Records { get; private set; }

    /// <summary>Encodes every confirmed track at <paramref name="time"/> and hands each block to <paramref name="handler"/>.</summary>
    public void Publish(MultiTargetTracker tracker, DateTime time, AsterixBlockHandler handler)
    {
        var length = 3;
        var count = 0;
        foreach (var track in tracker.Tracks)
        {
            if (!track.IsConfirmed)
            {
                continue;
            }

            Plane ??= ChoosePlane(track, time);
            Fill(_record[0], track, time, Plane.Value);
            var n = AsterixEncoder.WriteCat062Block(_one, _record) - 3;
            if (length + n > ushort.MaxValue)
            {
                Emit(length, handler);
                length = 3;
            }

            _one.AsSpan(3, n).CopyTo(_block.AsSpan(length));
            length += n;
            count++;
        }

        if (count > 0)
        {
            Emit(length, handler);
        }

        Records += count;
    }

    private void Emit(int length, AsterixBlockHandler handler)
    {
        _block[0] = 62;
        _block[1] = (byte)(length >> 8);
        _block[2] = (byte)length;
        handler(_block.AsSpan(0, length));
        Blocks++;
    }

    private SystemStereographicPlane ChoosePlane(Track track, DateTime time)
    {
        if (_identities is not null)
        {
            var n = 0;
            var sum = default(Kizuna.Core.Vec3);
            foreach (var site in _identities.Sites)
            {
                sum += site.Position.ToEcef();
                n++;
            }

            if (n > 0)
            {
                var mean = Wgs84.EcefToGeodetic(sum * (1.0 / n));
                return SystemStereographicPlane.At(mean with { HeightM = 0 });
            }
        }

        var p = Wgs84.EcefToGeodetic(track.Position + (track.Velocity * (time - track.Time).TotalSeconds));
        return SystemStereographicPlane.At(p with { HeightM = 0 });
    }

    private void Fill(AsterixRecord r, Track track, DateTime time, SystemStereographicPlane plane)
    {
        r.Reset(62, _uap);
        var f = r.Cat062;
        var dt = (time - track.Time).TotalSeconds;
        var p = track.Position + (track.Velocity * dt);
        var g = Wgs84.EcefToGeodetic(p);
        var v = new EnuFrame(g).RotateToEnu(track.Velocity);
        f.Sac = _system.Sac;
        f.Sic = _system.Sic;
        f.ServiceId = 1;
        f.TimeOfTrackRaw = (int)(Math.Round(time.TimeOfDay.TotalSeconds * 128) % (86_400 * 128));
        f.LatitudeRaw = (int)Math.Round(g.LatitudeRad * Rad * (33554432.0 / 180.0));
        f.LongitudeRaw = (int)Math.Round(g.LongitudeRad * Rad * (33554432.0 / 180.0));
        var (x, y) = plane.ToPlane(g);
        var (vx, vy) = plane.VelocityToPlane(g, v.X, v.Y);
        f.XRaw = (int)Math.Round(x / 0.5);
        f.YRaw = (int)Math.Round(y / 0.5);
        f.VxRaw = Saturate(vx / 0.25);
        f.VyRaw = Saturate(vy / 0.25);
        f.TrackNumber = (int)(track.Id & 0xFFFF);
        f.GeometricAltitudeRaw = Saturate(g.HeightM / 0.3048 / 6.25);
        f.TargetAddress = -1;
        f.HasCallsign = false;
        var present = r.Present.With(Cat062Frn.I010).With(Cat062Frn.I015).With(Cat062Frn.I070).With(Cat062Frn.I105)
            .With(Cat062Frn.I185).With(Cat062Frn.I040).With(Cat062Frn.I130);
        if (Math.Abs(x) <= MaxPlaneCoordinateM && Math.Abs(y) <= MaxPlaneCoordinateM)
        {
            present = present.With(Cat062Frn.I100);
        }
        if (track.Identity != 0)
        {
            f.TargetAddress = (int)(track.Identity & 0xFFFFFF);
            present = present.With(Cat062Frn.I380);
            if (_identities is not null && _identities.TryGetIdentity(track.Identity, out var id))
            {
                if (id.Callsign is not null)
                {
                    f.SetCallsign(id.Callsign);
                }

                if (id.Mode3A >= 0)
                {
                    f.Mode3AFlags = 0;
                    f.Mode3ACode = id.Mode3A;
                    present = present.With(Cat062Frn.I060);
                }

                if (id.FlightLevelRaw is { } fl)
                {
                    f.MeasuredFlightLevelRaw = fl;
                    present = present.With(Cat062Frn.I136);
                }
            }
        }

        r.Present = present;
        // I062/080 first octet: MON (bit 8), SPI, MRH, SRC (bits 5–3), CNF (bit 2), FX = 0.
        // SRC (source of the I062/130 altitude): 6 "default height" while the track is held at the sea surface (its
        // height is the surface's by hypothesis, not measured: SurfaceHold.Surface or Assumed), else 2 "3-D radar".
        var mono = System.Numerics.BitOperations.PopCount(track.ContributingSensors) <= 1;
        var source = track.SurfaceHold is SurfaceHold.Surface or SurfaceHold.Assumed ? DefaultHeightSource : RadarHeightSource;
        Span<byte> status = [(byte)((mono ? 0x80 : 0) | (source << 2))];
        r.SetItemBytes(Cat062Frn.I080, status);
    }

    /// <summary>
    /// The CAT062 ed. 1.19 UAP. The codec keeps its UAP tables internal; decoding a minimal record (FSPEC with
    /// I062/010 only) with the default options yields the same table object.
    /// </summary>
    private static Uap Cat062Ed119()
    {
        var sink = new UapSink();
        AsterixDecoder.TryDecodeBlock([62, 0, 6, 0x80, 0, 0], new AsterixRecord(), sink, AsterixDecoderOptions.Default, out _);
        return sink.Uap ?? throw new InvalidOperationException("CAT062 UAP unavailable");
    }

    private sealed class UapSink : IAsterixRecordSink
    {
        public Uap? Uap { get; private set; }

        public void OnRecord(AsterixRecord record) => Uap = record.Uap;

        public void OnRejected(DecodeStatus status, int offset)
        {
        }
    }

    private static int Saturate(double value) => (int)Math.Clamp(Math.Round(value), short.MinValue, short.MaxValue);
}
