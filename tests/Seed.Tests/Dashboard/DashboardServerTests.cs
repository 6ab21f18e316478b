using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using AlgoPerf.Seed.Dashboard;
using AlgoPerf.Seed.Monitoring;

namespace AlgoPerf.Seed.Tests.Dashboard;

public sealed class DashboardServerTests
{
    private static LiveSnapshot Snapshot() =>
        new("qs", Monitoring.RunViews.OneRunningTrial(["a"], (10, 2, 0.5)).View(Monitoring.RunViews.T0.AddSeconds(5), live: true), []);

    private static Task<DashboardServer> Start(string? token) =>
        DashboardServer.StartAsync(new DashboardOptions("127.0.0.1", 0, token, Path.GetTempPath()), _ => Task.FromResult(Snapshot()), TimeProvider.System, CancellationToken.None);

    [Fact]
    public async Task ApiRun_NoToken_ServesTheStatusJsonWithTrialRowsAndCharts()
    {
        await using var server = await Start(token: null);
        using var http = new HttpClient();

        var json = JsonNode.Parse(await http.GetStringAsync(new Uri(new Uri(server.Url), "api/run")))!.AsObject();

        Assert.Equal(("qs", "running", 1), (json["name"]!.GetValue<string>(), json["state"]!.GetValue<string>(), json["trials"]!["running"]!.GetValue<int>()));
        var row = json["trial_rows"]!.AsArray().Single()!;
        Assert.Equal(("a/fmnist_mlp/study_0/trial_1", 10L, 0.5), (row["id"]!.GetValue<string>(), row["step"]!.GetValue<long>(), row["latest"]!.GetValue<double>()));
        Assert.StartsWith("<svg", json["svg"]!["curves"]!["fmnist_mlp"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("<svg", json["svg"]!["profile"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith("http://127.0.0.1:", server.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requests_WithAToken_RefusedWithoutItAndServedWithTheBearerHeaderOrTheQuery()
    {
        await using var server = await Start(token: "s3cret");
        var root = new Uri(server.Url).GetLeftPart(UriPartial.Authority);
        using var http = new HttpClient();

        using var none = await http.GetAsync(new Uri(root + "/api/run"));
        using var wrong = await http.GetAsync(new Uri(root + "/api/run?token=nope"));
        using var query = await http.GetAsync(new Uri(root + "/?token=s3cret"));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root + "/api/run"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        using var bearer = await http.SendAsync(request);

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (none.StatusCode, wrong.StatusCode));
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (query.StatusCode, bearer.StatusCode));
        Assert.Contains("<script src=\"dashboard.js\">", await query.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.EndsWith("/?token=s3cret", server.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiEvents_Connected_FirstEventIsTheRun()
    {
        await using var server = await Start(token: null);
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(new Uri(server.Url), "api/events"), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("event: run", await reader.ReadLineAsync());
        var data = await reader.ReadLineAsync();
        Assert.StartsWith("data: {\"name\":\"qs\"", data, StringComparison.Ordinal);
    }
}
