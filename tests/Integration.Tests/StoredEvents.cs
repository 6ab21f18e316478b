using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Persistence;

namespace AlgoPerf.Integration.Tests;

/// <summary>What a SQLite journal file holds, read back through the product's Akka.Persistence.Query configuration.</summary>
internal static class StoredEvents
{
    /// <summary>Every stored event of the file in journal order (or only <paramref name="persistenceId"/>'s stream).</summary>
    public static async Task<IReadOnlyList<EventEnvelope>> ReadAsync(string sqliteFile, string? persistenceId = null)
    {
        var config = JournalStore.Sqlite(sqliteFile).ToConfig()
            .WithFallback(Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = ERROR, akka.persistence.journal.sql.auto-initialize = off"))
            .WithFallback(AlgoPerfConfig.Reference);
        var system = ActorSystem.Create("stored-events", config);
        try
        {
            var query = PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
            var source = persistenceId is null ? query.CurrentAllEvents(Offset.NoOffset()) : query.CurrentEventsByPersistenceId(persistenceId, 0, long.MaxValue);
            return await source.RunWith(Sink.Seq<EventEnvelope>(), system.Materializer());
        }
        finally
        {
            await system.Terminate();
        }
    }
}
