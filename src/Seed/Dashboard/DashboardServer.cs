using System.Text.Json.Nodes;
using AlgoPerf.Scorer.Live;
using AlgoPerf.Scorer.Reports;
using AlgoPerf.Seed.Http;
using AlgoPerf.Seed.Monitoring;
using AlgoPerf.Seed.Orchestration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AlgoPerf.Seed.Dashboard;

/// <summary>Where and how the dashboard is served.</summary>
/// <param name="Host">The address to bind (127.0.0.1 by default; 0.0.0.0 for every interface).</param>
/// <param name="Port">The port (0: a free one).</param>
/// <param name="Token">A bearer token every request must carry (<c>Authorization: Bearer</c> or <c>?token=</c>); null: none.</param>
/// <param name="RunDirectory">The run directory (its report is served under <c>/report/</c> once written).</param>
internal sealed record DashboardOptions(string Host, int Port, string? Token, string RunDirectory);

/// <summary>
/// The web dashboard of a run, on ASP.NET Core (Kestrel) from the shared framework: one page (<c>/</c>, served from
/// the binary, no build step, no CDN) that follows <c>/api/events</c>, a Server-Sent Events stream of the run as the
/// live scorer projects it (<see cref="RunView"/>: trials, studies, scores with bounds) with the report's own SVG
/// charts (training curves per workload, the performance profile). <c>/api/run</c> is one snapshot as JSON.
/// </summary>
internal sealed class DashboardServer : IAsyncDisposable
{
    /// <summary>The port of a bare <c>--dashboard</c>.</summary>
    public const int DefaultPort = 8265;

    /// <summary>The environment variable that may hold the token.</summary>
    public const string TokenVariable = "ALGOPERF_DASHBOARD_TOKEN";

    private static readonly TimeSpan s_poll = TimeSpan.FromSeconds(1);

    /// <summary>How long a run's own dashboard keeps serving after the run is decided, so open pages get its final state.</summary>
    public static TimeSpan FinalStateGrace { get; } = TimeSpan.FromSeconds(2.5);
    private static readonly TimeSpan s_heartbeat = TimeSpan.FromSeconds(15);

    private readonly WebApplication _app;

    private DashboardServer(WebApplication app, string url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The address the page is served at (with the token when there is one).</summary>
    public string Url { get; }

    /// <summary>Starts serving; <paramref name="source"/> gives the run's current snapshot.</summary>
    public static async Task<DashboardServer> StartAsync(DashboardOptions options, Func<CancellationToken, Task<LiveSnapshot>> source, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(source);
        var app = EmbeddedWebHost.CreateBuilder("algoperf-dashboard", options.Host, options.Port).Build();
        if (options.Token is { } token)
        {
            EmbeddedWebHost.RequireBearerToken(app, token, acceptQuery: true);
        }

        app.MapGet("/", () => Results.Content(Page("index.html"), "text/html; charset=utf-8"));
        app.MapGet("/dashboard.js", () => Results.Content(Page("dashboard.js"), "text/javascript; charset=utf-8"));
        app.MapGet("/dashboard.css", () => Results.Content(Page("dashboard.css"), "text/css; charset=utf-8"));
        app.MapGet("/api/run", async (HttpContext http) =>
        {
            // A lambda of HttpContext alone is a RequestDelegate: it writes the response itself.
            var payload = Payload(await source(http.RequestAborted).ConfigureAwait(false)).ToJsonString();
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(payload, http.RequestAborted).ConfigureAwait(false);
        });
        app.MapGet("/api/events", (HttpContext http) => StreamAsync(http, source, time));
        app.MapGet("/report/{file}", (string file) =>
        {
            var path = Path.Combine(options.RunDirectory, "report", Path.GetFileName(file));
            return File.Exists(path) ? Results.File(path, file.EndsWith(".html", StringComparison.Ordinal) ? "text/html" : file.EndsWith(".svg", StringComparison.Ordinal) ? "image/svg+xml" : "text/plain") : Results.NotFound();
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = EmbeddedWebHost.BoundAddress(app);
        return new DashboardServer(app, options.Token is null ? address + "/" : $"{address}/?token={Uri.EscapeDataString(options.Token)}");
    }

    /// <summary>
    /// The run as the page reads it: the status JSON (<see cref="RunViewText.Json"/>) plus every trial (with the live
    /// step of running ones), the running trainers, and the SVG charts.
    /// </summary>
    public static JsonObject Payload(LiveSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var view = snapshot.View;
        var json = RunViewText.Json(snapshot.Name, RunStates.Of(view, snapshot.Live), view);
        var trials = new JsonArray();
        foreach (var t in view.Trials)
        {
            var (step, time) = snapshot.Progress(t);
            trials.Add(new JsonObject
            {
                ["id"] = t.Id,
                ["submission"] = t.Submission,
                ["workload"] = t.Workload,
                ["study"] = t.Study,
                ["trial"] = t.Trial,
                ["state"] = t.State,
                ["step"] = step,
                ["submission_time_sec"] = time,
                ["budget_sec"] = t.BudgetSec,
                ["metric"] = t.Metric,
                ["latest"] = t.Latest,
                ["target"] = double.IsFinite(t.Target) ? t.Target : null,
                ["hit_time_sec"] = t.HitTimeSec,
                ["attempts"] = t.Attempts,
                ["end"] = t.EndReason,
                ["chosen"] = t.Chosen,
            });
        }

        var curves = new JsonObject();
        foreach (var c in TrainingCurves.FromView(view))
        {
            curves[c.Workload] = TrainingCurvesSvg.Render(c);
        }

        json["trial_rows"] = trials;
        json["svg"] = new JsonObject
        {
            ["curves"] = curves,
            ["profile"] = ProfilePlotSvg.Render(view.ProfileResult ?? throw new InvalidOperationException("a view without a profile")),
        };
        return json;
    }

    private static async Task StreamAsync(HttpContext http, Func<CancellationToken, Task<LiveSnapshot>> source, TimeProvider time)
    {
        var aborted = http.RequestAborted;
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";
        string? last = null;
        var written = time.GetUtcNow();
        while (!aborted.IsCancellationRequested)
        {
            try
            {
                var data = Payload(await source(aborted).ConfigureAwait(false)).ToJsonString();
                if (data != last)
                {
                    last = data;
                    await http.Response.WriteAsync($"event: run\ndata: {data}\n\n", aborted).ConfigureAwait(false);
                    await http.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
                    written = time.GetUtcNow();
                }
                else if (time.GetUtcNow() - written > s_heartbeat)
                {
                    // A comment line keeps proxies and the browser from closing a quiet stream.
                    await http.Response.WriteAsync(": heartbeat\n\n", aborted).ConfigureAwait(false);
                    await http.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
                    written = time.GetUtcNow();
                }

                await Task.Delay(s_poll, time, aborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Akka.Actor.AskTimeoutException)
            {
                // The run is shutting down or the journal is slow: keep the connection, try again.
                await http.Response.WriteAsync(": waiting for the run\n\n", aborted).ConfigureAwait(false);
            }
        }
    }

    private static string Page(string name)
    {
        using var stream = typeof(DashboardServer).Assembly.GetManifestResourceStream("dashboard/" + name)
            ?? throw new InvalidOperationException($"the dashboard's {name} is not in the binary");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
