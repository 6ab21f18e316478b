using AlgoPerf.Actors.Persistence;
using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Actors.Persistence.Journal.Sqlite;
using AlgoPerf.Actors.TestKit;
using AlgoPerf.Actors.Tests.Persistence.Journal;
using static AlgoPerf.Actors.Tests.Persistence.CounterActor;

namespace AlgoPerf.Actors.Tests.Persistence;

/// <summary>Recovery through the real SQLite journal and snapshot store, across a reopened database file.</summary>
public sealed class PersistentActorSqliteTests : ActorTestBase, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "algoperf-persistent-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "journal.db");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task Recovery_AfterReopeningDatabase_SnapshotPlusLaterEventsGiveIdenticalState()
    {
        Directory.CreateDirectory(_directory);
        var probe = CreateProbe();
        CounterSnapshot before;
        await using (var store = await PersistenceStore.OpenSqliteAsync(new SqliteStoreOptions(DatabasePath), TestSerializers.Default, Clock))
        {
            var actor = Sys.ActorOf(CounterActor.Props(PersistenceRuntime.For(store, timeProvider: Clock), "sqlite-counter", probe.Ref));
            await probe.ExpectMsgAsync<Recovered>();
            probe.Send(actor, new AddAll([2, 7]));
            await probe.ExpectMsgAsync<Added>();
            await probe.ExpectMsgAsync<Added>();
            probe.Send(actor, new TakeSnapshot());
            Assert.Equal(2, (await probe.ExpectMsgAsync<SaveSnapshotSuccess>()).Metadata.SequenceNr);
            probe.Send(actor, new Add(1));
            probe.Send(actor, new Add(8));
            await probe.ExpectMsgAsync<Added>();
            await probe.ExpectMsgAsync<Added>();
            probe.Send(actor, new Get());
            before = await probe.ExpectMsgAsync<CounterSnapshot>();
            probe.Watch(actor);
            actor.Tell(StopAfterDrain.Instance, null);
            await probe.ExpectTerminatedAsync(actor);
        }

        await using (var reopened = await PersistenceStore.OpenSqliteAsync(new SqliteStoreOptions(DatabasePath), TestSerializers.Default, Clock))
        {
            Sys.ActorOf(CounterActor.Props(PersistenceRuntime.For(reopened, timeProvider: Clock), "sqlite-counter", probe.Ref));

            var recovered = await probe.ExpectMsgAsync<Recovered>();

            Assert.Equal(new CounterSnapshot(18, 4, "2,7,1,8"), before);
            Assert.Equal(new CounterSnapshot(18, 4, "1,8"), recovered.State);
        }
    }
}
