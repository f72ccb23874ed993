using System.Text;

namespace EcoSpatial.SpatialCore.Import;

/// <summary>
/// An ASCII-compatible encoding (GB18030) whose <see cref="GetString(byte[], int, int)"/> decodes a run of bytes that
/// are all ASCII with the vectorised ASCII decoder, and everything else, and every other member, with the encoding it
/// wraps. In GB18030 a byte below 0x80 that does not follow a lead byte is always that ASCII character, so the text is
/// the same either way. (Not for 7-bit encodings with shift sequences, such as ISO-2022 or HZ.) Short non-ASCII runs
/// are decoded once: the text of each of the first <see cref="MaxRemembered"/> distinct ones is remembered and given
/// again when the same bytes come back.
/// </summary>
/// <remarks>
/// The Shapefile reader decodes each character field of each record with one <c>GetString</c> call. Most fields of a
/// 三调 .dbf (BSM, DLBM, ZLDWDM, QSDWDM, …) are ASCII codes, and the code-page decoder of GB18030 sets up a decoder
/// per call, which for a field of 20 bytes costs several times the decoding: about 0.1 CPU-second per 100,000
/// parcels. The Chinese fields (DLMC, the 地类名称, and the names of units) repeat a few dozen values over a whole
/// survey; decoding each occurrence allocated five objects (600 bytes) per field.
/// </remarks>
public sealed class AsciiFirstEncoding : Encoding
{
    /// <summary>Non-ASCII runs longer than this are decoded each time (a field of names is shorter).</summary>
    public const int MaxRememberedBytes = 64;

    /// <summary>Distinct non-ASCII runs whose text is remembered; later ones are decoded each time.</summary>
    public const int MaxRemembered = 4096;

    private readonly Encoding inner;
    private readonly Lock gate = new();
    private readonly Dictionary<byte[], string> remembered = new(ByteContent.Comparer);
    private readonly Dictionary<byte[], string>.AlternateLookup<ReadOnlySpan<byte>> rememberedBySpan;

    /// <summary>Wraps <paramref name="inner"/>, which must decode every byte below 0x80 met alone as that ASCII character.</summary>
    public AsciiFirstEncoding(Encoding inner)
        : base((inner ?? throw new ArgumentNullException(nameof(inner))).CodePage, inner.EncoderFallback, inner.DecoderFallback)
    {
        this.inner = inner;
        rememberedBySpan = remembered.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    /// <summary>The wrapped encoding.</summary>
    public Encoding Inner => inner;

    /// <inheritdoc/>
    public override string WebName => inner.WebName;

    /// <inheritdoc/>
    public override string EncodingName => inner.EncodingName;

    /// <inheritdoc/>
    public override string BodyName => inner.BodyName;

    /// <inheritdoc/>
    public override string HeaderName => inner.HeaderName;

    /// <inheritdoc/>
    public override bool IsSingleByte => inner.IsSingleByte;

    /// <inheritdoc/>
    public override ReadOnlySpan<byte> Preamble => inner.Preamble;

    /// <inheritdoc/>
    public override string GetString(byte[] bytes, int index, int count)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var span = bytes.AsSpan(index, count);
        if (Ascii.IsValid(span))
        {
            return ASCII.GetString(span);
        }

        if (count > MaxRememberedBytes)
        {
            return inner.GetString(bytes, index, count);
        }

        lock (gate)
        {
            if (rememberedBySpan.TryGetValue(span, out var known))
            {
                return known;
            }
        }

        var text = inner.GetString(bytes, index, count);
        lock (gate)
        {
            if (remembered.Count < MaxRemembered)
            {
                rememberedBySpan.TryAdd(span, text);
            }
        }

        return text;
    }

    /// <inheritdoc/>
    public override byte[] GetPreamble() => inner.GetPreamble();

    /// <inheritdoc/>
    public override int GetByteCount(char[] chars, int index, int count) => inner.GetByteCount(chars, index, count);

    /// <inheritdoc/>
    public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex) =>
        inner.GetBytes(chars, charIndex, charCount, bytes, byteIndex);

    /// <inheritdoc/>
    public override int GetCharCount(byte[] bytes, int index, int count) => inner.GetCharCount(bytes, index, count);

    /// <inheritdoc/>
    public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex) =>
        inner.GetChars(bytes, byteIndex, byteCount, chars, charIndex);

    /// <inheritdoc/>
    public override int GetMaxByteCount(int charCount) => inner.GetMaxByteCount(charCount);

    /// <inheritdoc/>
    public override int GetMaxCharCount(int byteCount) => inner.GetMaxCharCount(byteCount);

    /// <inheritdoc/>
    public override Decoder GetDecoder() => inner.GetDecoder();

    /// <inheritdoc/>
    public override Encoder GetEncoder() => inner.GetEncoder();

    /// <inheritdoc/>
    public override bool Equals(object? value) => value is AsciiFirstEncoding other && inner.Equals(other.inner);

    /// <inheritdoc/>
    public override int GetHashCode() => inner.GetHashCode();

    /// <summary>Byte arrays compared by content, and looked up by a span of bytes without copying it.</summary>
    private sealed class ByteContent : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly ByteContent Comparer = new();

        public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = default(HashCode);
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
