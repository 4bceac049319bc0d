using System.Buffers.Binary;

namespace Kizuna.Asterix.IO;

/// <summary>
/// Reads a raw ASTERIX file (concatenated data blocks, as in <c>.ast</c> recordings) and hands out
/// one data block per payload, split by each block's CAT and LEN.
/// </summary>
/// <remarks>
/// A data block is CAT (1 octet), LEN (2 octets, big-endian, the length of the whole block
/// including CAT and LEN) and records (EUROCONTROL ASTERIX Part 1, ed. 2.4, §5.1). LEN is hostile:
/// below 4 (no room for one FSPEC octet) or past the end of the file, it is counted with the
/// block's file offset, and the reader either stops or (by default) scans forward one byte at a
/// time for a plausible header — a known category, a LEN that fits, followed by another plausible
/// header or the exact end of the file. Every step advances at least one byte, so it terminates.
/// Memory: one pooled 256 KiB window; no per-block allocation.
/// </remarks>
public sealed class AstFileReader : IAsterixPayloadReader
{
    private const int MinBlockLength = 4;
    private readonly StreamWindow _window;
    private readonly AsterixReaderOptions _options;
    private readonly bool[] _categories;

    internal AstFileReader(StreamWindow window, AsterixReaderOptions options)
    {
        _window = window;
        _options = options;
        _categories = options.CategoryMask();
        Statistics = new ReaderStatistics(options.MaxRecordedIssues);
    }

    /// <summary>Reads blocks from <paramref name="stream"/>.</summary>
    public static AstFileReader Open(Stream stream, AsterixReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new AstFileReader(new StreamWindow(stream, WindowCapacity, leaveOpen), options ?? AsterixReaderOptions.Default);
    }

    internal const int WindowCapacity = 256 * 1024;

    /// <inheritdoc />
    public AsterixSourceFormat Format => AsterixSourceFormat.RawAsterix;

    /// <inheritdoc />
    public ReaderStatistics Statistics { get; }

    /// <inheritdoc />
    public bool TryRead(out AsterixPayload payload)
    {
        payload = default;
        while (true)
        {
            if (!_window.Ensure(3))
            {
                if (_window.Available > 0)
                {
                    Statistics.Add(ReadIssue.TruncatedFile, _window.Position);
                    _window.DiscardAll();
                }

                return false;
            }

            var len = BinaryPrimitives.ReadUInt16BigEndian(_window.Span[1..]);
            if (len < MinBlockLength)
            {
                Statistics.Add(ReadIssue.BlockLengthTooShort, _window.Position);
            }
            else if (!_window.Ensure(len))
            {
                Statistics.Add(ReadIssue.BlockLengthPastEnd, _window.Position);
            }
            else
            {
                payload = new AsterixPayload(null, null, null, _window.Slice(0, len), _window.Position);
                _window.Advance(len);
                Statistics.AddPacket();
                Statistics.AddPayload(len);
                return true;
            }

            if (_options.Resync == ResyncPolicy.Stop)
            {
                _window.DiscardAll();
                return false;
            }

            Resynchronise();
        }
    }

    private void Resynchronise()
    {
        var from = _window.Position;
        long skipped = 0;
        do
        {
            _window.Advance(1);
            skipped++;
        }
        while (_window.Ensure(1) && !PlausibleHeaderAt0());

        Statistics.Add(ReadIssue.ResyncSkipped, from, skipped);
    }

    private bool PlausibleHeaderAt0()
    {
        if (!_window.Ensure(3) || !_categories[_window.Span[0]])
        {
            return false;
        }

        int len = BinaryPrimitives.ReadUInt16BigEndian(_window.Span[1..]);
        if (len < MinBlockLength || !_window.Ensure(len))
        {
            return false;
        }

        if (!_window.Ensure(len + 1))
        {
            return true; // the block ends exactly at the end of the file
        }

        if (!_window.Ensure(len + 3))
        {
            return false; // 1–2 stray bytes after it: not a clean chain
        }

        var next = _window.Span[len..];
        return _categories[next[0]] && BinaryPrimitives.ReadUInt16BigEndian(next[1..]) >= MinBlockLength;
    }

    /// <inheritdoc />
    public void Dispose() => _window.Dispose();
}
