namespace EcoSpatial.SpatialCore.Tests.Support;

/// <summary>Paths inside the repository, found by walking up to <c>EcoSpatial.sln</c>.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "EcoSpatial.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EcoSpatial.sln not found above the test binaries.");
    }
}
