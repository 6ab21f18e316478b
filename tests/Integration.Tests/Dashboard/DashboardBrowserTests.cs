using System.Diagnostics;
using AlgoPerf.Integration.Tests.Orchestration;
using AlgoPerf.Seed.Commands;
using AlgoPerf.Tests.Shared;
using Xunit.Abstractions;

namespace AlgoPerf.Integration.Tests.Dashboard;

/// <summary>
/// The dashboard of a tiny run (<c>algoperf run CONFIG --dashboard 0</c> as a real process) opened in a real headless
/// Chromium: the page loads without console errors, shows the run's trials, and changes while the run goes on. A
/// screenshot is kept under <c>artifacts/test-results/dashboard/</c>.
/// </summary>
public sealed class DashboardBrowserTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);
    private readonly string _dir = Directory.CreateTempSubdirectory("algoperf-dashboard-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Dashboard_OfARunningRun_LoadsWithoutConsoleErrorsShowsItsTrialsAndFollowsTheRun()
    {
        // Trials that run their whole 4 s budget (a target no trial reaches): the run is still going when the page opens.
        var config = RunCommandTests.WriteTinyConfig(_dir, seed: 3, maxRuntime: "4s", evalPeriod: "500ms", target: 0.99);
        using var run = DotnetChild.Start(typeof(RunCommand).Assembly.Location, "run", config, "--dashboard", "0", "--progress", "plain");
        var stdout = run.StandardOutput.ReadToEndAsync();
        var watch = Stopwatch.StartNew();
        string? url = null;
        var stderr = new System.Text.StringBuilder();
        while (url is null)
        {
            var line = await run.StandardError.ReadLineAsync().WaitAsync(Limit) ?? throw new InvalidOperationException("the run ended before it served the dashboard: " + stderr);
            stderr.AppendLine(line);
            const string Marker = "dashboard at ";
            var at = line.IndexOf(Marker, StringComparison.Ordinal);
            url = at >= 0 ? line[(at + Marker.Length)..].Trim() : null;
        }

        var drain = run.StandardError.ReadToEndAsync();
        await using (var browser = await HeadlessChromium.StartAsync(TimeSpan.FromMinutes(1)))
        {
            await browser.NavigateAsync(url);

            // The page shows the run's trials (the stream's first event arrived and was rendered).
            var first = await WaitForAsync(browser, "document.querySelectorAll('#trials tbody tr').length > 0 ? document.querySelector('#summary').textContent : null", _ => true, watch);
            Assert.Contains("running", first, StringComparison.Ordinal);
            var rows = (await browser.EvaluateAsync("Array.from(document.querySelectorAll('#trials tbody tr')).map(r => r.dataset.trial)"))!.AsArray().Select(n => n!.GetValue<string>()).ToList();
            Assert.Contains(rows, r => r.StartsWith("nadamw/fmnist_mlp/study_0/trial_", StringComparison.Ordinal));
            Assert.Equal(2, (await browser.EvaluateAsync("document.querySelectorAll('#scores tbody tr').length"))!.GetValue<int>());

            // It changes while the run goes on: trials end, until the run is finished, without a reload.
            var last = await WaitForAsync(browser, "document.querySelector('#summary').textContent", s => s != first && s.Contains("finished", StringComparison.Ordinal), watch);
            Assert.Contains("4/4 trials ended", last, StringComparison.Ordinal);
            Assert.Equal(1, (await browser.EvaluateAsync("document.querySelectorAll('#curves svg.curves').length"))!.GetValue<int>());
            Assert.True((await browser.EvaluateAsync("document.querySelectorAll('#curves path.trial').length"))!.GetValue<int>() >= 4);
            Assert.Equal(1, (await browser.EvaluateAsync("document.querySelectorAll('#profile svg').length"))!.GetValue<int>());

            var shots = Path.Combine(RepositoryPaths.Root, "artifacts", "test-results", "dashboard");
            Directory.CreateDirectory(shots);
            var png = await browser.ScreenshotAsync();
            await File.WriteAllBytesAsync(Path.Combine(shots, "dashboard.png"), png);
            Assert.True(png.Length > 10_000, $"screenshot of {png.Length} bytes");
            Assert.Empty(browser.Errors);
        }

        await run.WaitForExitAsync().WaitAsync(Limit);
        output.WriteLine(stderr + await drain);
        Assert.True(run.ExitCode == 0, stderr + await drain);
        Assert.Contains("studies: 2 decided", await stdout, StringComparison.Ordinal);
    }

    private static async Task<string> WaitForAsync(HeadlessChromium browser, string expression, Func<string, bool> done, Stopwatch watch)
    {
        while (true)
        {
            Assert.True(watch.Elapsed < Limit, $"{expression} did not become true within {Limit}; errors: {string.Join("; ", browser.Errors)}");
            var value = await browser.EvaluateAsync(expression);
            if (value is not null && value.GetValueKind() == System.Text.Json.JsonValueKind.String && done(value.GetValue<string>()))
            {
                return value.GetValue<string>();
            }

            await Task.Delay(250);
        }
    }
}
