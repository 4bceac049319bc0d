using System.Buffers;
using System.Collections.Immutable;
using Kizuna.Core;
using Kizuna.Core.Geodesy;
using Kizuna.Core.Picture;
using Kizuna.Network.Messages;
using MessagePack;

namespace Kizuna.Network.Wire;

/// <summary>
/// The coalition wire schema, version 2: hand-written MessagePack (no reflection, no attributes),
/// so the byte layout is exactly what docs/network.md ("Wire") documents.
/// </summary>
/// <remarks>
/// <para>Envelope: a MessagePack map with small-integer keys — 0 schema version, 1 message type,
/// 2 marking <c>[classification, originator, [releasable-to…]]</c>, 3 sender nation, 4 sequence,
/// 5 payload. Unknown envelope keys are skipped (a minor addition stays readable by older
/// nodes); a higher major version is refused with <see cref="WireStatus.UnsupportedVersion"/>.</para>
/// <para>Version 2 adds the <b>frame</b>: a map <c>{0: 2, 6: [envelope, envelope, …]}</c> that carries
/// several envelopes (one per message, each complete) in one transport message, so a node sends one
/// NATS message per (destination, message type) and publication instead of one per track report
/// (<see cref="WireFrameWriter"/>, <see cref="TryDecodeFrame(ReadOnlyMemory{byte}, List{WireEnvelope})"/>). A single envelope is unchanged
/// except for its version number; version-1 envelopes are still read.</para>
/// <para>Payloads are positional arrays (index = key, documented per type). A reader takes the fields
/// it knows and skips any appended ones. Times are UTC ticks (int64, 100 ns since 0001-01-01);
/// nations are alpha-3 strings ("" = unset); covariances are symmetric by contract and travel
/// as their upper triangle (m00, m01, m02, m11, m12, m22).</para>
/// <para>Decoding never throws on hostile bytes (STYLE.md habits 8–9): every array length is
/// checked against a hard cap before any allocation, and any MessagePack format error becomes a
/// <see cref="WireStatus"/>.</para>
/// </remarks>
public static class WireCodec
{
    /// <summary>The schema version this build writes (and the highest it reads).</summary>
    public const int SchemaVersion = 2;

    /// <summary>The oldest schema version this build still reads (version 1: single envelopes, no frames).</summary>
    public const int MinReadableVersion = 1;

    /// <summary>Hard cap on envelopes in one frame.</summary>
    public const int MaxEnvelopesPerFrame = 65_536;

    /// <summary>Hard cap on detections in one batch.</summary>
    public const int MaxDetectionsPerBatch = 65_536;

    /// <summary>Hard cap on sensor ids in one track report and on releasable-to nations in a marking.</summary>
    public const int MaxListLength = 256;

    /// <summary>Hard cap on any string's UTF-8 length.</summary>
    public const int MaxStringBytes = 1_024;

    private const int EnvelopeKeyVersion = 0;
    private const int EnvelopeKeyType = 1;
    private const int EnvelopeKeyMarking = 2;
    private const int EnvelopeKeySender = 3;
    private const int EnvelopeKeySequence = 4;
    private const int EnvelopeKeyPayload = 5;
    private const int FrameKeyEnvelopes = 6;

    /// <summary>Encodes <paramref name="message"/> into <paramref name="output"/>.</summary>
    /// <param name="output">Destination buffer (e.g. a pooled <see cref="ArrayBufferWriter{T}"/>).</param>
    /// <param name="sender">The node putting the message on the wire.</param>
    /// <param name="sequence">The sender's sequence number for it.</param>
    /// <param name="message">The message; its marking goes into the envelope.</param>
    public static void Encode(IBufferWriter<byte> output, Nation sender, long sequence, ICoalitionMessage message)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(message);
        var type = MessageTypes.Of(message);
        var w = new MessagePackWriter(output);
        w.WriteMapHeader(6);
        w.Write(EnvelopeKeyVersion);
        w.Write(SchemaVersion);
        w.Write(EnvelopeKeyType);
        w.Write((byte)type);
        w.Write(EnvelopeKeyMarking);
        WriteMarking(ref w, message.Marking);
        w.Write(EnvelopeKeySender);
        WriteNation(ref w, sender);
        w.Write(EnvelopeKeySequence);
        w.Write(sequence);
        w.Write(EnvelopeKeyPayload);
        switch (message)
        {
            case DetectionBatch b: WriteBatch(ref w, b); break;
            case TrackReport t: WriteTrack(ref w, t); break;
            case TrackNumberNotice n: WriteNotice(ref w, n); break;
            case AlertMessage a: WriteAlert(ref w, a.Alert); break;
            case EngagementMessage e: WriteEngagement(ref w, e.Engagement); break;
        }

        w.Flush();
    }

    /// <summary>Encodes into a new array (convenience for tests and transports that need an array).</summary>
    public static byte[] Encode(Nation sender, long sequence, ICoalitionMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Encode(buffer, sender, sequence, message);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes one message. Never throws on bad input; returns the reason instead.</summary>
    /// <param name="bytes">Exactly one encoded message.</param>
    /// <param name="envelope">The decoded message when the result is <see cref="WireStatus.Ok"/>.</param>
    public static WireStatus TryDecode(ReadOnlyMemory<byte> bytes, out WireEnvelope envelope)
    {
        envelope = default;
        if (bytes.IsEmpty)
        {
            return WireStatus.Empty;
        }

        try
        {
            var r = new MessagePackReader(bytes);
            var status = ReadEnvelope(ref r, out envelope, null);
            if (status == WireStatus.Ok && !r.End)
            {
                envelope = default;
                return WireStatus.Malformed;
            }

            return status;
        }
        catch (EndOfStreamException)
        {
            return WireStatus.Truncated;
        }
        catch (MessagePackSerializationException)
        {
            return WireStatus.Malformed;
        }
        catch (InvalidValueException)
        {
            return WireStatus.InvalidValue;
        }
        catch (OverflowException)
        {
            return WireStatus.InvalidValue;
        }
        catch (ArgumentException)
        {
            // Raised by domain constructors (e.g. a marking without originator): a value out of range.
            return WireStatus.InvalidValue;
        }
    }

    /// <summary>
    /// Decodes one transport message that is either a single envelope or a frame of envelopes
    /// (schema 2), appending each decoded envelope to <paramref name="envelopes"/> in order. Never
    /// throws on bad input; on any error nothing is appended and the reason is returned (a frame is
    /// accepted or refused as a whole).
    /// </summary>
    /// <param name="bytes">Exactly one encoded envelope or frame.</param>
    /// <param name="envelopes">Receives the envelopes (not cleared first).</param>
    public static WireStatus TryDecodeFrame(ReadOnlyMemory<byte> bytes, List<WireEnvelope> envelopes) => TryDecodeFrame(bytes, envelopes, null);

    /// <summary>
    /// <see cref="TryDecodeFrame(ReadOnlyMemory{byte}, List{WireEnvelope})"/> with a receiver's
    /// <paramref name="cache"/>: repeated markings, nation codes, sensor ids and sensor-id lists are
    /// taken from it instead of allocated, so a track report costs one allocation (the report).
    /// </summary>
    /// <param name="bytes">Exactly one encoded envelope or frame.</param>
    /// <param name="envelopes">Receives the envelopes (not cleared first).</param>
    /// <param name="cache">The receiver's cache (one per receiving loop), or null.</param>
    public static WireStatus TryDecodeFrame(ReadOnlyMemory<byte> bytes, List<WireEnvelope> envelopes, WireDecodeCache? cache)
    {
        ArgumentNullException.ThrowIfNull(envelopes);
        if (bytes.IsEmpty)
        {
            return WireStatus.Empty;
        }

        var start = envelopes.Count;
        var status = WireStatus.Malformed;
        try
        {
            var r = new MessagePackReader(bytes);
            status = IsFrame(r) ? ReadFrame(ref r, envelopes, cache) : ReadSingle(ref r, envelopes, cache);
            if (status == WireStatus.Ok && !r.End)
            {
                status = WireStatus.Malformed;
            }
        }
        catch (EndOfStreamException)
        {
            status = WireStatus.Truncated;
        }
        catch (MessagePackSerializationException)
        {
            status = WireStatus.Malformed;
        }
        catch (InvalidValueException)
        {
            status = WireStatus.InvalidValue;
        }
        catch (OverflowException)
        {
            status = WireStatus.InvalidValue;
        }
        catch (ArgumentException)
        {
            status = WireStatus.InvalidValue;
        }

        if (status != WireStatus.Ok && envelopes.Count > start)
        {
            envelopes.RemoveRange(start, envelopes.Count - start);
        }

        return status;
    }

    /// <summary>Writes the frame prefix <c>{0: SchemaVersion, 6: array32(count)}</c>; the count is patched by <see cref="PatchFrameCount"/>.</summary>
    internal static void WriteFramePrefix(IBufferWriter<byte> output)
    {
        var span = output.GetSpan(FramePrefixLength);
        span[0] = 0x82; // fixmap, 2 entries
        span[1] = EnvelopeKeyVersion; // positive fixint
        span[2] = SchemaVersion;
        span[3] = FrameKeyEnvelopes;
        span[4] = 0xdd; // array 32
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(span[5..], 0);
        output.Advance(FramePrefixLength);
    }

    /// <summary>Writes the envelope count into a frame written from <see cref="WriteFramePrefix"/>.</summary>
    internal static void PatchFrameCount(Span<byte> frame, int count) =>
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame[5..], (uint)count);

    /// <summary>Bytes of the frame prefix.</summary>
    internal const int FramePrefixLength = 9;

    private static bool IsFrame(MessagePackReader probe)
    {
        if (probe.NextMessagePackType != MessagePackType.Map)
        {
            return false;
        }

        var count = probe.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            if (probe.NextMessagePackType != MessagePackType.Integer)
            {
                return false;
            }

            var key = probe.ReadInt32();
            if (key == FrameKeyEnvelopes)
            {
                return true;
            }

            if (key != EnvelopeKeyVersion)
            {
                // An envelope key: a single envelope.
                return false;
            }

            probe.Skip();
        }

        return false;
    }

    private static WireStatus ReadSingle(ref MessagePackReader r, List<WireEnvelope> envelopes, WireDecodeCache? cache)
    {
        var status = ReadEnvelope(ref r, out var envelope, cache);
        if (status == WireStatus.Ok)
        {
            envelopes.Add(envelope);
        }

        return status;
    }

    private static WireStatus ReadFrame(ref MessagePackReader r, List<WireEnvelope> envelopes, WireDecodeCache? cache)
    {
        var count = r.ReadMapHeader();
        int? version = null;
        var sawEnvelopes = false;
        for (var i = 0; i < count; i++)
        {
            if (r.NextMessagePackType != MessagePackType.Integer)
            {
                return WireStatus.Malformed;
            }

            switch (r.ReadInt32())
            {
                case EnvelopeKeyVersion:
                    version = r.ReadInt32();
                    if (version is < 2 or > SchemaVersion)
                    {
                        // Frames exist since version 2.
                        return version > SchemaVersion ? WireStatus.UnsupportedVersion : WireStatus.Malformed;
                    }

                    break;
                case FrameKeyEnvelopes:
                    if (r.NextMessagePackType != MessagePackType.Array)
                    {
                        return WireStatus.Malformed;
                    }

                    var n = r.ReadArrayHeader();

                    // Every length field is hostile: an envelope takes at least one byte.
                    if (n > MaxEnvelopesPerFrame || n > r.Sequence.Length - r.Consumed)
                    {
                        return WireStatus.InvalidValue;
                    }

                    for (var k = 0; k < n; k++)
                    {
                        if (cache is not null && r.Sequence.IsSingleSegment)
                        {
                            var rest = r.Sequence.FirstSpan[(int)r.Consumed..];
                            if (TryReadTrackEnvelopeFast(rest, cache, out var fast, out var used))
                            {
                                envelopes.Add(fast);
                                r.ReadRaw(used);
                                continue;
                            }
                        }

                        var status = ReadSingle(ref r, envelopes, cache);
                        if (status != WireStatus.Ok)
                        {
                            return status;
                        }
                    }

                    sawEnvelopes = true;
                    break;
                default:
                    r.Skip();
                    break;
            }
        }

        return version is null || !sawEnvelopes ? WireStatus.Malformed : WireStatus.Ok;
    }

    private static WireStatus ReadEnvelope(ref MessagePackReader r, out WireEnvelope envelope, WireDecodeCache? cache)
    {
        envelope = default;
        if (r.NextMessagePackType != MessagePackType.Map)
        {
            return WireStatus.Malformed;
        }

        var count = r.ReadMapHeader();
        int? version = null;
        MessageType type = MessageType.None;
        Marking? marking = null;
        Nation? sender = null;
        long? sequence = null;
        ReadOnlySequence<byte>? payload = null;
        for (var i = 0; i < count; i++)
        {
            if (r.NextMessagePackType != MessagePackType.Integer)
            {
                return WireStatus.Malformed;
            }

            switch (r.ReadInt32())
            {
                case EnvelopeKeyVersion: version = r.ReadInt32(); break;
                case EnvelopeKeyType: type = (MessageType)r.ReadByte(); break;
                case EnvelopeKeyMarking: marking = ReadMarking(ref r, cache); break;
                case EnvelopeKeySender: sender = ReadNation(ref r, cache); break;
                case EnvelopeKeySequence: sequence = r.ReadInt64(); break;
                case EnvelopeKeyPayload: payload = r.ReadRaw(); break;
                default: r.Skip(); break;
            }
        }

        if (version is null || marking is null || sender is null || sequence is null || payload is null)
        {
            return version is > SchemaVersion ? WireStatus.UnsupportedVersion : WireStatus.Malformed;
        }

        if (version is < MinReadableVersion or > SchemaVersion)
        {
            return WireStatus.UnsupportedVersion;
        }

        var p = new MessagePackReader(payload.Value);
        ICoalitionMessage message = type switch
        {
            MessageType.DetectionBatch => ReadBatch(ref p, marking, cache),
            MessageType.TrackReport => ReadTrack(ref p, marking, cache),
            MessageType.TrackNumberNotice => ReadNotice(ref p, marking, cache),
            MessageType.Alert => new AlertMessage(ReadAlert(ref p, marking, cache)),
            MessageType.Engagement => new EngagementMessage(ReadEngagement(ref p, marking, cache)),
            _ => null!,
        };
        if (message is null)
        {
            return WireStatus.UnknownMessageType;
        }

        envelope = new WireEnvelope(version.Value, type, sender.Value, sequence.Value, message);
        return WireStatus.Ok;
    }

    // ---- fast path: a track report envelope exactly as Encode writes it ----

    /// <summary>
    /// Reads one track-report envelope laid out exactly as <see cref="Encode(IBufferWriter{byte}, Nation, long, ICoalitionMessage)"/>
    /// writes it (keys 0–5 in order, float64 components, fixstr nations and sensor ids, a marking
    /// and nations already in <paramref name="cache"/>) straight from the span, without the
    /// MessagePack sequence reader and without allocating anything but the report. Any deviation
    /// (another layout, an unknown value, a value out of range, too few bytes) returns false and the
    /// caller decodes the envelope with the general reader, which owns every error status.
    /// </summary>
    private static bool TryReadTrackEnvelopeFast(ReadOnlySpan<byte> b, WireDecodeCache cache, out WireEnvelope envelope, out int consumed)
    {
        envelope = default;
        consumed = 0;
        var i = 0;

        // {0: version, 1: type 2, 2: marking, 3: sender, 4: sequence, 5: payload}
        if (b.Length < 16 || b[0] != 0x86 || b[1] != EnvelopeKeyVersion || b[2] is < MinReadableVersion or > SchemaVersion
            || b[3] != EnvelopeKeyType || b[4] != (byte)MessageType.TrackReport || b[5] != EnvelopeKeyMarking)
        {
            return false;
        }

        var version = b[2];
        i = 6;
        var markingStart = i;
        if (!SkipFastMarking(b, ref i) || !cache.TryGetMarking(b[markingStart..i], out var marking))
        {
            return false;
        }

        if (!Expect(b, ref i, EnvelopeKeySender) || !FastNation(b, ref i, cache, out var sender)
            || !Expect(b, ref i, EnvelopeKeySequence) || !FastInt(b, ref i, out var sequence)
            || !Expect(b, ref i, EnvelopeKeyPayload))
        {
            return false;
        }

        // payload: array16 of exactly 27 elements
        if (i + 3 > b.Length || b[i] != 0xdc || b[i + 1] != 0 || b[i + 2] != TrackFields)
        {
            return false;
        }

        i += 3;
        if (!FastNation(b, ref i, cache, out var reporter) || !FastInt(b, ref i, out var number) || number is < int.MinValue or > int.MaxValue
            || !FastInt(b, ref i, out var localId) || !FastInt(b, ref i, out var ticks) || ticks is < 0 or > 3155378975999999999L)
        {
            return false;
        }

        // 6 vector components + 12 covariance components, each 0xcb + 8 bytes big-endian
        if (i + (18 * 9) > b.Length)
        {
            return false;
        }

        Span<double> v = stackalloc double[18];
        for (var k = 0; k < 18; k++, i += 9)
        {
            if (b[i] != 0xcb)
            {
                return false;
            }

            v[k] = System.Buffers.Binary.BinaryPrimitives.ReadDoubleBigEndian(b[(i + 1)..]);
        }

        if (!FastInt(b, ref i, out var quality) || quality is < 0 or > 15
            || !FastInt(b, ref i, out var kind) || kind is < 0 or > (byte)TrackKind.Interceptor
            || !FastInt(b, ref i, out var affiliation) || affiliation is < 0 or > (byte)Affiliation.Hostile
            || !FastInt(b, ref i, out var identity) || identity is < 0 or > uint.MaxValue || i >= b.Length)
        {
            return false;
        }

        // sensors: fixarray of fixstr, each already cached
        var header = b[i++];
        if ((header & 0xf0) != 0x90)
        {
            return false;
        }

        var n = header & 0x0f;
        var scratch = cache.Scratch;
        for (var k = 0; k < n; k++)
        {
            if (!FastString(b, ref i, cache, out var sensor))
            {
                return false;
            }

            scratch[k] = sensor;
        }

        var report = new TrackReport(
            reporter,
            new TrackNumber((int)number),
            localId,
            new DateTime(ticks, DateTimeKind.Utc),
            new Vec3(v[0], v[1], v[2]),
            new Vec3(v[3], v[4], v[5]),
            new Mat3(v[6], v[7], v[8], v[7], v[9], v[10], v[8], v[10], v[11]),
            new Mat3(v[12], v[13], v[14], v[13], v[15], v[16], v[14], v[16], v[17]),
            (int)quality,
            (TrackKind)kind,
            (Affiliation)affiliation,
            (uint)identity,
            cache.List(n),
            marking);
        envelope = new WireEnvelope(version, MessageType.TrackReport, sender, sequence, report);
        consumed = i;
        return true;
    }

    private static bool Expect(ReadOnlySpan<byte> b, ref int i, byte value)
    {
        if (i >= b.Length || b[i] != value)
        {
            return false;
        }

        i++;
        return true;
    }

    /// <summary>Skips a marking <c>[fixint, fixstr, fixarray of fixstr]</c>.</summary>
    private static bool SkipFastMarking(ReadOnlySpan<byte> b, ref int i)
    {
        if (i + 2 > b.Length || b[i] != 0x93 || b[i + 1] > (byte)Classification.TopSecret)
        {
            return false;
        }

        i += 2;
        if (!SkipFixStr(b, ref i) || i >= b.Length || (b[i] & 0xf0) != 0x90)
        {
            return false;
        }

        var n = b[i++] & 0x0f;
        for (var k = 0; k < n; k++)
        {
            if (!SkipFixStr(b, ref i))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SkipFixStr(ReadOnlySpan<byte> b, ref int i)
    {
        if (i >= b.Length || (b[i] & 0xe0) != 0xa0)
        {
            return false;
        }

        var end = i + 1 + (b[i] & 0x1f);
        if (end > b.Length)
        {
            return false;
        }

        i = end;
        return true;
    }

    private static bool FastString(ReadOnlySpan<byte> b, ref int i, WireDecodeCache cache, out string value)
    {
        value = string.Empty;
        var start = i;
        if (!SkipFixStr(b, ref i))
        {
            return false;
        }

        return cache.TryGetString(b[(start + 1)..i], out value);
    }

    private static bool FastNation(ReadOnlySpan<byte> b, ref int i, WireDecodeCache cache, out Nation nation)
    {
        nation = default;
        return FastString(b, ref i, cache, out var code) && code.Length > 0 && cache.TryGetNation(code, out nation);
    }

    /// <summary>Any MessagePack integer form into an int64 (uint64 above int64.MaxValue refused).</summary>
    private static bool FastInt(ReadOnlySpan<byte> b, ref int i, out long value)
    {
        value = 0;
        if (i >= b.Length)
        {
            return false;
        }

        var t = b[i];
        var rest = b[(i + 1)..];
        int size;
        switch (t)
        {
            case <= 0x7f: value = t; size = 0; break;
            case >= 0xe0: value = (sbyte)t; size = 0; break;
            case 0xcc when rest.Length >= 1: value = rest[0]; size = 1; break;
            case 0xcd when rest.Length >= 2: value = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(rest); size = 2; break;
            case 0xce when rest.Length >= 4: value = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(rest); size = 4; break;
            case 0xcf when rest.Length >= 8:
                var u = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(rest);
                if (u > long.MaxValue)
                {
                    return false;
                }

                value = (long)u;
                size = 8;
                break;
            case 0xd0 when rest.Length >= 1: value = (sbyte)rest[0]; size = 1; break;
            case 0xd1 when rest.Length >= 2: value = System.Buffers.Binary.BinaryPrimitives.ReadInt16BigEndian(rest); size = 2; break;
            case 0xd2 when rest.Length >= 4: value = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(rest); size = 4; break;
            case 0xd3 when rest.Length >= 8: value = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(rest); size = 8; break;
            default: return false;
        }

        i += 1 + size;
        return true;
    }

    // ---- marking, nation, time, vectors ----

    private static void WriteMarking(ref MessagePackWriter w, Marking m)
    {
        w.WriteArrayHeader(3);
        w.Write((byte)m.Classification);
        WriteNation(ref w, m.Originator);
        w.WriteArrayHeader(m.ReleasableTo.Count);
        foreach (var n in m.ReleasableTo)
        {
            WriteNation(ref w, n);
        }
    }

    private static Marking ReadMarking(ref MessagePackReader r, WireDecodeCache? cache)
    {
        if (cache is null)
        {
            return ReadMarkingFields(ref r, null);
        }

        var raw = r.ReadRaw();
        if (cache.TryGetMarking(raw, out var cached))
        {
            return cached;
        }

        var m = new MessagePackReader(raw);
        var marking = ReadMarkingFields(ref m, cache);
        cache.AddMarking(raw, marking);
        return marking;
    }

    private static Marking ReadMarkingFields(ref MessagePackReader r, WireDecodeCache? cache)
    {
        var fields = ReadArrayHeader(ref r, 3, 3);
        var classification = r.ReadByte();
        if (classification > (byte)Classification.TopSecret)
        {
            throw new InvalidValueException();
        }

        var originator = ReadNation(ref r, cache);
        var n = ReadArrayHeader(ref r, 0, MaxListLength);
        var rel = ImmutableSortedSet.CreateBuilder<Nation>();
        for (var i = 0; i < n; i++)
        {
            rel.Add(ReadNation(ref r, cache));
        }

        SkipExtra(ref r, fields, 3);
        return new Marking((Classification)classification, originator, rel.ToImmutable());
    }

    private static void WriteNation(ref MessagePackWriter w, Nation n) => w.Write(n.Code);

    private static Nation ReadNation(ref MessagePackReader r, WireDecodeCache? cache)
    {
        var s = ReadString(ref r, cache);
        if (s.Length == 0)
        {
            return default;
        }

        if (cache is not null && cache.TryGetNation(s, out var known))
        {
            return known;
        }

        var nation = Nation.TryParse(s, out var parsed) && s == parsed.Code ? parsed : throw new InvalidValueException();
        cache?.AddNation(s, nation);
        return nation;
    }

    private static string ReadString(ref MessagePackReader r, WireDecodeCache? cache)
    {
        if (r.TryReadNil())
        {
            return string.Empty;
        }

        var bytes = r.ReadStringSequence();
        if (bytes is { } b && b.Length > MaxStringBytes)
        {
            throw new InvalidValueException();
        }

        if (bytes is not { } seq)
        {
            return string.Empty;
        }

        if (cache is not null && cache.TryGetString(seq, out var cached))
        {
            return cached;
        }

        var s = System.Text.EncodingExtensions.GetString(System.Text.Encoding.UTF8, seq);
        cache?.AddString(seq, s);
        return s;
    }

    private static void WriteTime(ref MessagePackWriter w, DateTime t) => w.Write(t.Ticks);

    private static DateTime ReadTime(ref MessagePackReader r)
    {
        var ticks = r.ReadInt64();
        return ticks is < 0 or > 3155378975999999999L ? throw new InvalidValueException() : new DateTime(ticks, DateTimeKind.Utc);
    }

    private static void WriteVec(ref MessagePackWriter w, Vec3 v)
    {
        w.Write(v.X);
        w.Write(v.Y);
        w.Write(v.Z);
    }

    private static Vec3 ReadVec(ref MessagePackReader r) => new(r.ReadDouble(), r.ReadDouble(), r.ReadDouble());

    private static void WriteCov(ref MessagePackWriter w, Mat3 m)
    {
        w.Write(m.M00);
        w.Write(m.M01);
        w.Write(m.M02);
        w.Write(m.M11);
        w.Write(m.M12);
        w.Write(m.M22);
    }

    private static Mat3 ReadCov(ref MessagePackReader r)
    {
        var m00 = r.ReadDouble();
        var m01 = r.ReadDouble();
        var m02 = r.ReadDouble();
        var m11 = r.ReadDouble();
        var m12 = r.ReadDouble();
        var m22 = r.ReadDouble();
        return new Mat3(m00, m01, m02, m01, m11, m12, m02, m12, m22);
    }

    private static int ReadArrayHeader(ref MessagePackReader r, int min, int max)
    {
        if (r.NextMessagePackType != MessagePackType.Array)
        {
            throw new MessagePackSerializationException("array expected");
        }

        var n = r.ReadArrayHeader();
        return n < min ? throw new MessagePackSerializationException("array too short") : n > max ? throw new InvalidValueException() : n;
    }

    private static void SkipExtra(ref MessagePackReader r, int present, int known)
    {
        for (var i = known; i < present; i++)
        {
            r.Skip();
        }
    }

    private static T ReadEnum<T>(ref MessagePackReader r, byte max)
        where T : struct, Enum
    {
        var v = r.ReadByte();
        return v > max ? throw new InvalidValueException() : (T)(object)v;
    }

    // ---- DetectionBatch: [source, time, sequence, [detection…]] ----
    // detection: [time, sensorId, nation, kind, value(3), covariance(6), siteLat, siteLon, siteH, truthId, identity
    //             (, rangeRate, rangeRateVariance, sensorVelocity(3))] — the last five only when the plot has a range
    //             rate (Detection.HasRangeRate); older readers skip them as extra fields.

    private const int BatchFields = 4;
    private const int DetectionFields = 18;
    private const int DopplerDetectionFields = DetectionFields + 5;

    private static void WriteBatch(ref MessagePackWriter w, DetectionBatch b)
    {
        w.WriteArrayHeader(BatchFields);
        WriteNation(ref w, b.Source);
        WriteTime(ref w, b.Time);
        w.Write(b.Sequence);
        var dets = b.Detections.IsDefault ? [] : b.Detections;
        w.WriteArrayHeader(dets.Length);
        foreach (var d in dets)
        {
            var doppler = d.HasRangeRate;
            w.WriteArrayHeader(doppler ? DopplerDetectionFields : DetectionFields);
            WriteTime(ref w, d.Time);
            w.Write(d.SensorId);
            WriteNation(ref w, d.Nation);
            w.Write((byte)d.Kind);
            WriteVec(ref w, d.Value);
            WriteCov(ref w, d.Covariance);
            w.Write(d.SensorSite.LatitudeRad);
            w.Write(d.SensorSite.LongitudeRad);
            w.Write(d.SensorSite.HeightM);
            w.Write(d.TruthId);
            w.Write(d.Identity);
            if (doppler)
            {
                w.Write(d.RangeRate);
                w.Write(d.RangeRateVariance);
                WriteVec(ref w, d.SensorVelocity);
            }
        }
    }

    private static DetectionBatch ReadBatch(ref MessagePackReader r, Marking marking, WireDecodeCache? cache)
    {
        var fields = ReadArrayHeader(ref r, BatchFields, int.MaxValue);
        var source = ReadNation(ref r, cache);
        var time = ReadTime(ref r);
        var sequence = r.ReadInt64();
        var n = ReadArrayHeader(ref r, 0, MaxDetectionsPerBatch);
        var dets = ImmutableArray.CreateBuilder<Detection>(n);
        for (var i = 0; i < n; i++)
        {
            var df = ReadArrayHeader(ref r, DetectionFields, int.MaxValue);
            var t = ReadTime(ref r);
            var sensor = ReadString(ref r, cache);
            var nation = ReadNation(ref r, cache);
            var kind = ReadEnum<MeasurementKind>(ref r, (byte)MeasurementKind.Geodetic);
            var value = ReadVec(ref r);
            var cov = ReadCov(ref r);
            var site = new Geodetic(r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
            var truth = r.ReadInt32();
            var identity = r.ReadUInt32();
            if (df >= DopplerDetectionFields)
            {
                var rangeRate = r.ReadDouble();
                var rangeRateVariance = r.ReadDouble();
                var sensorVelocity = ReadVec(ref r);
                SkipExtra(ref r, df, DopplerDetectionFields);
                dets.Add(new Detection(t, sensor, nation, kind, value, cov, site, truth, identity, rangeRate, rangeRateVariance, sensorVelocity));
                continue;
            }

            SkipExtra(ref r, df, DetectionFields);
            dets.Add(new Detection(t, sensor, nation, kind, value, cov, site, truth, identity));
        }

        SkipExtra(ref r, fields, BatchFields);
        return new DetectionBatch(source, time, sequence, dets.MoveToImmutable(), marking);
    }

    // ---- TrackReport: [reporter, number, localId, time, pos(3), vel(3), posCov(6), velCov(6), quality, kind, affiliation, identity, [sensor…]] ----

    private const int TrackFields = 27;

    private static void WriteTrack(ref MessagePackWriter w, TrackReport t)
    {
        w.WriteArrayHeader(TrackFields);
        WriteNation(ref w, t.Reporter);
        w.Write(t.Number.Value);
        w.Write(t.LocalTrackId);
        WriteTime(ref w, t.Time);
        WriteVec(ref w, t.PositionEcef);
        WriteVec(ref w, t.VelocityEcef);
        WriteCov(ref w, t.PositionCovariance);
        WriteCov(ref w, t.VelocityCovariance);
        w.Write(t.Quality);
        w.Write((byte)t.Kind);
        w.Write((byte)t.Affiliation);
        w.Write(t.Identity);
        var sensors = t.Sensors.IsDefault ? [] : t.Sensors;
        w.WriteArrayHeader(sensors.Length);
        foreach (var s in sensors)
        {
            w.Write(s);
        }
    }

    private static TrackReport ReadTrack(ref MessagePackReader r, Marking marking, WireDecodeCache? cache)
    {
        // 27 array elements: vectors and covariances count one element per component.
        var fields = ReadArrayHeader(ref r, TrackFields, int.MaxValue);
        var reporter = ReadNation(ref r, cache);
        var number = new TrackNumber(r.ReadInt32());
        var localId = r.ReadInt64();
        var time = ReadTime(ref r);
        var pos = ReadVec(ref r);
        var vel = ReadVec(ref r);
        var pcov = ReadCov(ref r);
        var vcov = ReadCov(ref r);
        var quality = r.ReadInt32();
        if (quality is < 0 or > 15)
        {
            throw new InvalidValueException();
        }

        var kind = ReadEnum<TrackKind>(ref r, (byte)TrackKind.Interceptor);
        var affiliation = ReadEnum<Affiliation>(ref r, (byte)Affiliation.Hostile);
        var identity = r.ReadUInt32();
        var n = ReadArrayHeader(ref r, 0, MaxListLength);
        ImmutableArray<string> sensors;
        if (cache is not null)
        {
            var scratch = cache.Scratch;
            for (var i = 0; i < n; i++)
            {
                scratch[i] = ReadString(ref r, cache);
            }

            sensors = cache.List(n);
        }
        else
        {
            var builder = ImmutableArray.CreateBuilder<string>(n);
            for (var i = 0; i < n; i++)
            {
                builder.Add(ReadString(ref r, cache));
            }

            sensors = builder.MoveToImmutable();
        }

        SkipExtra(ref r, fields, TrackFields);
        return new TrackReport(reporter, number, localId, time, pos, vel, pcov, vcov, quality, kind, affiliation, identity, sensors, marking);
    }

    // ---- TrackNumberNotice: [kind, issuer, time, kept, retired (, control)] ----
    // control (appended, index 5; only on lock-step control notices): [control kind uint8 (1 Hold, 2 Resume),
    // node str, cycle int64 ≥ 1]. Older readers skip it as an extra field.

    private const int NoticeFields = 5;
    private const int ControlFields = 3;

    private static void WriteNotice(ref MessagePackWriter w, TrackNumberNotice n)
    {
        w.WriteArrayHeader(n.Control is null ? NoticeFields : NoticeFields + 1);
        w.Write((byte)n.Kind);
        WriteNation(ref w, n.Issuer);
        WriteTime(ref w, n.Time);
        w.Write(n.Kept.Value);
        w.Write(n.Retired.Value);
        if (n.Control is { } c)
        {
            w.WriteArrayHeader(ControlFields);
            w.Write((byte)c.Kind);
            WriteNation(ref w, c.Node);
            w.Write(c.Cycle);
        }
    }

    private static TrackNumberNotice ReadNotice(ref MessagePackReader r, Marking marking, WireDecodeCache? cache)
    {
        var fields = ReadArrayHeader(ref r, NoticeFields, int.MaxValue);
        var kind = ReadEnum<TrackNumberNoticeKind>(ref r, (byte)TrackNumberNoticeKind.Takeover);
        var issuer = ReadNation(ref r, cache);
        var time = ReadTime(ref r);
        var kept = new TrackNumber(r.ReadInt32());
        var retired = new TrackNumber(r.ReadInt32());
        LockStepControl? control = null;
        if (fields > NoticeFields)
        {
            control = ReadControl(ref r, cache);
        }

        SkipExtra(ref r, fields, fields > NoticeFields ? NoticeFields + 1 : NoticeFields);
        return new TrackNumberNotice(kind, issuer, time, kept, retired, marking) { Control = control };
    }

    private static LockStepControl? ReadControl(ref MessagePackReader r, WireDecodeCache? cache)
    {
        if (r.TryReadNil())
        {
            return null;
        }

        var fields = ReadArrayHeader(ref r, ControlFields, int.MaxValue);
        var kind = r.ReadByte();
        if (kind is < (byte)LockStepControlKind.Hold or > (byte)LockStepControlKind.Resume)
        {
            throw new InvalidValueException();
        }

        var node = ReadNation(ref r, cache);
        var cycle = r.ReadInt64();
        if (node == default || cycle < 1)
        {
            throw new InvalidValueException();
        }

        SkipExtra(ref r, fields, ControlFields);
        return new LockStepControl((LockStepControlKind)kind, node, cycle);
    }

    // ---- Alert: [id, time, state, warned, threat, kind, asset, lat, lon, h, semiMajor, semiMinor, orientation, timeOfImpact] ----

    private const int AlertFields = 14;

    private static void WriteAlert(ref MessagePackWriter w, Alert a)
    {
        w.WriteArrayHeader(AlertFields);
        w.Write(a.Id);
        WriteTime(ref w, a.Time);
        w.Write((byte)a.State);
        WriteNation(ref w, a.Warned);
        w.Write(a.Threat.Value);
        w.Write((byte)a.Kind);
        w.Write(a.AssetName);
        w.Write(a.PredictedImpact.LatitudeRad);
        w.Write(a.PredictedImpact.LongitudeRad);
        w.Write(a.PredictedImpact.HeightM);
        w.Write(a.EllipseSemiMajorM);
        w.Write(a.EllipseSemiMinorM);
        w.Write(a.EllipseOrientationRad);
        WriteTime(ref w, a.TimeOfImpact);
    }

    private static Alert ReadAlert(ref MessagePackReader r, Marking marking, WireDecodeCache? cache)
    {
        var fields = ReadArrayHeader(ref r, AlertFields, int.MaxValue);
        var id = ReadString(ref r, cache);
        var time = ReadTime(ref r);
        var state = ReadEnum<AlertState>(ref r, (byte)AlertState.Cleared);
        var warned = ReadNation(ref r, cache);
        var threat = new TrackNumber(r.ReadInt32());
        var kind = ReadEnum<TrackKind>(ref r, (byte)TrackKind.Interceptor);
        var asset = ReadString(ref r, cache);
        var impact = new Geodetic(r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
        var semiMajor = r.ReadDouble();
        var semiMinor = r.ReadDouble();
        var orientation = r.ReadDouble();
        var toi = ReadTime(ref r);
        SkipExtra(ref r, fields, AlertFields);
        return new Alert(id, time, state, warned, threat, kind, asset, impact, semiMajor, semiMinor, orientation, toi, marking);
    }

    // ---- Engagement: [id, time, status, threat, battery, owner, decidedBy, plannedIntercept, pk] ----

    private const int EngagementFields = 9;

    private static void WriteEngagement(ref MessagePackWriter w, Engagement e)
    {
        w.WriteArrayHeader(EngagementFields);
        w.Write(e.Id);
        WriteTime(ref w, e.Time);
        w.Write((byte)e.Status);
        w.Write(e.Threat.Value);
        w.Write(e.BatteryId);
        WriteNation(ref w, e.Owner);
        w.Write(e.DecidedBy);
        WriteTime(ref w, e.PlannedIntercept);
        w.Write(e.KillProbability);
    }

    private static Engagement ReadEngagement(ref MessagePackReader r, Marking marking, WireDecodeCache? cache)
    {
        var fields = ReadArrayHeader(ref r, EngagementFields, int.MaxValue);
        var id = ReadString(ref r, cache);
        var time = ReadTime(ref r);
        var status = ReadEnum<EngagementStatus>(ref r, (byte)EngagementStatus.Cancelled);
        var threat = new TrackNumber(r.ReadInt32());
        var battery = ReadString(ref r, cache);
        var owner = ReadNation(ref r, cache);
        var decidedBy = ReadString(ref r, cache);
        var planned = ReadTime(ref r);
        var pk = r.ReadDouble();
        SkipExtra(ref r, fields, EngagementFields);
        return new Engagement(id, time, status, threat, battery, owner, decidedBy, planned, pk, marking);
    }

    /// <summary>A field outside its schema range; turned into <see cref="WireStatus.InvalidValue"/>.</summary>
    private sealed class InvalidValueException : Exception
    {
    }
}
