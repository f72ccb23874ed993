using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using EcoSpatial.SpatialApi.Checks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace EcoSpatial.SpatialApi.Tests.Checks;

/// <summary>The check tests run one after another; each makes its own database (some start two hosts on it).</summary>
[CollectionDefinition(nameof(ChecksCollection), DisableParallelization = true)]
public sealed class ChecksCollection;

/// <summary>The service on a given database, with a fast scheduler and alert backoff, and an optional hook in each run.</summary>
public sealed class ChecksHost(string connectionString, Func<CheckDefinition, CancellationToken, Task>? beforeEvaluate = null)
    : WebApplicationFactory<Program>
{
    public const string EditorKey = "checks-editor-key";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ECO_DB", connectionString);
        builder.UseSetting("ECO_LOAD_DEMO", "false");
        builder.UseSetting("ECO_EDITOR_KEY", EditorKey);
        builder.ConfigureTestServices(services => services.AddSingleton(new CheckOptions
        {
            PollInterval = TimeSpan.FromMilliseconds(100),
            AlertAttempts = 3,
            AlertBackoff = TimeSpan.FromMilliseconds(50),
            AlertTimeout = TimeSpan.FromSeconds(5),
            BeforeEvaluate = beforeEvaluate,
        }));
    }

    /// <summary>Starts the host (migrations, recovery of interrupted runs, the scheduler).</summary>
    public ChecksHost Started()
    {
        _ = Server;
        return this;
    }

    public HttpClient CreateEditor()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", EditorKey);
        return client;
    }
}

/// <summary>A webhook receiver on a free loopback port: records every POST and answers with the queued statuses, then 200.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<HttpStatusCode> answers = new();
    private readonly Task loop;

    public WebhookReceiver(params HttpStatusCode[] firstAnswers)
    {
        foreach (var answer in firstAnswers)
        {
            answers.Enqueue(answer);
        }

        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/hook/";
        listener.Prefixes.Add(Url);
        listener.Start();
        loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>Every request received: its X-Eco-Event header, its JSON body, and the status it got.</summary>
    public ConcurrentQueue<(string? Event, JsonElement Body, HttpStatusCode Answer)> Received { get; } = new();

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream);
            var body = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement.Clone();
            // Like many small receivers, refuse a body without Content-Length (chunked); else the queued answer or 200.
            var answer = context.Request.ContentLength64 < 0 ? HttpStatusCode.LengthRequired
                : answers.TryDequeue(out var queued) ? queued : HttpStatusCode.OK;
            Received.Enqueue((context.Request.Headers["X-Eco-Event"], body, answer));
            context.Response.StatusCode = (int)answer;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }
}

public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="seconds"/> pass.</summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, double seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {seconds} s waiting for: {what}");
            }

            await Task.Delay(50);
        }
    }
}
