using System.Diagnostics;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Seed.Commands;
using Xunit.Abstractions;

namespace AlgoPerf.Integration.Tests.Orchestration;

/// <summary>
/// <c>algoperf run</c> as a real process, killed with SIGKILL while a trial trains, then continued with
/// <c>algoperf resume</c> from the run directory alone: the run completes, no finished trial is run again, and every
/// trial's eval rows are there once each, in step order. <c>algoperf status --format json</c> reads the run while it
/// goes (running), after the kill (interrupted) and at the end (finished), and never writes to the journal.
/// </summary>
public sealed class RunKillTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);
    private readonly string _dir = Directory.CreateTempSubdirectory("algoperf-kill-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_KilledWithSigkillDuringATrialThenResumed_CompletesWithoutRerunningFinishedTrialsOrLosingEvals()
    {
        // Trials that run their whole 6 s budget (a target no trial reaches): the run is still going after the status
        // check that precedes the kill.
        var config = RunCommandTests.WriteTinyConfig(_dir, seed: 5, maxRuntime: "6s", evalPeriod: "1s", target: 0.99);
        var run = Path.Combine(_dir, "runs", "tiny");
        var journal = Path.Combine(run, "journal.db");

        // First life: killed once one trial has finished and another has recorded an eval (so it is mid-trial).
        using (var first = Start(config))
        {
            // Drained so the child never blocks on a full pipe.
            var firstOut = first.StandardOutput.ReadToEndAsync();
            var firstErr = first.StandardError.ReadToEndAsync();
            var watch = Stopwatch.StartNew();
            while (true)
            {
                Assert.False(first.HasExited, $"the run ended by itself (code {(first.HasExited ? first.ExitCode : 0)}) before it could be killed");
                Assert.True(watch.Elapsed < Limit, "no trial finished within the limit");
                if (File.Exists(journal) && await MidTrialAsync(journal))
                {
                    break;
                }

                await Task.Delay(200);
            }

            // While it runs: running, with the trial that has an eval and no end among the running ones.
            var running = await StatusAsync(run);
            Assert.Equal("running", running["state"]!.GetValue<string>());
            Assert.True(running["trials"]!["running"]!.GetValue<int>() >= 1, running.ToJsonString());
            Assert.Equal(4, running["total_trials"]!.GetValue<int>());

            // Killed mid-trial: the check again, since the run went on during the status call.
            while (!await MidTrialAsync(journal))
            {
                Assert.False(first.HasExited, "the run ended by itself before it could be killed");
                await Task.Delay(100);
            }

            first.Kill();
            await first.WaitForExitAsync();
            Assert.Equal(137, first.ExitCode);
            output.WriteLine(await firstErr);
            await firstOut;
        }

        // Killed: interrupted, the open trial paused (not running), nothing decided yet, and status wrote nothing.
        var journalBytes = await File.ReadAllBytesAsync(journal);
        var interrupted = await StatusAsync(run);
        Assert.Equal("interrupted", interrupted["state"]!.GetValue<string>());
        Assert.Equal(0, interrupted["trials"]!["running"]!.GetValue<int>());
        Assert.True(interrupted["trials"]!["paused"]!.GetValue<int>() >= 1, interrupted.ToJsonString());
        Assert.True(interrupted["trials"]!["finished"]!.GetValue<int>() >= 1, interrupted.ToJsonString());
        Assert.False(interrupted["final"]!.GetValue<bool>());
        Assert.Equal(journalBytes, await File.ReadAllBytesAsync(journal));

        var finishedAtKill = (await EventsAsync(journal)).OfType<TrialFinished>().Select(f => f.Trial).ToHashSet();
        Assert.NotEmpty(finishedAtKill);
        var logsAtKill = finishedAtKill.ToDictionary(t => t, t => File.ReadAllText(EvalCsv(run, t)));

        // Second life: resumed from the run directory's own benchmark.json (the config file is gone).
        File.Delete(config);
        using (var second = DotnetChild.Start(typeof(RunCommand).Assembly.Location, "resume", run))
        {
            var stdout = second.StandardOutput.ReadToEndAsync();
            var stderr = second.StandardError.ReadToEndAsync();
            await second.WaitForExitAsync().WaitAsync(Limit);
            output.WriteLine(await stderr);
            Assert.True(second.ExitCode == 0, await stderr);
            Assert.Contains("studies: 2 decided", await stdout, StringComparison.Ordinal);
            Assert.Contains("resuming", await stderr, StringComparison.Ordinal);
        }

        var finished = await StatusAsync(run);
        Assert.Equal("finished", finished["state"]!.GetValue<string>());
        Assert.Equal(4, finished["trials"]!["finished"]!.GetValue<int>());
        Assert.Equal(0, finished["trials"]!["pending"]!.GetValue<int>() + finished["trials"]!["paused"]!.GetValue<int>());
        Assert.True(finished["final"]!.GetValue<bool>());
        var busy = finished["device_busy_fraction"]!.GetValue<double>();
        Assert.InRange(busy, 0.0, 1.0);
        Assert.Equal(2, finished["scores"]!["external_tuning"]!.AsObject().Count);

        var events = await EventsAsync(journal);
        var trials = events.OfType<TrialPlanned>().Select(p => p.Trial).ToList();
        Assert.Equal(4, trials.Count);
        foreach (var trial in trials)
        {
            // A trial finished before the kill was not run again: its log is as it was.
            if (finishedAtKill.Contains(trial))
            {
                Assert.Equal(logsAtKill[trial], File.ReadAllText(EvalCsv(run, trial)));
            }

            // Exactly one end per trial, and each eval index once in the journal and once in the log.
            Assert.Single(events.OfType<TrialFinished>(), f => f.Trial == trial);
            var evals = events.OfType<EvalRecorded>().Where(e => e.Trial == trial).Select(e => e.EvalIndex).ToList();
            Assert.Equal(Enumerable.Range(0, evals.Count), evals);
            var rows = File.ReadAllLines(EvalCsv(run, trial)).Skip(1).Where(l => l.Length > 0).ToList();
            Assert.Equal(evals.Count, rows.Count);
        }
    }

    /// <summary><c>algoperf status RUN --format json</c> as a process: exit 0 and the JSON document.</summary>
    private async Task<System.Text.Json.Nodes.JsonObject> StatusAsync(string run)
    {
        using var status = DotnetChild.Start(typeof(RunCommand).Assembly.Location, "status", run, "--format", "json");
        var stdout = status.StandardOutput.ReadToEndAsync();
        var stderr = status.StandardError.ReadToEndAsync();
        await status.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(status.ExitCode == 0, await stderr);
        output.WriteLine(await stdout);
        return System.Text.Json.Nodes.JsonNode.Parse(await stdout)!.AsObject();
    }

    private static string EvalCsv(string run, TrialId t) =>
        Path.Combine(run, "logs", t.Submission, $"study_{t.Study}", $"{t.Workload}_pytorch", $"trial_{t.Trial}", "eval_measurements.csv");

    /// <summary>Whether a trial has finished and another has recorded an eval but not ended.</summary>
    private static async Task<bool> MidTrialAsync(string journal)
    {
        try
        {
            var events = await EventsAsync(journal);
            var ended = events.OfType<TrialFinished>().Select(f => f.Trial).Concat(events.OfType<TrialFailed>().Select(f => f.Trial)).ToHashSet();
            return ended.Count > 0 && events.OfType<EvalRecorded>().Any(e => !ended.Contains(e.Trial));
        }
        catch (Exception e) when (e is InvalidOperationException or Microsoft.Data.Sqlite.SqliteException or AggregateException)
        {
            return false; // the tables are still being created
        }
    }

    private static async Task<List<object>> EventsAsync(string journal) => [.. (await StoredEvents.ReadAsync(journal)).Select(e => e.Event)];

    private static Process Start(string config) => DotnetChild.Start(typeof(RunCommand).Assembly.Location, "run", config);
}
