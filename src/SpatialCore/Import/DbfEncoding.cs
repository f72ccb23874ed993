using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace EcoSpatial.SpatialCore.Import;

/// <summary>
/// Chooses the encoding of a <c>.dbf</c>: the <c>.cpg</c> when there is one, else UTF-8 when every record is valid
/// UTF-8, else GB18030 (a superset of GBK/GB2312, what Chinese ArcGIS and 三调 tools write without a <c>.cpg</c>).
/// </summary>
public static class DbfEncoding
{
    static DbfEncoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>GB18030 (code page 54936).</summary>
    public static Encoding Gb18030 => Encoding.GetEncoding("GB18030");

    /// <summary>The encoding to read <paramref name="dbfPath"/> with, and how it was chosen (for the report).</summary>
    public static (Encoding Encoding, string Note) Choose(string dbfPath, string? cpgText)
    {
        if (cpgText is not null && FromCpg(cpgText.Trim()) is { } declared)
        {
            return (declared, $"Attributes read as {declared.WebName} (from the .cpg).");
        }

        var prefix = cpgText is null ? "no .cpg" : $"the .cpg '{cpgText.Trim()}' is not an encoding name";
        return IsUtf8(dbfPath)
            ? (new UTF8Encoding(false), $"Attributes read as UTF-8 ({prefix}; the .dbf is valid UTF-8).")
            : (Gb18030, $"Attributes read as GB18030/GBK ({prefix}; the .dbf is not valid UTF-8).");
    }

    /// <summary>The encoding a <c>.cpg</c> names, or null when it names none this reader knows.</summary>
    public static Encoding? FromCpg(string cpg)
    {
        var name = cpg.Trim().ToUpperInvariant().Replace("ANSI ", "", StringComparison.Ordinal);
        try
        {
            return name switch
            {
                "" or "SYSTEM" or "OEM" => null,
                "UTF-8" or "UTF8" or "65001" => new UTF8Encoding(false),
                "GBK" or "CP936" or "936" or "GB2312" or "GB18030" or "54936" or "CP54936" => Gb18030,
                _ when int.TryParse(name, out var page) => Encoding.GetEncoding(page),
                _ => Encoding.GetEncoding(name),
            };
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>True when the records of the <c>.dbf</c> are valid UTF-8 (pure ASCII is).</summary>
    public static bool IsUtf8(string dbfPath)
    {
        using var stream = File.OpenRead(dbfPath);
        Span<byte> header = stackalloc byte[32];
        if (stream.ReadAtLeast(header, 32, throwOnEndOfStream: false) < 32)
        {
            return true;
        }

        stream.Position = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        var chars = ArrayPool<char>.Shared.Rent(1 << 16);
        try
        {
            var carried = 0;
            int n;
            while ((n = stream.Read(buffer, carried, (1 << 16) - carried)) > 0)
            {
                var length = carried + n;
                var status = Utf8.ToUtf16(buffer.AsSpan(0, length), chars, out var consumed, out _, replaceInvalidSequences: false, isFinalBlock: false);
                if (status == OperationStatus.InvalidData)
                {
                    return false;
                }

                carried = length - consumed;
                buffer.AsSpan(consumed, carried).CopyTo(buffer);
            }

            // A trailing 0x1A end-of-file marker is ASCII; an incomplete sequence at the very end is not UTF-8.
            return carried == 0;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
