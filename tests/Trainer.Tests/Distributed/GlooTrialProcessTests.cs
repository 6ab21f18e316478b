using System.Diagnostics;
using System.Net;
using AlgoPerf.Trainer.Checkpoints;
using AlgoPerf.Trainer.Distributed;
using AlgoPerf.Trainer.Logging;
using AlgoPerf.Trainer.Running;
using AlgoPerf.Trainer.Tests.Running;
using AlgoPerf.Trainer.Timing;

namespace AlgoPerf.Trainer.Tests.Distributed;

/// <summary>
/// A data-parallel trial whose ranks are processes: rank 0 on a thread of the test process, rank 1 in the rank host
/// (tests/DistributedRankHost, mode <c>trial</c>), the gradients over Gloo.
/// </summary>
[Collection("Torch")]
public sealed class GlooTrialProcessTests : IDisposable
{
    private const long Steps = 12;
    private static readonly TimeSpan GangTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan HostLimit = TimeSpan.FromSeconds(120);
    private readonly string _root = Directory.CreateTempSubdirectory("gloo-trial-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Trial_PeerRankProcessKilledMidTrial_SurvivorFailsTheGangWithinTheTimeoutAndANewGangResumesFromRankZerosCheckpoint()
    {
        using var store = new GlooStoreServer(IPAddress.Loopback);
        var trialDirectory = Path.Combine(_root, "momentum_test", "study_0", "fmnist_mlp_pytorch", "trial_1");

        // Attempt 1: rank 1's process is killed with SIGKILL when rank 0 has ended step 6.
        long killedAt = 0;
        using (var peer = Peer(store, "trial#1"))
        {
            var killer = new OnStep(6, () =>
            {
                peer.Kill();
                killedAt = Stopwatch.GetTimestamp();
            });
            var error = await OnThread(() => Record.Exception(() => RunRankZero(store, "trial#1", killer)));

            var failed = Assert.IsType<GangFailedException>(error);
            Assert.Contains("gang trial#1", failed.Message, StringComparison.Ordinal);
            Assert.True(Stopwatch.GetElapsedTime(killedAt) < GangTimeout, $"the gang failed {Stopwatch.GetElapsedTime(killedAt).TotalSeconds:0.00} s after the kill");
        }

        // Only rank 0 wrote checkpoints; the newest one is where the next gang starts: step 5, or 6 when rank 1 still
        // took part in step 6's collectives in the moment between the kill and its death.
        var latest = new CheckpointStore(trialDirectory, 2).List().Max(c => c.GlobalStep);
        Assert.InRange(latest, 5, 6);

        // Attempt 2: a new gang (a new rank 1 process, a new gang id) resumes from it and finishes the trial.
        using var again = Peer(store, "trial#2");
        var result = await OnThread(() => RunRankZero(store, "trial#2", null));
        var (code, stdout, stderr) = await again.WaitForExitAsync(HostLimit);

        Assert.True(code == 0, $"rank 1 exited with {code}: {stderr}");
        Assert.Equal($"outcome max_steps {Steps} resumed {latest}", stdout.Trim());
        Assert.Equal((LoopEndReason.MaxSteps, Steps, latest, 1), (result.Outcome.Reason, result.Outcome.GlobalStep, result.ResumedFromStep, result.PreemptionCount));

        // One eval row per step in rank 0's measurements: none lost, none repeated across the two gangs.
        var table = MeasurementsTable.Load(Path.Combine(trialDirectory, "measurements.csv"));
        var evalSteps = Enumerable.Range(0, table.RowCount)
            .Where(r => table.Get(r, "validation/accuracy") is not null)
            .Select(r => table.Get(r, "global_step")!.Value.AsDouble)
            .ToList();
        Assert.Equal(Enumerable.Range(1, (int)Steps).Select(s => (double)s), evalSteps);
    }

    private RankHostProcess Peer(GlooStoreServer store, string gang) =>
        RankHostProcess.Start("trial", rank: 1, world: 2, store.Address, gang, GangTimeout, "--run-dir", _root, "--steps", $"{Steps}");

    private TrialRunResult RunRankZero(GlooStoreServer store, string gang, ITrialObserver? observer)
    {
        using var reducer = GlooReducer.Connect(0, 2, store.Address, gang, "127.0.0.1", GangTimeout);
        return new TrialRunner(FmnistFixture.Options(_root)).Run(FmnistFixture.Workload, new MomentumSubmission { DropoutRate = 0 }, FmnistFixture.Request(Steps), observer, gang: reducer);
    }

    private static Task<T> OnThread<T>(Func<T> body) =>
        Task.Factory.StartNew(body, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Runs an action once, when the given step has ended.</summary>
    private sealed class OnStep(long step, Action action) : ITrialObserver
    {
        public void StepEnded(long globalStep, double accumulatedSubmissionTime)
        {
            if (globalStep == step)
            {
                action();
            }
        }
    }
}
