using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.TestKit;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Seed.Orchestration;
using AlgoPerf.Tests.Shared;
using AlgoPerf.Tuner.Actors;

namespace AlgoPerf.Seed.Tests.Orchestration;

/// <summary>
/// The run's root with its supervised persistent tuners, against a fake runner that ends every requested trial at
/// once: on a real journal (SQLite and PostgreSQL) it decides every study and a second run recovers without asking for
/// any trial; on Akka.Persistence.TestKit's journal, injected failures are survived or stop the run with a clear error.
/// </summary>
public sealed class BenchmarkActorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly RestartBackoff FastBackoff = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), 0);

    [Theory]
    [MemberData(nameof(TestDatabase.Stores), MemberType = typeof(TestDatabase))]
    public async Task Run_ThenTheSameBenchmarkAgain_DecidesEveryStudyOnceAndTheSecondRunAsksForNoTrial(TestStore store)
    {
        using var journal = TestDatabase.Create(store);
        var settings = Settings();

        var (first, asked) = await RunAsync(journal.Config(), settings);
        var (second, askedAgain) = await RunAsync(journal.Config(), settings);

        Assert.Equal(2, first.Count);
        Assert.Equal(4, asked);
        Assert.Equal(first, second);
        Assert.Equal(0, askedAgain);
    }

    [Fact]
    public async Task Run_FirstJournalWritesFail_TunersRestartRecoverAndTheRunDecidesEveryStudyOnce()
    {
        var failures = 0;
        var (decisions, asked) = await RunAsync(
            TestKitJournal(),
            Settings(),
            async journal => await journal.OnWrite.SetInterceptorAsync(new FailFirst(3, () => Interlocked.Increment(ref failures))));

        Assert.Equal(3, failures);
        Assert.Equal(2, decisions.Count);
        Assert.Equal(4, asked);
    }

    [Fact]
    public async Task Run_AStoredEventIsUnreadable_StopsWithAnErrorNamingTheStreamAndTheSequenceNumber()
    {
        using var journal = TestDatabase.Create(TestStore.Sqlite);
        await RunAsync(journal.Config(), Settings());
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={journal.Store.SqliteFile};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE journal SET manifest = 'trial-planned/v9' WHERE persistence_id = 'tuner/nadamw/fmnist_mlp/study_1' AND sequence_number = 2";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(journal.Config(), Settings()));

        Assert.StartsWith("the tuner of nadamw/fmnist_mlp/study_1 gave its study up: recovery of tuner/nadamw/fmnist_mlp/study_1 failed at sequence number 2: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("trial-planned", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PlanWriteRejected_StopsWithAnErrorInsteadOfRetrying()
    {
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(
            TestKitJournal(),
            Settings(),
            async journal => await journal.OnWrite.Reject()));

        Assert.Contains("gave its study up", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AStudyThatCannotBePlanned_StopsWithTheReasonInsteadOfRestartingItsTuner()
    {
        using var journal = TestDatabase.Create(TestStore.Sqlite);
        var noSpace = new Dictionary<string, Tuner.SearchSpaces.SearchSpace?> { ["nadamw"] = null };

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(journal.Config(), Settings(), spaces: noSpace));

        Assert.StartsWith("the study nadamw/fmnist_mlp/study_0 cannot be planned: ", e.Message, StringComparison.Ordinal);
    }

    private static Akka.Configuration.Config TestKitJournal() =>
        Akka.Configuration.ConfigurationFactory.FromResource<Akka.Persistence.TestKit.TestJournal>("Akka.Persistence.TestKit.config.conf")
            .WithFallback(AlgoPerfConfig.Reference);

    private static BenchmarkSettings Settings() => BenchmarkSettings.FromConfig(
        AlgoPerfConfig.Parse("""
            algoperf.benchmark { name = t, rules = tiny, submissions = [nadamw], workloads = [fmnist_mlp] }
            algoperf.rules.tiny {
              clock-from = v0.6, studies-external = 2, studies-self-tuning = 1, trials-per-study = 2, self-tuning-budget-factor = 1.5
              workloads { fmnist_mlp { max-runtime = 10s } }
            }
            """),
        "tiny.conf",
        "/work");

    private static async Task<(IReadOnlyList<StudyDecided> Decisions, int Asked)> RunAsync(
        Akka.Configuration.Config config,
        BenchmarkSettings settings,
        Func<ITestJournal, Task>? arrangeJournal = null,
        Func<ActorSystem, Task>? arrangeSystem = null,
        IReadOnlyDictionary<string, Tuner.SearchSpaces.SearchSpace?>? spaces = null)
    {
        var system = ActorSystem.Create("benchmark", config);
        try
        {
            if (arrangeJournal is not null)
            {
                await arrangeJournal(Akka.Persistence.TestKit.TestJournal.FromRef(Persistence.Instance.Apply(system).JournalFor(null)));
            }

            if (arrangeSystem is not null)
            {
                await arrangeSystem(system);
            }

            var asked = new StrongBox<int>();
            var runner = system.ActorOf(Props.Create(() => new EndsEveryTrial(asked)), "runner");
            var done = new TaskCompletionSource<IReadOnlyList<StudyDecided>>(TaskCreationOptions.RunContinuationsAsynchronously);
            spaces ??= TrainerBinding.ResolveSubmissions(settings).ToDictionary(kv => kv.Key, kv => kv.Value.Space, StringComparer.Ordinal);
            system.ActorOf(BenchmarkActor.Props(settings, spaces, FastBackoff, runner, done), "benchmark");
            var decisions = await done.Task.WaitAsync(Timeout);
            return (decisions, Volatile.Read(ref asked.Value));
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>The scheduler's part: every <see cref="RunTrial"/> ends at once, without reaching the target.</summary>
    private sealed class EndsEveryTrial : ReceiveActor
    {
        public EndsEveryTrial(StrongBox<int> asked)
        {
            var started = new HashSet<Contracts.Ids.TrialId>();
            Receive<RunTrial>(run =>
            {
                if (started.Add(run.Trial.Trial))
                {
                    Interlocked.Increment(ref asked.Value);
                }

                Sender.Tell(new TrialFinished(run.Trial.Trial, TrialEndReason.BudgetExhausted, 10, 10));
            });
        }
    }

    /// <summary>Fails the first <c>count</c> journal writes (an unknown outcome: the tuner stops and is restarted).</summary>
    private sealed class FailFirst(int count, Func<int> onFailure) : IJournalInterceptor
    {
        private int _seen;

        public Task InterceptAsync(IPersistentRepresentation message)
        {
            if (Interlocked.Increment(ref _seen) <= count)
            {
                onFailure();
                throw new TestJournalFailureException("injected write failure");
            }

            return Task.CompletedTask;
        }
    }
}
