using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Persistence;
using AlgoPerf.Tests.Shared;

namespace AlgoPerf.Contracts.Tests.Persistence;

/// <summary>The product's Akka.Persistence.Sql configuration on SQLite and PostgreSQL: write, recover, query.</summary>
public sealed class JournalStoreTests
{
    private const string NoTunerEvents = "algoperf.serialization.event-assemblies = []";

    [Theory]
    [MemberData(nameof(TestDatabase.Stores), MemberType = typeof(TestDatabase))]
    public async Task PersistedEvents_RecoveredByANewActorSystem_AreTheSameInOrder(TestStore kind)
    {
        using var journal = TestDatabase.Create(kind);
        var trial = new TrialId("nadamw", "fmnist_mlp", 0, 1);
        IEvent[] events =
        [
            new EvalRecorded(trial, 0, 10, 1.5, 0.25, new Dictionary<string, double> { ["validation/accuracy"] = 0.5 }),
            new TrialFinished(trial, TrialEndReason.TargetsReached, 20, 3.0),
        ];

        await WithSystem(journal, async system =>
        {
            var writer = system.ActorOf(Props.Create(() => new Recorder("rec-1")));
            var done = await writer.Ask<long>(new Recorder.Write(events), TimeSpan.FromSeconds(30));
            Assert.Equal(2, done);
        });

        await WithSystem(journal, async system =>
        {
            var reader = system.ActorOf(Props.Create(() => new Recorder("rec-1")));
            var recovered = await reader.Ask<IReadOnlyList<object>>(Recorder.Get.Instance, TimeSpan.FromSeconds(30));
            Assert.Equivalent(events, recovered, strict: true);

            var query = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
            var all = await query.CurrentAllEvents(Offset.NoOffset())
                .RunWith(Sink.Seq<EventEnvelope>(), system.Materializer());
            Assert.Equivalent(events, all.Select(e => e.Event).ToList(), strict: true);
            Assert.Equal([1L, 2L], all.Select(e => e.SequenceNr));
        });
    }

    [Fact]
    public void Prepare_NewSqliteFile_SetsWalModeAndKeepsSynchronousFull()
    {
        var dir = Path.Combine(Path.GetTempPath(), "algoperf-prepare-" + Guid.NewGuid().ToString("N"));
        try
        {
            var file = Path.Combine(dir, "journal.db");

            var synchronous = SqliteJournalFile.Prepare(file);

            Assert.Equal(2, synchronous);
            using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode";
            Assert.Equal("wal", command.ExecuteScalar());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Prepare_FileOfTheOldJournal_IsRefusedNamingTheFileAndLeftUnchanged()
    {
        var dir = Path.Combine(Path.GetTempPath(), "algoperf-prepare-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var file = Path.Combine(dir, "journal.db");
            using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "CREATE TABLE journal_events (ordering INTEGER PRIMARY KEY, payload BLOB)";
                command.ExecuteNonQuery();
            }

            var before = File.ReadAllBytes(file);

            var e = Assert.Throws<InvalidDataException>(() => SqliteJournalFile.Prepare(file));

            Assert.StartsWith(file + ": this journal was written by AlgoPerf.Actors' own runtime", e.Message, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllBytes(file));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task WithSystem(TestDatabase journal, Func<ActorSystem, Task> body)
    {
        var system = ActorSystem.Create("journal", journal.Config(NoTunerEvents));
        try
        {
            await body(system);
        }
        finally
        {
            await system.Terminate();
        }
    }

    private sealed class Recorder : ReceivePersistentActor
    {
        private readonly List<object> _events = [];

        public Recorder(string id)
        {
            PersistenceId = id;
            Recover<IEvent>(e => _events.Add(e));
            Command<Write>(w =>
            {
                var sender = Sender;
                PersistAll(w.Events, e => _events.Add(e));
                DeferAsync(w, _ => sender.Tell(LastSequenceNr));
            });
            Command<Get>(_ => Sender.Tell((IReadOnlyList<object>)[.. _events]));
        }

        public override string PersistenceId { get; }

        public sealed record Write(IReadOnlyList<IEvent> Events);

        public sealed record Get
        {
            public static readonly Get Instance = new();
        }
    }
}
