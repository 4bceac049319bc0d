using System.Globalization;

namespace Kizuna.Core.IO;

/// <summary>
/// A small, fast CSV row writer for numeric outputs: doubles in shortest round-trip form with
/// the invariant culture, no per-field string allocation.
/// </summary>
public sealed class CsvRowWriter : IDisposable
{
    private readonly TextWriter _writer;
    private readonly char[] _buffer = new char[64];
    private bool _first = true;

    /// <summary>Wraps a text writer (owned: disposed with this object).</summary>
    public CsvRowWriter(TextWriter writer) => _writer = writer;

    /// <summary>Opens a file for writing with a 64 KiB buffer.</summary>
    public static CsvRowWriter Create(string path) =>
        new(new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false), 1 << 16) { NewLine = "\n" });

    /// <summary>Writes a header line.</summary>
    public void Header(string header)
    {
        _writer.Write(header);
        _writer.Write('\n');
        _first = true;
    }

    /// <summary>Writes a double field (shortest round-trip; NaN as empty).</summary>
    public CsvRowWriter Field(double value)
    {
        Separator();
        if (double.IsFinite(value) && value.TryFormat(_buffer, out var n, default, CultureInfo.InvariantCulture))
        {
            _writer.Write(_buffer, 0, n);
        }

        return this;
    }

    /// <summary>Writes a double field rounded to <paramref name="decimals"/> decimals.</summary>
    public CsvRowWriter Field(double value, int decimals)
    {
        Separator();
        if (double.IsFinite(value) && Math.Round(value, decimals).TryFormat(_buffer, out var n, default, CultureInfo.InvariantCulture))
        {
            _writer.Write(_buffer, 0, n);
        }

        return this;
    }

    /// <summary>Writes an integer field.</summary>
    public CsvRowWriter Field(long value)
    {
        Separator();
        value.TryFormat(_buffer, out var n, default, CultureInfo.InvariantCulture);
        _writer.Write(_buffer, 0, n);
        return this;
    }

    /// <summary>Writes a UTC time field in ISO 8601 round-trip form.</summary>
    public CsvRowWriter Field(DateTime utc)
    {
        Separator();
        utc.TryFormat(_buffer, out var n, "O", CultureInfo.InvariantCulture);
        _writer.Write(_buffer, 0, n);
        return this;
    }

    /// <summary>Writes a text field, quoted when it holds a comma, quote or newline.</summary>
    public CsvRowWriter Field(string? text)
    {
        Separator();
        if (string.IsNullOrEmpty(text))
        {
            return this;
        }

        if (text.AsSpan().IndexOfAny(",\"\n\r") < 0)
        {
            _writer.Write(text);
        }
        else
        {
            _writer.Write('"');
            _writer.Write(text.Replace("\"", "\"\"", StringComparison.Ordinal));
            _writer.Write('"');
        }

        return this;
    }

    /// <summary>Ends the row.</summary>
    public void EndRow()
    {
        _writer.Write('\n');
        _first = true;
    }

    /// <summary>Flushes the underlying writer.</summary>
    public void Flush() => _writer.Flush();

    /// <inheritdoc/>
    public void Dispose() => _writer.Dispose();

    private void Separator()
    {
        if (!_first)
        {
            _writer.Write(',');
        }

        _first = false;
    }
}
