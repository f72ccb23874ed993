using System.Buffers.Binary;
using EcoSpatial.SpatialCore.Errors;
using NetTopologySuite.IO.Esri;
using NetTopologySuite.IO.Esri.Shapefiles.Readers;

namespace EcoSpatial.SpatialCore.Import;

/// <summary>
/// A Shapefile (<c>.shp</c> + <c>.dbf</c>, optional <c>.shx</c>, <c>.prj</c>, <c>.cpg</c>) as an
/// <see cref="IFeatureSource"/>, read record by record with NetTopologySuite.IO.Esri.Shapefile. Before reading, the
/// files are checked against each other: the <c>.shp</c> length its header declares, its shape type (polygons only),
/// and the record counts of <c>.shp</c> and <c>.dbf</c>.
/// </summary>
public sealed class ShapefileSource : IFeatureSource
{
    private const int PolygonType = 5;
    private readonly string shpPath;
    private readonly string? temporaryFolder;
    private readonly System.Text.Encoding encoding;
    private readonly List<string> notes = [];

    private ShapefileSource(string shpPath, string? temporaryFolder, string? memberNote)
    {
        this.shpPath = shpPath;
        this.temporaryFolder = temporaryFolder;
        try
        {
            if (memberNote is not null)
            {
                notes.Add(memberNote);
            }

            var dbfPath = Sibling(".dbf") ?? throw Malformed($"The Shapefile '{Path.GetFileName(shpPath)}' has no .dbf (attributes); it cannot be read.");
            Count = CheckFiles(shpPath, dbfPath, Sibling(".shx"));
            if (Sibling(".shx") is null)
            {
                notes.Add("The Shapefile has no .shx index; the .shp was read sequentially.");
            }

            DeclaredCrs = Sibling(".prj") is { } prj ? File.ReadAllText(prj).Trim() : null;
            var cpg = Sibling(".cpg") is { } cpgPath ? File.ReadAllText(cpgPath) : null;
            (encoding, var note) = DbfEncoding.Choose(dbfPath, cpg);
            notes.Add(note);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public string Format => "Shapefile";

    /// <inheritdoc/>
    public string? DeclaredCrs { get; }

    /// <inheritdoc/>
    public int? Count { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> Notes => notes;

    /// <summary>Opens a <c>.shp</c> with its sibling files in the same folder.</summary>
    public static ShapefileSource OpenShp(string shpPath) => new(shpPath, null, null);

    /// <summary>
    /// Opens the Shapefile in a zip: the only one, or the one named <paramref name="member"/> (its name with or
    /// without <c>.shp</c>, case-insensitive). Its members are extracted, within the caps of <see cref="SafeZip"/>,
    /// to a temporary folder that <see cref="Dispose"/> deletes.
    /// </summary>
    /// <exception cref="SpatialInputException"><see cref="SpatialError.MalformedInput"/>: hostile, empty or incomplete zip.</exception>
    public static ShapefileSource OpenZip(string zipPath, string? member)
    {
        using var zip = SafeZip.Open(zipPath);
        var shps = zip.Entries.Where(e => e.FullName.EndsWith(".shp", StringComparison.OrdinalIgnoreCase)).ToList();
        if (shps.Count == 0)
        {
            var found = zip.Entries.Count == 0 ? "nothing" : string.Join(", ", zip.Entries.Take(10).Select(e => e.FullName));
            throw Malformed($"The zip holds no Shapefile (.shp); found {found}.");
        }

        static string Stem(string name) => name[..^4];
        var chosen = member is null
            ? (shps.Count == 1 ? shps[0] : throw Malformed(
                $"The zip holds {shps.Count} Shapefiles ({string.Join(", ", shps.Select(e => e.FullName))}); choose one with --member NAME."))
            : shps.FirstOrDefault(e => Stem(e.FullName).Equals(member, StringComparison.OrdinalIgnoreCase)
                    || Path.GetFileName(Stem(e.FullName)).Equals(Path.GetFileNameWithoutExtension(member), StringComparison.OrdinalIgnoreCase))
                ?? throw new SpatialInputException(SpatialError.InvalidArgument,
                    $"--member {member}: the zip has no such Shapefile; it holds {string.Join(", ", shps.Select(e => e.FullName))}.");

        var stem = Stem(chosen.FullName);
        var members = new List<(string Entry, string Extension)>();
        foreach (var extension in new[] { ".shp", ".shx", ".dbf", ".prj", ".cpg" })
        {
            var entry = zip.Entries.FirstOrDefault(e => e.FullName.Equals(stem + extension, StringComparison.OrdinalIgnoreCase));
            if (entry is not null)
            {
                members.Add((entry.FullName, extension));
            }
            else if (extension == ".dbf")
            {
                throw Malformed($"The zip has {chosen.FullName} but no {Path.GetFileName(stem)}.dbf (its attributes); a Shapefile needs both.");
            }
        }

        var folder = Directory.CreateTempSubdirectory("eco-shp-").FullName;
        try
        {
            // The members inflate side by side, each from an archive reader of its own (a reader is not thread-safe).
            var extractions = members.Select(m => Task.Run(() =>
            {
                using var own = SafeZip.Open(zipPath);
                own.Extract(own.Entries.First(e => e.FullName == m.Entry), Path.Combine(folder, "layer" + m.Extension));
            })).ToArray();
            try
            {
                Task.WaitAll(extractions);
            }
            catch (AggregateException e)
            {
                // Rethrown as thrown: a refusal first, else the first failure.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(
                    e.InnerExceptions.OfType<SpatialInputException>().FirstOrDefault() ?? e.InnerExceptions[0]);
            }

            return new ShapefileSource(Path.Combine(folder, "layer.shp"), folder,
                shps.Count > 1 ? $"Read the member {chosen.FullName} of the zip." : null);
        }
        catch
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            throw;
        }
    }

    /// <inheritdoc/>
    public IEnumerable<SourceFeature> Read()
    {
        var options = new ShapefileReaderOptions
        {
            // GB18030 leaves ASCII bytes as ASCII: its all-ASCII fields, most of them, are decoded the fast way.
            Encoding = encoding.CodePage == DbfEncoding.Gb18030.CodePage ? new AsciiFirstEncoding(encoding) : encoding,
            GeometryBuilderMode = GeometryBuilderMode.IgnoreInvalidShapes,
        };
        ShapefileReader reader;
        try
        {
            reader = Shapefile.OpenRead(shpPath, options);
        }
        catch (Exception e) when (e is not SpatialInputException)
        {
            throw Malformed($"The Shapefile cannot be opened: {e.Message}");
        }

        using (reader)
        {
            var index = 0;
            while (true)
            {
                SourceFeature feature;
                try
                {
                    if (!reader.Read(out var deleted))
                    {
                        break;
                    }

                    var fields = reader.Fields;
                    var attributes = new KeyValuePair<string, object?>[fields.Count];
                    for (var i = 0; i < attributes.Length; i++)
                    {
                        attributes[i] = new(fields[i].Name, Normalise(fields[i].Value));
                    }

                    feature = deleted
                        ? new SourceFeature(index, null, null, attributes, "the record is marked deleted in the .dbf")
                        : new SourceFeature(index, null, reader.Geometry, attributes, null);
                }
                catch (Exception e) when (e is not SpatialInputException)
                {
                    throw Malformed($"The Shapefile is corrupt at record {index + 1}: {e.Message}");
                }

                yield return feature;
                index++;
            }
        }
    }

    /// <summary>DBF values as attribute values: text trimmed, every number a double.</summary>
    private static object? Normalise(object? value) => value switch
    {
        string text => text.Trim(),
        double or bool or DateTime or null => value,
        decimal number => (double)number,
        IConvertible number => number.ToDouble(System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    /// <inheritdoc/>
    public void Dispose()
    {
        if (temporaryFolder is not null && Directory.Exists(temporaryFolder))
        {
            Directory.Delete(temporaryFolder, recursive: true);
        }
    }

    private string? Sibling(string extension)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(shpPath))!;
        var stem = Path.GetFileNameWithoutExtension(shpPath);
        return Directory.EnumerateFiles(folder, stem + ".*")
            .FirstOrDefault(f => Path.GetFileName(f).Equals(stem + extension, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Checks the headers of .shp, .shx and .dbf against the files and each other; returns the record count.</summary>
    private static int CheckFiles(string shpPath, string dbfPath, string? shxPath)
    {
        var shpLength = new FileInfo(shpPath).Length;
        Span<byte> header = stackalloc byte[100];
        using (var shp = File.OpenRead(shpPath))
        {
            if (shp.ReadAtLeast(header, 100, throwOnEndOfStream: false) < 100 || BinaryPrimitives.ReadInt32BigEndian(header) != 9994)
            {
                throw Malformed($"The .shp is not a Shapefile (its {shpLength}-byte header is missing or has the wrong file code).");
            }
        }

        var declared = 2L * BinaryPrimitives.ReadInt32BigEndian(header[24..]);
        if (declared > shpLength)
        {
            throw Malformed($"The .shp is truncated: its header declares {declared} bytes, the file has {shpLength}.");
        }

        var shapeType = BinaryPrimitives.ReadInt32LittleEndian(header[32..]);
        if (shapeType % 10 != PolygonType && shapeType != 0)
        {
            throw new SpatialInputException(SpatialError.NotPolygonal,
                $"The Shapefile holds {ShapeName(shapeType)} shapes; a layer needs polygons.");
        }

        var records = CountShpRecords(shpPath, declared);
        if (shxPath is not null)
        {
            var indexed = (new FileInfo(shxPath).Length - 100) / 8;
            if (indexed != records)
            {
                throw Malformed($"The .shx indexes {indexed} shapes but the .shp holds {records}.");
            }
        }

        Span<byte> dbfHeader = stackalloc byte[32];
        var dbfLength = new FileInfo(dbfPath).Length;
        using (var dbf = File.OpenRead(dbfPath))
        {
            if (dbf.ReadAtLeast(dbfHeader, 32, throwOnEndOfStream: false) < 32)
            {
                throw Malformed($"The .dbf is not a dBASE file ({dbfLength} bytes).");
            }
        }

        var dbfRecords = BinaryPrimitives.ReadUInt32LittleEndian(dbfHeader[4..]);
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(dbfHeader[8..]);
        var recordLength = BinaryPrimitives.ReadUInt16LittleEndian(dbfHeader[10..]);
        if (headerLength < 33 || recordLength < 1 || headerLength + (long)dbfRecords * recordLength > dbfLength)
        {
            throw Malformed($"The .dbf is truncated or corrupt: its header declares {dbfRecords} records of {recordLength} bytes after {headerLength} header bytes, the file has {dbfLength} bytes.");
        }

        if (dbfRecords != records)
        {
            throw Malformed($"The .dbf has {dbfRecords} records but the .shp has {records} shapes; the files do not belong together.");
        }

        return records;
    }

    /// <summary>Walks the record headers of the .shp; throws when a record runs past the end.</summary>
    private static int CountShpRecords(string shpPath, long declaredLength)
    {
        using var shp = new FileStream(shpPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        Span<byte> recordHeader = stackalloc byte[8];
        long position = 100;
        var count = 0;
        while (position < declaredLength)
        {
            shp.Position = position;
            if (shp.ReadAtLeast(recordHeader, 8, throwOnEndOfStream: false) < 8)
            {
                throw Malformed($"The .shp is truncated in the header of record {count + 1}.");
            }

            var contentLength = 2L * BinaryPrimitives.ReadInt32BigEndian(recordHeader[4..]);
            if (contentLength < 0 || position + 8 + contentLength > declaredLength)
            {
                throw Malformed($"The .shp is truncated: record {count + 1} runs past the end of the file.");
            }

            position += 8 + contentLength;
            count++;
        }

        return count;
    }

    private static string ShapeName(int type) => type == 31 ? "MultiPatch" : (type % 10) switch
    {
        1 => "Point",
        3 => "PolyLine",
        8 => "MultiPoint",
        _ => $"type-{type}",
    };

    private static SpatialInputException Malformed(string message) => new(SpatialError.MalformedInput, message);
}
