using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EcoSpatial.SpatialCore.Tests.Support;
using Npgsql;

namespace EcoSpatial.SpatialApi.Tests.Scaling;

/// <summary>
/// A PostgreSQL primary and a streaming hot standby on loopback, started by <c>tests/replica/pair.sh</c> in a folder
/// under /tmp (reachable by the postgres OS user) and stopped and deleted by <see cref="DisposeAsync"/>, also when
/// starting fails half-way; a pair left by a killed test run is removed by the next start. Ports: <c>ECO_REPLICA_PORTS</c> (<c>P1,P2</c>) when set, else two free ones.
/// </summary>
public sealed class ReplicaPair : IAsyncDisposable
{
    private static readonly string Script = Repo.File("tests", "replica", "pair.sh");

    private readonly string folder;

    private ReplicaPair(string folder, int primaryPort, int standbyPort, string connectionString)
    {
        this.folder = folder;
        PrimaryPort = primaryPort;
        StandbyPort = standbyPort;
        ConnectionString = connectionString;
    }

    public int PrimaryPort { get; }
    public int StandbyPort { get; }

    /// <summary>The Npgsql multi-host connection string over both servers, database <c>ecospatial</c>.</summary>
    public string ConnectionString { get; }

    public static async Task<ReplicaPair> StartAsync()
    {
        var (p1, p2) = Ports();
        var folder = $"/tmp/eco-replica-{Guid.NewGuid():N}";
        try
        {
            var output = await RunAsync("start", folder, p1.ToString(CultureInfo.InvariantCulture), p2.ToString(CultureInfo.InvariantCulture));
            var connection = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
            return new ReplicaPair(folder, p1, p2, connection);
        }
        catch
        {
            await RunAsync("stop", folder);
            throw;
        }
    }

    /// <summary>A connection to one server only (no pooling: nothing is left open on the servers).</summary>
    public async Task<NpgsqlConnection> OpenAsync(int port)
    {
        var connection = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={port};Username=postgres;Database=ecospatial;Pooling=false;Application Name=eco-replica-probe");
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Runs a scalar query on one server.</summary>
    public async Task<T> ScalarAsync<T>(int port, string sql, params object[] parameters)
    {
        await using var connection = await OpenAsync(port);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Stops the primary (fast shutdown); the standby stays up.</summary>
    public Task StopPrimaryAsync() => RunAsync("stop-primary", folder);

    public async ValueTask DisposeAsync() => await RunAsync("stop", folder);

    private static (int, int) Ports()
    {
        if (Environment.GetEnvironmentVariable("ECO_REPLICA_PORTS") is { Length: > 0 } given)
        {
            var ports = given.Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            return (ports[0], ports[1]);
        }

        // Two listeners open at once so that the ports differ; closed before PostgreSQL binds them.
        var a = new TcpListener(IPAddress.Loopback, 0);
        var b = new TcpListener(IPAddress.Loopback, 0);
        a.Start();
        b.Start();
        try
        {
            return (((IPEndPoint)a.LocalEndpoint).Port, ((IPEndPoint)b.LocalEndpoint).Port);
        }
        finally
        {
            a.Stop();
            b.Stop();
        }
    }

    private static async Task<string> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ECO_REPLICA_OWNER"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        start.ArgumentList.Add(Script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pair.sh {string.Join(' ', arguments)} did not finish in 90 s: {await stderr}");
        }

        return process.ExitCode == 0
            ? await stdout
            : throw new InvalidOperationException($"pair.sh {string.Join(' ', arguments)} failed ({process.ExitCode}): {await stderr}");
    }
}
