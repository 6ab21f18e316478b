using System.Globalization;
using System.Text.RegularExpressions;
using AlgoPerf.Seed.Orchestration;
using AlgoPerf.Tests.Shared;
using Xunit.Abstractions;
using static AlgoPerf.Seed.Tests.CliRunner;

namespace AlgoPerf.Integration.Tests.Cluster;

/// <summary>
/// Cluster mode end to end with real processes on 127.0.0.1 (<c>algoperf seed</c>, <c>algoperf worker</c>) over
/// PostgreSQL, on the tiny benchmark of <c>RunCommandTests</c>: a clean run, then SIGKILL of a worker mid-trial, of the
/// coordinator that holds the singleton, a PostgreSQL restart mid-run, and nodes that must not join. After each run the
/// journal has every trial finished once and each of its evals once (indices 0..n-1), and the coordinator printed the
/// scores the score verb computes from the logs.
/// </summary>
public sealed class ClusterFaultTests(ITestOutputHelper output)
{
    // The tiny benchmark's 4 trials (2 submissions, 1 study each, 2 trials per study), as TrialId.ToString writes them.
    private static readonly string[] Trials =
    [
        "momentum/fmnist_mlp/study_0/trial_1",
        "momentum/fmnist_mlp/study_0/trial_2",
        "nadamw/fmnist_mlp/study_0/trial_1",
        "nadamw/fmnist_mlp/study_0/trial_2",
    ];

    [Fact]
    public async Task Cluster_CoordinatorAndTwoWorkers_AllExitZeroWithTheScoreVerbsTableAndEachEvalOnce()
    {
        await using var cluster = await ClusterProcesses.CreateAsync(output);
        var config = cluster.WriteConfig("tiny.conf", seed: 3);
        var ports = ClusterProcesses.FreePorts(3);
        var seed = cluster.StartSeed(config, ports[0], ports[0]);
        var workers = new[] { cluster.StartWorker(config, ports[1], ports[0]), cluster.StartWorker(config, ports[2], ports[0]) };

        await AssertExitAsync(0, seed);
        foreach (var worker in workers)
        {
            await AssertExitAsync(0, worker);
        }

        await AssertScoresAsync(cluster, seed.Out);
        AssertEveryTrialFinishedOnceWithEachEvalOnce(await cluster.JournalAsync());
        // Both workers trained: each one's trainer got a trial.
        var log = seed.Log();
        Assert.All(workers, w => Assert.Contains($"(attempt 1) -> akka.tcp://algoperf@127.0.0.1:{w.Port}/user/trainer-0", log, StringComparison.Ordinal));
        // Standard output holds only what the verbs print: the scores ending with the report's path, the worker's last word.
        Assert.EndsWith($"report: {Path.Combine(cluster.Run, "report", "report.html")}\n", seed.Out, StringComparison.Ordinal);
        Assert.All(workers, w => Assert.Equal("algoperf worker: the benchmark tiny is over\n", w.Out));
    }

    [Fact]
    public async Task Cluster_WorkerKilledWithSigkillMidTrial_TrialResumesOnTheOtherWorkerFromItsCheckpointLosingNoEval()
    {
        await using var cluster = await ClusterProcesses.CreateAsync(output);
        // Trials that run their whole 8 s budget (a target no trial reaches), so one can be caught mid-trial.
        var config = cluster.WriteConfig("tiny.conf", seed: 5, maxRuntime: "8s", target: 0.99);
        var ports = ClusterProcesses.FreePorts(3);
        var seed = cluster.StartSeed(config, ports[0], ports[0]);
        var workers = new[] { cluster.StartWorker(config, ports[1], ports[0]), cluster.StartWorker(config, ports[2], ports[0]) };

        // Two evals of a trial in the journal (so a checkpoint exists), no end: killed at once, a second before its next eval.
        var trial = await cluster.PollJournalAsync(rows => JournalRow.MidTrial(rows, evals: 2), "a trial with two evals and no end");
        var victim = workers.Single(w => w.Port == TrainerPort(seed.Log(), trial, attempt: 1));
        var survivor = workers.Single(w => w != victim);
        Assert.Equal(137, await victim.KillAsync());

        await AssertExitAsync(0, seed);
        await AssertExitAsync(0, survivor);
        await AssertScoresAsync(cluster, seed.Out);
        Assert.Equal(survivor.Port, TrainerPort(seed.Log(), trial, attempt: 2));
        var rows = await cluster.JournalAsync();
        AssertEveryTrialFinishedOnceWithEachEvalOnce(rows);
        var starts = rows.Where(r => r.Manifest == JournalRow.Started && r.Trial == trial).ToList();
        Assert.Equal(2, starts.Count);
        Assert.Equal(0, starts[0].ResumedFromStep);
        Assert.True(starts[1].ResumedFromStep > 0, $"{trial}'s second start resumed from step {starts[1].ResumedFromStep}");
        Assert.Equal([1, 2], starts.Select(s => s.Attempt));
    }

    [Fact]
    public async Task Cluster_OldestCoordinatorKilledWithSigkillMidTrial_SingletonMovesAndTheRunFinishesWithoutRestartingATrial()
    {
        await using var cluster = await ClusterProcesses.CreateAsync(output);
        var config = cluster.WriteConfig("tiny.conf", seed: 7, maxRuntime: "8s", target: 0.99);
        var ports = ClusterProcesses.FreePorts(4);
        int[] seeds = [ports[0], ports[1]];
        // The first seed joins first, so it is the oldest and holds the coordinator singleton.
        var first = cluster.StartSeed(config, ports[0], seeds);
        await first.JoinedAsync();
        var second = cluster.StartSeed(config, ports[1], seeds);
        await second.JoinedAsync();
        var workers = new[] { cluster.StartWorker(config, ports[2], seeds), cluster.StartWorker(config, ports[3], seeds) };

        await cluster.PollJournalAsync(rows => JournalRow.MidTrial(rows, evals: 1), "a trial with an eval and no end");
        Assert.Contains("coordinator: starting", first.Log(), StringComparison.Ordinal);
        Assert.DoesNotContain("coordinator: starting", second.Log(), StringComparison.Ordinal);
        Assert.Equal(137, await first.KillAsync());

        await second.WaitUntilAsync(n => n.Log().Contains("coordinator: starting", StringComparison.Ordinal), "the singleton to start on the second seed");
        await AssertExitAsync(0, second);
        foreach (var worker in workers)
        {
            await AssertExitAsync(0, worker);
        }

        await AssertScoresAsync(cluster, second.Out);
        var rows = await cluster.JournalAsync();
        AssertEveryTrialFinishedOnceWithEachEvalOnce(rows);
        // A trial may start again only from a checkpoint (running ones are adopted by the new singleton).
        var fromScratch = rows.Where(r => r.Manifest == JournalRow.Started)
            .GroupBy(r => r.Trial, StringComparer.Ordinal)
            .SelectMany(g => g.Skip(1))
            .Where(r => r.ResumedFromStep == 0)
            .Select(r => r.Trial);
        Assert.Empty(fromScratch);
    }

    [Fact]
    public async Task Cluster_JournalServerStoppedAndStartedMidRun_RunCompletesWithEveryTrialFinishedOnceAndNoEvalLost()
    {
        // A private server: stopping the tests' shared one would disturb the other tests.
        var ports = ClusterProcesses.FreePorts(4);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ALGOPERF_PG_PORT"] = ports[0].ToString(CultureInfo.InvariantCulture),
            ["ALGOPERF_PG_DIR"] = Path.Combine(Path.GetTempPath(), "algoperf-pg-" + Guid.NewGuid().ToString("N")),
        };
        try
        {
            var journal = Postgres("start", environment).Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
            await using var cluster = ClusterProcesses.Over(output, journal);
            var config = cluster.WriteConfig("tiny.conf", seed: 9, maxRuntime: "8s", target: 0.99);
            var seed = cluster.StartSeed(config, ports[1], ports[1]);
            var workers = new[] { cluster.StartWorker(config, ports[2], ports[1]), cluster.StartWorker(config, ports[3], ports[1]) };

            await cluster.PollJournalAsync(rows => JournalRow.MidTrial(rows, evals: 1), "a trial with an eval and no end");
            Postgres("stop", environment);
            // The outage itself, not a synchronization: trials train and evaluate while the journal is down.
            await Task.Delay(TimeSpan.FromSeconds(5));
            Postgres("start", environment);

            await AssertExitAsync(0, seed);
            foreach (var worker in workers)
            {
                await AssertExitAsync(0, worker);
            }

            await AssertScoresAsync(cluster, seed.Out);
            AssertEveryTrialFinishedOnceWithEachEvalOnce(await cluster.JournalAsync());
        }
        finally
        {
            Postgres("stop", environment);
            if (Directory.Exists(environment["ALGOPERF_PG_DIR"]))
            {
                Directory.Delete(environment["ALGOPERF_PG_DIR"], recursive: true);
            }
        }
    }

    [Fact]
    public async Task Worker_OtherClusterName_ExitsOneNamingTheNameAndTheJoinTimeout()
    {
        await using var cluster = await ClusterProcesses.CreateAsync(output);
        var config = cluster.WriteConfig("tiny.conf", seed: 3);
        var other = cluster.WriteConfig("other-cluster.conf", seed: 3, cluster: "name = other, join-timeout = 10s");
        var ports = ClusterProcesses.FreePorts(2);
        var seed = cluster.StartSeed(config, ports[0], ports[0]);
        await seed.JoinedAsync();

        var worker = cluster.StartWorker(other, ports[1], ports[0]);

        await AssertExitAsync(1, worker);
        Assert.Contains(
            $"algoperf worker: error: could not join the cluster 'other' through 127.0.0.1:{ports[0]} within 10 s (algoperf.cluster.join-timeout)",
            worker.Error,
            StringComparison.Ordinal);
        Assert.False(seed.HasExited, seed.Diagnostics());
    }

    [Fact]
    public async Task Worker_AnotherBenchmarksConfig_IsRefusedNamingTheFieldAndTheSeedKeepsRunning()
    {
        await using var cluster = await ClusterProcesses.CreateAsync(output);
        var config = cluster.WriteConfig("tiny.conf", seed: 3);
        var another = cluster.WriteConfig("another-seed.conf", seed: 4);
        var ports = ClusterProcesses.FreePorts(2);
        var seed = cluster.StartSeed(config, ports[0], ports[0]);
        await seed.JoinedAsync();

        var worker = cluster.StartWorker(another, ports[1], ports[0]);

        await AssertExitAsync(1, worker);
        var reason = $"worker akka.tcp://algoperf@127.0.0.1:{ports[1]} was started for another benchmark than the coordinators' tiny: run_seed: its configuration says \"4\", the coordinators' says \"3\"";
        Assert.Contains($"algoperf worker: error: the coordinator refused this worker: {reason}", worker.Error, StringComparison.Ordinal);
        Assert.Contains($"coordinator: refused {reason}", seed.Log(), StringComparison.Ordinal);
        Assert.False(seed.HasExited, seed.Diagnostics());
        Assert.Empty(await cluster.JournalAsync());

        // Stopped by SIGTERM: it leaves the cluster and says so.
        Assert.Equal(143, await seed.TerminateAsync());
        Assert.Contains("algoperf seed: stopped by a signal", seed.Error, StringComparison.Ordinal);
    }

    private static async Task AssertExitAsync(int expected, NodeProcess node)
    {
        var code = await node.ExitAsync();
        Assert.True(code == expected, $"{node} exited with {code}, expected {expected}\n{node.Diagnostics()}");
    }

    /// <summary>The coordinator printed the decided studies and the table the score verb prints for the run's logs and targets.</summary>
    private static async Task AssertScoresAsync(ClusterProcesses cluster, string coordinatorOut)
    {
        Assert.Contains("studies: 2 decided", coordinatorOut, StringComparison.Ordinal);
        var rescored = await RunAsync("score", "--experiment-dir", Path.Combine(cluster.Run, "logs"), "--targets", Path.Combine(cluster.Run, RunManifest.TargetsFileName), "--format", "table");
        Assert.True(rescored.Code == 0, rescored.Error);
        Assert.Contains(rescored.Out, coordinatorOut, StringComparison.Ordinal);
    }

    /// <summary>Each trial finished once (none failed), each of its evals once with indices 0..n-1, both studies decided once.</summary>
    private static void AssertEveryTrialFinishedOnceWithEachEvalOnce(IReadOnlyList<JournalRow> rows)
    {
        Assert.Equal(Trials, rows.Where(r => r.Manifest == JournalRow.Finished).Select(r => r.Trial).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(rows, r => r.Manifest == JournalRow.Failed);
        Assert.Equal(2, rows.Count(r => r.Manifest == JournalRow.Decided));
        var evals = Trials.Select(t => (Trial: t, Indices: rows.Where(r => r.Manifest == JournalRow.Eval && r.Trial == t).Select(r => r.EvalIndex).Order().ToList())).ToList();
        Assert.All(evals, e => Assert.NotEmpty(e.Indices));
        Assert.Equal(
            evals.Select(e => $"{e.Trial}: {string.Join(",", Enumerable.Range(0, e.Indices.Count))}"),
            evals.Select(e => $"{e.Trial}: {string.Join(",", e.Indices)}"));
    }

    /// <summary>The remoting port of the worker the scheduler gave attempt <paramref name="attempt"/> of <paramref name="trial"/> (its log line).</summary>
    private static int TrainerPort(string coordinatorLog, string trial, int attempt)
    {
        var match = Regex.Match(coordinatorLog, $@"scheduler: {Regex.Escape(trial)} \(attempt {attempt}\) -> akka\.tcp://algoperf@127\.0\.0\.1:(\d+)/user/trainer-0");
        Assert.True(match.Success, $"no \"scheduler: {trial} (attempt {attempt}) -> ...\" line in the coordinator's log:\n{coordinatorLog}");
        return int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary><c>scripts/postgres.sh COMMAND</c> for a private server; its standard output.</summary>
    private static string Postgres(string command, IReadOnlyDictionary<string, string> environment)
    {
        var (code, stdout, stderr) = ScriptProcess.Run(RepositoryPaths.Root, environment, Path.Combine(RepositoryPaths.Root, "scripts", "postgres.sh"), command);
        Assert.True(code == 0, $"scripts/postgres.sh {command}: exit {code}\n{stderr}");
        return stdout;
    }
}
