using AlgoPerf.Seed.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AlgoPerf.Seed.Cluster;

/// <summary>Where and how a node serves its health and metrics.</summary>
/// <param name="Host">The address to bind (<see cref="DefaultHost"/> unless told; 0.0.0.0 for every interface, as in a pod).</param>
/// <param name="Port">The port (0: a free one, see <see cref="NodeHttpServer.Url"/>).</param>
/// <param name="BearerToken">A token every request must carry as <c>Authorization: Bearer TOKEN</c>; null: none.</param>
internal sealed record NodeHttpOptions(string Host, int Port, string? BearerToken)
{
    /// <summary>The bind address when none is given: loopback only.</summary>
    public const string DefaultHost = "127.0.0.1";
}

/// <summary>A node's readiness, as <c>GET /health</c> reports it.</summary>
/// <param name="Ready">Whether the node can do its work (joined the cluster, journal reachable, ...).</param>
/// <param name="Detail">One line saying why, for a person reading the probe's output.</param>
public sealed record NodeHealth(bool Ready, string Detail);

/// <summary>
/// The HTTP endpoint of every node of a cluster (coordinator, trainer host, or an all-in-one run), on ASP.NET Core
/// (Kestrel) from the shared framework: <c>GET /health</c> (readiness: 200 <c>ready: DETAIL</c>, or 503
/// <c>not ready: DETAIL</c>), <c>GET /health/live</c> (liveness: 200 <c>alive</c> while the process serves) and
/// <c>GET /metrics</c> (the product's metrics in the Prometheus text format 0.0.4).
/// </summary>
/// <remarks>
/// With a bearer token every route requires it (401 with <c>WWW-Authenticate: Bearer</c> otherwise), probes included:
/// give the kubelet and Prometheus the header. The server neither logs to the console nor takes the process's signals
/// (<see cref="EmbeddedWebHost.CreateBuilder"/>); the caller disposes it, and owns <see cref="PrometheusExporter"/>.
/// </remarks>
internal sealed class NodeHttpServer : IAsyncDisposable
{
    /// <summary>The content type of <c>/metrics</c>: the Prometheus text exposition format.</summary>
    public const string MetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

    private const string TextContentType = "text/plain; charset=utf-8";

    private readonly WebApplication _app;

    private NodeHttpServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The address the server is bound to (with the real port when port 0 was asked), e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Url { get; }

    /// <summary>Binds and starts serving.</summary>
    /// <param name="options">Where to bind, and the token.</param>
    /// <param name="health">The node's readiness now; called on each <c>/health</c> request, from any thread.</param>
    /// <param name="metrics">What <c>/metrics</c> serves.</param>
    /// <param name="ct">Cancels the start.</param>
    /// <exception cref="ArgumentException">The token is empty or blank (give null for none).</exception>
    public static async Task<NodeHttpServer> StartAsync(NodeHttpOptions options, Func<NodeHealth> health, PrometheusExporter metrics, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(metrics);
        if (options.BearerToken is { } blank && string.IsNullOrWhiteSpace(blank))
        {
            throw new ArgumentException("the bearer token is blank: give a token, or none", nameof(options));
        }

        var app = EmbeddedWebHost.CreateBuilder("algoperf-node", options.Host, options.Port).Build();
        try
        {
            if (options.BearerToken is { } token)
            {
                EmbeddedWebHost.RequireBearerToken(app, token, acceptQuery: false);
            }

            app.MapGet("/health", (HttpContext http) => Readiness(http, health));
            app.MapGet("/health/live", (HttpContext http) => WriteAsync(http, StatusCodes.Status200OK, TextContentType, "alive"));
            app.MapGet("/metrics", (HttpContext http) => WriteAsync(http, StatusCodes.Status200OK, MetricsContentType, metrics.Collect()));
            await app.StartAsync(ct).ConfigureAwait(false);
            return new NodeHttpServer(app, new Uri(EmbeddedWebHost.BoundAddress(app) + "/"));
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>200 <c>ready: DETAIL</c> or 503 <c>not ready: DETAIL</c>; a health callback that throws means not ready.</summary>
    private static Task Readiness(HttpContext http, Func<NodeHealth> health)
    {
        NodeHealth now;
        try
        {
            now = health();
        }
#pragma warning disable CA1031 // A probe must answer: a failing health callback is itself the node's state, not a server error.
        catch (Exception e)
#pragma warning restore CA1031
        {
            now = new NodeHealth(false, $"the health check failed: {e.GetType().Name}: {e.Message}");
        }

        return now.Ready
            ? WriteAsync(http, StatusCodes.Status200OK, TextContentType, $"ready: {now.Detail}")
            : WriteAsync(http, StatusCodes.Status503ServiceUnavailable, TextContentType, $"not ready: {now.Detail}");
    }

    private static Task WriteAsync(HttpContext http, int status, string contentType, string body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        http.Response.Headers.CacheControl = "no-store";
        return http.Response.WriteAsync(body, http.RequestAborted);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
