using System.Globalization;
using Akka.Actor;
using Akka.Persistence;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;
using AlgoPerf.Contracts.Persistence;

namespace AlgoPerf.Integration.Tests.Persistence;

/// <summary>
/// The child process of <see cref="JournalCrashTests"/>: an Akka actor system on the product's SQLite journal
/// configuration, with one persistent actor per stream that persists forever and prints <c>ack STREAM SEQ</c> on stdout
/// (flushed) from its persist handler, i.e. after Akka.Persistence.Sql acknowledged the write. Batches of one to three
/// events (PersistAll) exercise atomic multi-event writes and the plugin's batching.
/// </summary>
internal static class JournalCrashChild
{
    public const string Mode = "journal-crash-child";

    private static readonly Lock s_gate = new();

    public static async Task<int> RunAsync(string[] args)
    {
        var path = args[0];
        var streams = int.Parse(args[1], CultureInfo.InvariantCulture);
        SqliteJournalFile.Prepare(path);
        var config = JournalStore.Sqlite(path).ToConfig()
            .WithFallback(Akka.Configuration.ConfigurationFactory.ParseString("algoperf.serialization.event-assemblies = [], akka.loglevel = WARNING"))
            .WithFallback(AlgoPerfConfig.Reference);
        var system = ActorSystem.Create("crash", config);
        await Console.Out.WriteLineAsync("ready");
        await Console.Out.FlushAsync();
        for (var s = 0; s < streams; s++)
        {
            var stream = s;
            system.ActorOf(Props.Create(() => new Writer(stream)), $"writer-{s}");
        }

        await system.WhenTerminated;
        return 0;
    }

    /// <summary>The event the child writes at (stream, seq): the parent checks the payload, not only the number.</summary>
    public static TrialStarted Payload(int stream, long seq) => new(new TrialId("crash", "journal", stream, 1), (int)(seq % 1000), seq);

    public static string PersistenceIdOf(int stream) => $"crash-{stream}";

    private sealed class Writer : ReceivePersistentActor
    {
        private readonly int _stream;

        public Writer(int stream)
        {
            _stream = stream;
            PersistenceId = PersistenceIdOf(stream);
            Recover<TrialStarted>(_ => { });
            Recover<RecoveryCompleted>(_ => Self.Tell(Next.Instance));
            Command<Next>(_ =>
            {
                var first = LastSequenceNr + 1;
                var size = (int)(1 + (first % 3));
                var batch = Enumerable.Range(0, size).Select(i => Payload(_stream, first + i)).ToArray();
                var handled = 0;
                PersistAll(batch, e =>
                {
                    lock (s_gate)
                    {
                        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ack {PersistenceId} {e.ResumedFromStep}"));
                        Console.Out.Flush();
                    }

                    if (++handled == size)
                    {
                        Self.Tell(Next.Instance);
                    }
                });
            });
        }

        public override string PersistenceId { get; }

        private sealed record Next
        {
            public static readonly Next Instance = new();
        }
    }
}
