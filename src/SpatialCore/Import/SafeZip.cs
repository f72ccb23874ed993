using System.IO.Compression;
using EcoSpatial.SpatialCore.Errors;

namespace EcoSpatial.SpatialCore.Import;

/// <summary>
/// Reads a zip archive defensively: refuses entries whose paths climb out (<c>../</c>, absolute paths), and zip
/// bombs (a total uncompressed size above <see cref="MaxTotalBytes"/>, or an entry that inflates more than
/// <see cref="MaxRatio"/> times); sizes are enforced on the bytes actually inflated, not only on what the archive
/// claims. Entry names without the UTF-8 flag are read as GB18030 (Chinese Windows zips).
/// </summary>
public sealed class SafeZip : IDisposable
{
    /// <summary>Largest total of uncompressed bytes extracted from one archive (8 GiB).</summary>
    public const long MaxTotalBytes = 8L << 30;

    /// <summary>Largest compression ratio of an entry above 1 MiB (shapefiles compress 2–20×; bombs 1000×).</summary>
    public const long MaxRatio = 200;

    private readonly ZipArchive archive;

    private SafeZip(ZipArchive archive, IReadOnlyList<ZipArchiveEntry> entries)
    {
        this.archive = archive;
        Entries = entries;
    }

    /// <summary>The file entries (no directories, no <c>__MACOSX</c> resources).</summary>
    public IReadOnlyList<ZipArchiveEntry> Entries { get; }

    /// <summary>Opens <paramref name="path"/> and checks every entry's path and declared size.</summary>
    /// <exception cref="SpatialInputException"><see cref="SpatialError.MalformedInput"/>: not a zip, or hostile.</exception>
    public static SafeZip Open(string path)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(File.OpenRead(path), ZipArchiveMode.Read, leaveOpen: false, DbfEncoding.Gb18030);
        }
        catch (InvalidDataException e)
        {
            throw new SpatialInputException(SpatialError.MalformedInput, $"The file is not a readable zip archive: {e.Message}");
        }

        try
        {
            long total = 0;
            var files = new List<ZipArchiveEntry>();
            foreach (var entry in archive.Entries)
            {
                var name = entry.FullName.Replace('\\', '/');
                if (name.StartsWith('/') || (name.Length > 1 && name[1] == ':') || name.Split('/').Any(s => s == ".."))
                {
                    throw new SpatialInputException(SpatialError.MalformedInput,
                        $"The zip entry '{entry.FullName}' has a path that climbs out of the archive; the zip is refused.");
                }

                if (name.EndsWith('/') || name.StartsWith("__MACOSX/", StringComparison.Ordinal))
                {
                    continue;
                }

                total += entry.Length;
                if (entry.Length < 0 || total > MaxTotalBytes)
                {
                    throw Bomb($"its entries inflate to more than {MaxTotalBytes >> 30} GiB");
                }

                if (entry.Length > (1 << 20) && entry.Length > Math.Max(1, entry.CompressedLength) * MaxRatio)
                {
                    throw Bomb($"the entry '{entry.FullName}' inflates {entry.Length / Math.Max(1, entry.CompressedLength)}× (more than {MaxRatio}×)");
                }

                files.Add(entry);
            }

            return new SafeZip(archive, files);
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    /// <summary>Extracts <paramref name="entry"/> to <paramref name="target"/>, enforcing its declared size and the caps.</summary>
    /// <exception cref="SpatialInputException"><see cref="SpatialError.MalformedInput"/>: corrupt entry or a bomb.</exception>
    public void Extract(ZipArchiveEntry entry, string target)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var limit = Math.Min(entry.Length, MaxTotalBytes);
        try
        {
            using var input = entry.Open();
            using var output = File.Create(target);
            var buffer = new byte[1 << 16];
            long written = 0;
            int n;
            while ((n = input.Read(buffer, 0, buffer.Length)) > 0)
            {
                written += n;
                if (written > limit)
                {
                    throw Bomb($"the entry '{entry.FullName}' inflates beyond the {entry.Length} bytes it declares");
                }

                output.Write(buffer, 0, n);
            }
        }
        catch (InvalidDataException e)
        {
            throw new SpatialInputException(SpatialError.MalformedInput, $"The zip entry '{entry.FullName}' is corrupt: {e.Message}");
        }
    }

    /// <inheritdoc/>
    public void Dispose() => archive.Dispose();

    private static SpatialInputException Bomb(string why) =>
        new(SpatialError.MalformedInput, $"The zip is refused as a possible zip bomb: {why}.");
}
