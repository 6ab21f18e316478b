using System.Globalization;
using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Actors.Persistence.Journal.Sqlite;
using AlgoPerf.Contracts.Events;
using AlgoPerf.Contracts.Ids;

namespace AlgoPerf.Integration.Tests.Persistence;

/// <summary>
/// The child process of <see cref="JournalCrashTests"/>: appends events to a SQLite journal from several concurrent
/// streams, forever, and prints <c>ack STREAM SEQ</c> on stdout (flushed) after each append completed. Batches of one
/// to three events exercise atomic multi-event writes and the writer's group commit.
/// </summary>
internal static class JournalCrashChild
{
    public const string Mode = "journal-crash-child";

    public static async Task<int> RunAsync(string[] args)
    {
        var path = args[0];
        var streams = int.Parse(args[1], CultureInfo.InvariantCulture);
        await using var store = await PersistenceStore.OpenSqliteAsync(new SqliteStoreOptions(path));
        var output = Console.Out;
        var gate = new Lock();
        await output.WriteLineAsync("ready");
        await output.FlushAsync();
        await Task.WhenAll(Enumerable.Range(0, streams).Select(s => Task.Run(async () =>
        {
            var persistenceId = $"crash-{s}";
            var seq = await store.Journal.ReadHighestSequenceNrAsync(persistenceId) + 1;
            while (true)
            {
                var size = (int)(1 + (seq % 3));
                var batch = Enumerable.Range(0, size).Select(i => new PendingEvent(seq + i, Payload(s, seq + i))).ToArray();
                await store.Journal.WriteAsync(new AtomicWrite(persistenceId, 0, batch));
                lock (gate)
                {
                    foreach (var e in batch)
                    {
                        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ack {persistenceId} {e.SequenceNr}"));
                    }

                    output.Flush();
                }

                seq += size;
            }
        })));
        return 0;
    }

    /// <summary>The event the child writes at (stream, seq): the parent checks the payload, not only the number.</summary>
    public static TrialStarted Payload(int stream, long seq) => new(new TrialId("crash", "journal", stream, 1), (int)(seq % 1000), seq);
}
