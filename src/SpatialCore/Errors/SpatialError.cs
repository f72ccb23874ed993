namespace EcoSpatial.SpatialCore.Errors;

/// <summary>What went wrong with spatial input, independent of how it is reported (HTTP, CLI).</summary>
public enum SpatialError
{
    /// <summary>The geometry is not a valid, finite lon/lat polygon.</summary>
    InvalidGeometry,

    /// <summary>The geometry is not polygonal.</summary>
    NotPolygonal,

    /// <summary>The geometry carries an SRID that the operation does not accept.</summary>
    WrongCrs,

    /// <summary>An input file could not be read as the format it claims to be.</summary>
    MalformedInput,

    /// <summary>An import left no valid feature to store.</summary>
    NothingToImport,

    /// <summary>An argument (date, option) is not one the operation accepts.</summary>
    InvalidArgument,

    /// <summary>The named thing (layer, version) does not exist.</summary>
    NotFound,
}

/// <summary>A precondition on spatial input failed; <see cref="Error"/> says which kind.</summary>
/// <param name="error">The kind of failure.</param>
/// <param name="message">A one-line explanation for the user.</param>
public sealed class SpatialInputException(SpatialError error, string message) : Exception(message)
{
    /// <summary>The kind of failure.</summary>
    public SpatialError Error { get; } = error;
}
