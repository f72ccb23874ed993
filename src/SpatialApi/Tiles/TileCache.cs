using System.Collections.Concurrent;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Primitives;

namespace EcoSpatial.SpatialApi.Tiles;

/// <summary>
/// Tiles kept in memory (256 MiB, least recently used first out). A key names the version it was made from, so a
/// cached tile is never wrong; and when a request finds that a layer's current version changed, every cached tile
/// of that layer is evicted at once, so the memory goes to the new version.
/// </summary>
public sealed class TileCache : IDisposable
{
    public const long SizeLimitBytes = 256L * 1024 * 1024;

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = SizeLimitBytes });
    private readonly ConcurrentDictionary<string, LayerGeneration> layers = new();

    private sealed record LayerGeneration(long CurrentVersion, CancellationTokenSource Evict);

    /// <summary>Notes the current version of a layer; a different one than last seen evicts the layer's tiles.</summary>
    public void ObserveCurrent(string layer, long versionId)
    {
        while (true)
        {
            var seen = layers.GetOrAdd(layer, _ => new LayerGeneration(versionId, new CancellationTokenSource()));
            if (seen.CurrentVersion == versionId)
            {
                return;
            }

            if (layers.TryUpdate(layer, new LayerGeneration(versionId, new CancellationTokenSource()), seen))
            {
                seen.Evict.Cancel();
                seen.Evict.Dispose();
                return;
            }
        }
    }

    public bool TryGet(string key, out byte[] tile) => cache.TryGetValue(key, out tile!);

    public void Set(string layer, string key, byte[] tile)
    {
        var generation = layers.GetOrAdd(layer, _ => new LayerGeneration(-1, new CancellationTokenSource()));
        var options = new MemoryCacheEntryOptions { Size = Math.Max(tile.Length, 64) };
        try
        {
            options.AddExpirationToken(new CancellationChangeToken(generation.Evict.Token));
        }
        catch (ObjectDisposedException)
        {
            return; // evicted meanwhile: do not cache a tile of the old generation
        }

        cache.Set(key, tile, options);
    }

    /// <summary>Number of tiles held (for tests and benchmarks).</summary>
    public long Count => cache.Count;

    /// <summary>Drops every tile (benchmarks measure the uncached path with it).</summary>
    public void Clear() => cache.Clear();

    public void Dispose()
    {
        cache.Dispose();
        foreach (var generation in layers.Values)
        {
            generation.Evict.Dispose();
        }
    }
}
