using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using AlgoPerf.Contracts.Diagnostics;
using AlgoPerf.Seed.Cluster;

namespace AlgoPerf.Seed.Tests.Cluster;

public sealed class NodeHttpServerTests : IDisposable
{
    private readonly Meter _meter = new($"AlgoPerf.Tests.{Guid.NewGuid():N}");
    private readonly PrometheusExporter _metrics;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public NodeHttpServerTests() => _metrics = new PrometheusExporter(_meter.Name);

    private Task<NodeHttpServer> StartSut(Func<NodeHealth>? health = null, string? token = null, PrometheusExporter? metrics = null) =>
        NodeHttpServer.StartAsync(
            new NodeHttpOptions(NodeHttpOptions.DefaultHost, 0, token),
            health ?? (() => new NodeHealth(true, "joined")),
            metrics ?? _metrics,
            CancellationToken.None);

    private async Task<(HttpStatusCode Status, string Body)> GetAsync(NodeHttpServer server, string path, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Url, path));
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task StartAsync_PortZero_UrlIsTheBoundLoopbackPort()
    {
        await using var sut = await StartSut();

        Assert.Equal(("http", "127.0.0.1", "/"), (sut.Url.Scheme, sut.Url.Host, sut.Url.AbsolutePath));
        Assert.NotEqual(0, sut.Url.Port);
    }

    [Fact]
    public async Task Health_Ready_Returns200WithReadyAndTheDetail()
    {
        await using var sut = await StartSut(() => new NodeHealth(true, "member Up, journal reachable"));

        using var response = await _http.GetAsync(new Uri(sut.Url, "health"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready: member Up, journal reachable", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task Health_NotReady_Returns503WithNotReadyAndTheDetail()
    {
        await using var sut = await StartSut(() => new NodeHealth(false, "joining the cluster"));

        Assert.Equal((HttpStatusCode.ServiceUnavailable, "not ready: joining the cluster"), await GetAsync(sut, "health"));
    }

    [Fact]
    public async Task Health_ReadinessChanges_EachRequestAsksAgain()
    {
        var ready = false;
        await using var sut = await StartSut(() => new NodeHealth(Volatile.Read(ref ready), "n"));

        var before = await GetAsync(sut, "health");
        Volatile.Write(ref ready, true);
        var after = await GetAsync(sut, "health");

        Assert.Equal(((HttpStatusCode.ServiceUnavailable, "not ready: n"), (HttpStatusCode.OK, "ready: n")), (before, after));
    }

    [Fact]
    public async Task Health_CallbackThrows_Returns503NamingTheFailure()
    {
        await using var sut = await StartSut(() => throw new InvalidOperationException("journal closed"));

        Assert.Equal(
            (HttpStatusCode.ServiceUnavailable, "not ready: the health check failed: InvalidOperationException: journal closed"),
            await GetAsync(sut, "health"));
    }

    [Fact]
    public async Task HealthLive_NodeNotReady_Returns200Alive()
    {
        await using var sut = await StartSut(() => new NodeHealth(false, "joining"));

        Assert.Equal((HttpStatusCode.OK, "alive"), await GetAsync(sut, "health/live"));
    }

    [Fact]
    public async Task HealthLive_AfterDispose_ConnectionIsRefused()
    {
        var sut = await StartSut();
        var url = new Uri(sut.Url, "health/live");

        await sut.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => _http.GetAsync(url));
    }

    [Fact]
    public async Task Metrics_Scraped_Returns200WithTheTextFormatContentTypeAndTheExporterText()
    {
        await using var sut = await StartSut();
        _meter.CreateCounter<long>("test.evals", "{eval}", "Evals.").Add(7, new KeyValuePair<string, object?>("workload", "mnist"));

        using var response = await _http.GetAsync(new Uri(sut.Url, "metrics"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(
            "# HELP test_evals_total Evals.\n# TYPE test_evals_total counter\ntest_evals_total{workload=\"mnist\"} 7\n",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Metrics_ProductCounterAdded_ScrapedLineGrowsByTheAmount()
    {
        using var product = new PrometheusExporter();
        await using var sut = await StartSut(metrics: product);
        // The meter is process-global: a tag of this test's own keeps the series apart from other tests' measurements.
        var tag = new KeyValuePair<string, object?>("test", Guid.NewGuid().ToString("N"));
        var line = $"algoperf_evals_recorded_total{{test=\"{tag.Value}\"}} ";
        AlgoPerfMetrics.EvalsRecorded.Add(2, tag);
        var before = (await GetAsync(sut, "metrics")).Body.Split('\n').Single(l => l.StartsWith(line, StringComparison.Ordinal));

        AlgoPerfMetrics.EvalsRecorded.Add(3, tag);
        var after = (await GetAsync(sut, "metrics")).Body.Split('\n').Single(l => l.StartsWith(line, StringComparison.Ordinal));

        Assert.Equal((line + "2", line + "5"), (before, after));
    }

    [Theory]
    [InlineData("health")]
    [InlineData("health/live")]
    [InlineData("metrics")]
    public async Task Request_TokenSetAndNoHeader_Returns401WithWwwAuthenticateBearer(string path)
    {
        await using var sut = await StartSut(token: "s3cret");

        using var response = await _http.GetAsync(new Uri(sut.Url, path));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().ToString());
        Assert.Equal("a token is required: Authorization: Bearer TOKEN\n", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("wrong")]
    [InlineData("s3cre")]
    [InlineData("s3cret2")]
    public async Task Request_WrongBearerToken_Returns401(string given)
    {
        await using var sut = await StartSut(token: "s3cret");

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(sut, "health", bearer: given)).Status);
    }

    [Fact]
    public async Task Request_TokenInTheQueryInsteadOfTheHeader_Returns401()
    {
        await using var sut = await StartSut(token: "s3cret");

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(sut, "health?token=s3cret")).Status);
    }

    [Fact]
    public async Task Request_RightBearerToken_EveryRouteIsServed()
    {
        await using var sut = await StartSut(() => new NodeHealth(true, "up"), token: "s3cret");

        var health = await GetAsync(sut, "health", bearer: "s3cret");
        var live = await GetAsync(sut, "health/live", bearer: "s3cret");
        var metrics = await GetAsync(sut, "metrics", bearer: "s3cret");

        Assert.Equal(
            ((HttpStatusCode.OK, "ready: up"), (HttpStatusCode.OK, "alive"), HttpStatusCode.OK),
            (health, live, metrics.Status));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task StartAsync_BlankToken_ThrowsArgumentException(string token)
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => StartSut(token: token));

        Assert.Equal("options", e.ParamName);
    }

    public void Dispose()
    {
        _http.Dispose();
        _metrics.Dispose();
        _meter.Dispose();
    }
}
