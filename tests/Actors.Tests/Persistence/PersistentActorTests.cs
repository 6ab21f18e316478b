using AlgoPerf.Actors.Persistence;
using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Actors.Persistence.Journal.Snapshots;
using AlgoPerf.Actors.Persistence.Journal.Testing;
using AlgoPerf.Actors.Supervision;
using AlgoPerf.Actors.TestKit;
using AlgoPerf.Actors.Tests.Persistence.Journal;
using static AlgoPerf.Actors.Tests.Persistence.CounterActor;

namespace AlgoPerf.Actors.Tests.Persistence;

public sealed class PersistentActorTests : ActorTestBase
{
    private readonly TestJournal _journal;
    private readonly MemorySnapshotStore _snapshots = new(TestSerializers.Default);
    private readonly TestProbe _probe;

    public PersistentActorTests()
    {
        _journal = new TestJournal(new MemoryJournal(TestSerializers.Default, Clock), Clock);
        _probe = CreateProbe();
    }

    private PersistenceRuntime Runtime(PersistenceSettings? settings = null) => new(_journal, _snapshots, settings, Clock);

    private async Task<IActorRef> StartRecoveredAsync(PersistenceRuntime runtime, string id, long epoch = 0, string? name = null)
    {
        var actor = Sys.ActorOf(CounterActor.Props(runtime, id, _probe.Ref, epoch), name);
        await _probe.ExpectMsgAsync<Recovered>();
        return actor;
    }

    private async Task StopAsync(IActorRef actor)
    {
        _probe.Watch(actor);
        actor.Tell(StopAfterDrain.Instance, null);
        await _probe.ExpectTerminatedAsync(actor);
    }

    [Fact]
    public async Task Recovery_EmptyJournal_DeliversRecoveryCompleted()
    {
        Sys.ActorOf(CounterActor.Props(Runtime(), "empty", _probe.Ref));

        var recovered = await _probe.ExpectMsgAsync<Recovered>();

        Assert.Equal(new CounterSnapshot(0, 0, string.Empty), recovered.State);
    }

    [Fact]
    public async Task Persist_WhileWriteIsPending_HandlerRunsAfterWriteAndCommandsWait()
    {
        var actor = await StartRecoveredAsync(Runtime(), "order");
        _journal.Writes.Delay(TimeSpan.FromSeconds(10), times: 1);

        _probe.Send(actor, new Add(1));
        await Clock.WaitForPendingTimersAsync(1);
        _probe.Send(actor, new Add(2));
        _probe.Send(actor, new Get());
        await _probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        Assert.Equal(0, await _journal.Inner.ReadHighestSequenceNrAsync("order"));
        Clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(new Added(1, 1), await _probe.ExpectMsgAsync<Added>());
        Assert.Equal(new Added(2, 2), await _probe.ExpectMsgAsync<Added>());
        Assert.Equal(new CounterSnapshot(3, 2, "1,2"), await _probe.ExpectMsgAsync<CounterSnapshot>());
    }

    [Fact]
    public async Task PersistAsync_WhileWriteIsPending_CommandsKeepBeingHandled()
    {
        var actor = await StartRecoveredAsync(Runtime(), "async");
        _journal.Writes.Delay(TimeSpan.FromSeconds(10), times: 1);

        _probe.Send(actor, new AddAsync(5));
        _probe.Send(actor, new Get());

        Assert.Equal(new CounterSnapshot(0, 0, string.Empty), await _probe.ExpectMsgAsync<CounterSnapshot>());
        await Clock.WaitForPendingTimersAsync(1);
        Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(new Added(5, 1), await _probe.ExpectMsgAsync<Added>());
    }

    [Fact]
    public async Task DeferAsync_AfterPendingPersistAsync_RunsAfterItsHandlerWithItsSenderWithoutStashing()
    {
        var actor = await StartRecoveredAsync(Runtime(), "defer-async");
        _journal.Writes.Delay(TimeSpan.FromSeconds(10), times: 1);

        _probe.Send(actor, new AddAsync(5));
        _probe.Send(actor, new Note("after 5"));
        _probe.Send(actor, new Get());

        // Get is handled at once (no stash); the deferred reply waits for the write and sees its effect.
        Assert.Equal(new CounterSnapshot(0, 0, string.Empty), await _probe.ExpectMsgAsync<CounterSnapshot>());
        await Clock.WaitForPendingTimersAsync(1);
        Clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(new Added(5, 1), await _probe.ExpectMsgAsync<Added>());
        Assert.Equal(new Noted("after 5", new CounterSnapshot(5, 1, "5")), await _probe.ExpectMsgAsync<Noted>());
        Assert.Equal(1, await _journal.Inner.ReadHighestSequenceNrAsync("defer-async"));
    }

    [Fact]
    public async Task Defer_BetweenWrites_RunsInOrderStashesCommandsAndPersistsNothing()
    {
        var actor = await StartRecoveredAsync(Runtime(), "defer");

        _probe.Send(actor, new Note("nothing pending"));
        Assert.Equal(new Noted("nothing pending", new CounterSnapshot(0, 0, string.Empty)), await _probe.ExpectMsgAsync<Noted>());

        _journal.Writes.Delay(TimeSpan.FromSeconds(10), times: 1);
        _probe.Send(actor, new AddAsync(1));
        _probe.Send(actor, new Note("after 1", Stashing: true));
        _probe.Send(actor, new Get());
        _probe.Send(actor, new AddAsync(2));
        await Clock.WaitForPendingTimersAsync(1);
        await _probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        Clock.Advance(TimeSpan.FromSeconds(10));

        // The stashing defer holds Get and the second add until it has run; sequence numbers are not consumed.
        Assert.Equal(new Added(1, 1), await _probe.ExpectMsgAsync<Added>());
        Assert.Equal(new Noted("after 1", new CounterSnapshot(1, 1, "1")), await _probe.ExpectMsgAsync<Noted>());
        Assert.Equal(new CounterSnapshot(1, 1, "1"), await _probe.ExpectMsgAsync<CounterSnapshot>());
        Assert.Equal(new Added(2, 2), await _probe.ExpectMsgAsync<Added>());
    }

    [Fact]
    public async Task PersistAll_ThreeEvents_OneAtomicWriteThenHandlersInOrder()
    {
        var actor = await StartRecoveredAsync(Runtime(), "all");

        _probe.Send(actor, new AddAll([4, 5, 6]));
        _probe.Send(actor, new Get());

        Assert.Equal(new Added(4, 1), await _probe.ExpectMsgAsync<Added>());
        Assert.Equal(new Added(5, 2), await _probe.ExpectMsgAsync<Added>());
        Assert.Equal(new Added(6, 3), await _probe.ExpectMsgAsync<Added>());
        Assert.Equal(new CounterSnapshot(15, 3, "4,5,6"), await _probe.ExpectMsgAsync<CounterSnapshot>());
        var stored = await _journal.Inner.ReplayAsync("all", 1, long.MaxValue, long.MaxValue).ToListAsync();
        Assert.Equal([1L, 2L, 3L], stored.Select(e => e.SequenceNr));
        Assert.Single(stored.Select(e => e.Ordering - e.SequenceNr).Distinct());
    }

    [Fact]
    public async Task PersistAll_OneEventRejected_NothingStoredAndActorContinues()
    {
        var actor = await StartRecoveredAsync(Runtime(), "all-or-none");
        _journal.Writes.Reject(e => e.Payload is Counted { Value: 2 }, times: 1);

        _probe.Send(actor, new AddAll([1, 2, 3]));

        Assert.Equal(new PersistRejected(nameof(JournalRejectedException), 1), await _probe.ExpectMsgAsync<PersistRejected>());
        Assert.Equal(new PersistRejected(nameof(JournalRejectedException), 2), await _probe.ExpectMsgAsync<PersistRejected>());
        Assert.Equal(new PersistRejected(nameof(JournalRejectedException), 3), await _probe.ExpectMsgAsync<PersistRejected>());
        Assert.Equal(0, await _journal.Inner.ReadHighestSequenceNrAsync("all-or-none"));
        _probe.Send(actor, new Add(7));
        Assert.Equal(new Added(7, 1), await _probe.ExpectMsgAsync<Added>());
    }

    [Fact]
    public async Task Persist_TaggedEvent_StoredWithTagsAndReplayedUnwrapped()
    {
        var runtime = Runtime();
        var actor = await StartRecoveredAsync(runtime, "tagged");

        _probe.Send(actor, new AddTagged(8, "study-1"));
        Assert.Equal(new Added(8, 1), await _probe.ExpectMsgAsync<Added>());
        await StopAsync(actor);
        Sys.ActorOf(CounterActor.Props(runtime, "tagged", _probe.Ref));

        Assert.Equal(new CounterSnapshot(8, 1, "8"), (await _probe.ExpectMsgAsync<Recovered>()).State);
        var stored = Assert.Single(await _journal.Inner.ReplayAsync("tagged", 1, long.MaxValue, long.MaxValue).ToListAsync());
        Assert.Equal(["study-1"], stored.Tags);
        Assert.Equal(new Counted("tagged", 8), stored.Payload);
    }

    [Fact]
    public async Task Recovery_AfterRestart_StateIdentical()
    {
        var runtime = Runtime();
        var actor = await StartRecoveredAsync(runtime, "restart");
        _probe.Send(actor, new AddAll([3, 1, 4]));
        _probe.Send(actor, new Add(1));
        _probe.Send(actor, new Add(5));
        for (var i = 0; i < 5; i++)
        {
            await _probe.ExpectMsgAsync<Added>();
        }

        _probe.Send(actor, new Get());
        var before = await _probe.ExpectMsgAsync<CounterSnapshot>();
        await StopAsync(actor);

        Sys.ActorOf(CounterActor.Props(runtime, "restart", _probe.Ref));

        Assert.Equal(new CounterSnapshot(14, 5, "3,1,4,1,5"), before);
        Assert.Equal(before, (await _probe.ExpectMsgAsync<Recovered>()).State);
    }

    [Fact]
    public async Task Recovery_WithSnapshot_OffersSnapshotThenReplaysOnlyLaterEvents()
    {
        var runtime = Runtime();
        var actor = await StartRecoveredAsync(runtime, "snap");
        _probe.Send(actor, new AddAll([1, 2, 3]));
        for (var i = 0; i < 3; i++)
        {
            await _probe.ExpectMsgAsync<Added>();
        }

        _probe.Send(actor, new TakeSnapshot());
        var saved = await _probe.ExpectMsgAsync<SaveSnapshotSuccess>();
        _probe.Send(actor, new AddAll([4, 5]));
        for (var i = 0; i < 2; i++)
        {
            await _probe.ExpectMsgAsync<Added>();
        }

        await StopAsync(actor);
        Sys.ActorOf(CounterActor.Props(runtime, "snap", _probe.Ref));

        Assert.Equal(3, saved.Metadata.SequenceNr);
        Assert.Equal(new CounterSnapshot(15, 5, "4,5"), (await _probe.ExpectMsgAsync<Recovered>()).State);
    }

    [Fact]
    public async Task Recovery_CommandsSentDuringRecovery_HandledAfterRecoveryCompleted()
    {
        var runtime = Runtime();
        var actor = await StartRecoveredAsync(runtime, "stash-recovery");
        _probe.Send(actor, new Add(9));
        await _probe.ExpectMsgAsync<Added>();
        await StopAsync(actor);
        _journal.Replays.Delay(TimeSpan.FromSeconds(5));

        var second = Sys.ActorOf(CounterActor.Props(runtime, "stash-recovery", _probe.Ref));
        _probe.Send(second, new Get());
        await Clock.WaitForPendingTimersAsync(2);
        Clock.Advance(TimeSpan.FromSeconds(5));
        await Clock.WaitForPendingTimersAsync(2);
        Clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(new CounterSnapshot(9, 1, "9"), (await _probe.ExpectMsgAsync<Recovered>()).State);
        Assert.Equal(new CounterSnapshot(9, 1, "9"), await _probe.ExpectMsgAsync<CounterSnapshot>());
    }

    [Fact]
    public async Task Recovery_NoProgressForTimeout_FailsAndStops()
    {
        var runtime = Runtime(new PersistenceSettings { RecoveryEventTimeout = TimeSpan.FromSeconds(30) });
        _journal.Replays.Delay(TimeSpan.FromHours(1));

        var actor = Sys.ActorOf(CounterActor.Props(runtime, "stuck", _probe.Ref));
        _probe.Watch(actor);
        await Clock.WaitForPendingTimersAsync(2);
        Clock.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(new RecoveryFailedReport(nameof(RecoveryTimedOutException)), await _probe.ExpectMsgAsync<RecoveryFailedReport>());
        await _probe.ExpectTerminatedAsync(actor);
        Assert.Equal(0, runtime.Permitter.UsedPermits);
    }

    [Fact]
    public async Task Recovery_SlowButProgressing_TimeoutIsIdleNotTotal()
    {
        var runtime = Runtime(new PersistenceSettings { RecoveryEventTimeout = TimeSpan.FromSeconds(30) });
        var actor = await StartRecoveredAsync(runtime, "slow");
        _probe.Send(actor, new AddAll([1, 2, 3]));
        for (var i = 0; i < 3; i++)
        {
            await _probe.ExpectMsgAsync<Added>();
        }

        await StopAsync(actor);
        _journal.Replays.Delay(TimeSpan.FromSeconds(20));

        Sys.ActorOf(CounterActor.Props(runtime, "slow", _probe.Ref));
        for (var step = 0; step < 4; step++)
        {
            // The highest-sequence-number read and each of the 3 events take 20 s: 80 s in all, never 30 s idle.
            await Clock.WaitForPendingTimersAsync(2);
            Clock.Advance(TimeSpan.FromSeconds(20));
        }

        Assert.Equal(new CounterSnapshot(6, 3, "1,2,3"), (await _probe.ExpectMsgAsync<Recovered>()).State);
    }

    [Fact]
    public async Task PersistFailure_UnderBackoffSupervisor_StopsRestartsAndRecoversWhatLanded()
    {
        var runtime = Runtime();
        var options = new BackoffOptions(CounterActor.Props(runtime, "failing", _probe.Ref), "counter", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0);
        var supervisor = Sys.ActorOf(BackoffSupervisor.Props(options));
        await _probe.ExpectMsgAsync<Recovered>();
        _journal.Writes.FailAfterStoring(e => e.Payload is Counted { Value: 2 }, times: 1);

        _probe.Send(supervisor, new Add(1));
        _probe.Send(supervisor, new Add(2));
        Assert.Equal(new Added(1, 1), await _probe.ExpectMsgAsync<Added>());
        Assert.Equal(new PersistFailed(nameof(JournalWriteFailedException), 2), await _probe.ExpectMsgAsync<PersistFailed>());
        await WaitForRestartCountAsync(supervisor, 1);
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(new CounterSnapshot(3, 2, "1,2"), (await _probe.ExpectMsgAsync<Recovered>()).State);
        _probe.Send(supervisor, new Add(3));
        Assert.Equal(new Added(3, 3), await _probe.ExpectMsgAsync<Added>());
    }

    [Fact]
    public async Task Restart_WithWriteInFlight_RecoveryWaitsForItAndReplaysIt()
    {
        var actor = await StartRecoveredAsync(Runtime(), "restart-in-flight");
        _journal.Writes.Delay(TimeSpan.FromSeconds(10), times: 1);

        _probe.Send(actor, new AddThenFail(6));
        await Clock.WaitForPendingTimersAsync(2);
        Clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(new CounterSnapshot(6, 1, "6"), (await _probe.ExpectMsgAsync<Recovered>()).State);
        _probe.Send(actor, new Add(1));
        Assert.Equal(new Added(1, 2), await _probe.ExpectMsgAsync<Added>());
    }

    [Fact]
    public async Task PersistFailure_WriteNotStored_RestartedActorDoesNotSeeIt()
    {
        var runtime = Runtime();
        var options = new BackoffOptions(CounterActor.Props(runtime, "lost", _probe.Ref), "counter", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 0);
        var supervisor = Sys.ActorOf(BackoffSupervisor.Props(options));
        await _probe.ExpectMsgAsync<Recovered>();
        _journal.Writes.Fail(times: 1);

        _probe.Send(supervisor, new Add(1));
        Assert.Equal(new PersistFailed(nameof(JournalWriteFailedException), 1), await _probe.ExpectMsgAsync<PersistFailed>());
        await WaitForRestartCountAsync(supervisor, 1);
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(new CounterSnapshot(0, 0, string.Empty), (await _probe.ExpectMsgAsync<Recovered>()).State);
    }

    [Fact]
    public async Task Rejection_UnserializableEvent_ReportedAndActorContinuesWithSameSequenceNr()
    {
        var actor = await StartRecoveredAsync(Runtime(), "reject");
        _probe.Send(actor, new Add(1));
        await _probe.ExpectMsgAsync<Added>();

        _probe.Send(actor, new PersistRaw(new Unregistered(5)));
        _probe.Send(actor, new Add(2));

        Assert.Equal(new PersistRejected(nameof(JournalRejectedException), 2), await _probe.ExpectMsgAsync<PersistRejected>());
        Assert.Equal(new Added(2, 2), await _probe.ExpectMsgAsync<Added>());
        Assert.Equal(2, await _journal.Inner.ReadHighestSequenceNrAsync("reject"));
    }

    [Fact]
    public async Task WriterEpoch_StaleEpoch_RejectedAndCurrentEpochStored()
    {
        await _journal.WriteAsync(new AtomicWrite("fenced", 5, [new PendingEvent(1, new Counted("fenced", 10))]));
        var stale = await StartRecoveredAsync(Runtime(), "fenced", epoch: 4, name: "stale");

        _probe.Send(stale, new Add(1));
        Assert.Equal(new PersistRejected(nameof(JournalFencedException), 2), await _probe.ExpectMsgAsync<PersistRejected>());
        await StopAsync(stale);
        var current = await StartRecoveredAsync(Runtime(), "fenced", epoch: 6, name: "current");
        _probe.Send(current, new Add(2));

        Assert.Equal(new Added(2, 2), await _probe.ExpectMsgAsync<Added>());
        var stored = await _journal.Inner.ReplayAsync("fenced", 1, long.MaxValue, long.MaxValue).ToListAsync();
        Assert.Equal([5L, 6L], stored.Select(e => e.WriterEpoch));
    }

    [Fact]
    public async Task DeleteMessages_AllEvents_HighestSequenceNrKept()
    {
        var runtime = Runtime();
        var actor = await StartRecoveredAsync(runtime, "delete");
        _probe.Send(actor, new AddAll([1, 2, 3]));
        for (var i = 0; i < 3; i++)
        {
            await _probe.ExpectMsgAsync<Added>();
        }

        _probe.Send(actor, new DeleteUpTo(4));
        Assert.Equal(4, (await _probe.ExpectMsgAsync<DeleteMessagesFailure>()).ToSequenceNr);
        _probe.Send(actor, new DeleteUpTo(3));
        Assert.Equal(new DeleteMessagesSuccess(3), await _probe.ExpectMsgAsync<DeleteMessagesSuccess>());
        await StopAsync(actor);

        var second = Sys.ActorOf(CounterActor.Props(runtime, "delete", _probe.Ref));
        Assert.Equal(new CounterSnapshot(0, 3, string.Empty), (await _probe.ExpectMsgAsync<Recovered>()).State);
        _probe.Send(second, new Add(4));
        Assert.Equal(new Added(4, 4), await _probe.ExpectMsgAsync<Added>());
    }

    [Fact]
    public async Task SaveSnapshot_NoSnapshotStore_ReportsFailureAndContinues()
    {
        var runtime = new PersistenceRuntime(_journal, snapshots: null, timeProvider: Clock);
        var actor = await StartRecoveredAsync(runtime, "no-store");

        _probe.Send(actor, new TakeSnapshot());
        Assert.IsType<InvalidOperationException>((await _probe.ExpectMsgAsync<SaveSnapshotFailure>()).Cause);
        _probe.Send(actor, new Add(1));

        Assert.Equal(new Added(1, 1), await _probe.ExpectMsgAsync<Added>());
    }

    [Fact]
    public async Task RecoveryPermitter_TwoPermitsFiveActors_AtMostTwoRecoverAtOnce()
    {
        var gate = new GateJournal(_journal);
        var runtime = new PersistenceRuntime(gate, _snapshots, new PersistenceSettings { MaxConcurrentRecoveries = 2 }, Clock);

        for (var i = 0; i < 5; i++)
        {
            Sys.ActorOf(CounterActor.Props(runtime, $"herd-{i}", _probe.Ref));
        }

        await gate.WaitEnteredAsync(2);
        await WaitUntilAsync(() => runtime.Permitter.Waiting == 3, "three recoveries waiting for a permit");
        Assert.Equal(2, runtime.Permitter.UsedPermits);
        Assert.Equal(2, gate.Inside);
        gate.Open();

        for (var i = 0; i < 5; i++)
        {
            await _probe.ExpectMsgAsync<Recovered>();
        }

        Assert.Equal(2, gate.MaxInside);
        Assert.Equal(5, gate.Entered);
        Assert.Equal(0, runtime.Permitter.UsedPermits);
    }

    [Fact]
    public void RecoveryPermitter_ReturnedWhileWaiting_NextRequestGetsThePermit()
    {
        var permitter = new RecoveryPermitter(1);
        var first = permitter.Request();
        var withdrawn = permitter.Request();
        var third = permitter.Request();

        withdrawn.Return();
        first.Return();
        first.Return();

        Assert.True(third.Granted.IsCompleted);
        Assert.False(withdrawn.Granted.IsCompleted);
        Assert.Equal(1, permitter.UsedPermits);
        Assert.Equal(0, permitter.Waiting);
    }

    [Fact]
    public async Task Persist_DuringRecovery_Throws()
    {
        var actor = Sys.ActorOf(Props.Create(() => new PersistInRecoveryActor(Runtime(), _probe.Ref)));
        _probe.Watch(actor);

        Assert.Equal(nameof(InvalidOperationException), await _probe.ExpectMsgAsync<string>());
        await _probe.ExpectTerminatedAsync(actor);
    }

    private async Task WaitForRestartCountAsync(IActorRef supervisor, int count)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(TestKitSettings.Current.Dilated(TimeSpan.FromSeconds(5)).TotalSeconds * TimeProvider.System.TimestampFrequency);
        while ((await supervisor.Ask<BackoffSupervisor.RestartCount>(BackoffSupervisor.GetRestartCount.Instance, TimeSpan.FromMinutes(1))).Count < count)
        {
            Assert.True(TimeProvider.System.GetTimestamp() < deadline, $"restart count never reached {count}");
            await Task.Yield();
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (long)(TestKitSettings.Current.Dilated(TimeSpan.FromSeconds(5)).TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (!condition())
        {
            Assert.True(TimeProvider.System.GetTimestamp() < deadline, $"timed out waiting for {what}");
            await Task.Yield();
        }
    }

    /// <summary>Persists while recovering (forbidden); reports the error and is stopped by the recovery failure.</summary>
    private sealed class PersistInRecoveryActor(PersistenceRuntime runtime, IActorRef reports) : PersistentActor(runtime)
    {
        public override string PersistenceId => "persist-in-recovery";

        protected override void ReceiveRecover(object message)
        {
            if (message is RecoveryCompleted)
            {
                return;
            }

            Persist(new Counted("x", 1), _ => { });
        }

        protected override void ReceiveCommand(object message) => Unhandled(message);

        protected override void PreStart()
        {
            // An event to replay, so ReceiveRecover runs with a replayed event.
            Persistence.Journal.WriteAsync(new AtomicWrite(PersistenceId, 0, [new PendingEvent(1, new Counted("x", 1))])).GetAwaiter().GetResult();
        }

        protected override void OnRecoveryFailure(Exception reason, object? message) => reports.Tell(reason.GetType().Name, null);
    }
}
