using Akka;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams.Dsl;

namespace AlgoPerf.Scorer.Live;

/// <summary>
/// Every event of the journal in journal order, from Akka.Persistence.Query: what the live scorer reads. The offset is
/// the read journal's sequence offset (the journal's global <c>ordering</c>); reads start after it.
/// </summary>
public interface IJournalEvents
{
    /// <summary>The events stored now after <paramref name="afterOffset"/>; the stream completes at the end.</summary>
    Source<EventEnvelope, NotUsed> Current(long afterOffset);

    /// <summary>The events after <paramref name="afterOffset"/>, then every new one as it is stored; never completes.</summary>
    Source<EventEnvelope, NotUsed> Live(long afterOffset);
}

/// <summary>
/// <see cref="IJournalEvents"/> over a read journal that can query all events (Akka.Persistence.Sql's
/// <c>CurrentAllEvents</c> and live <c>AllEvents</c>, which poll every <c>refresh-interval</c>).
/// </summary>
public sealed class ReadJournalEvents : IJournalEvents
{
    /// <summary>Akka.Persistence.Sql's read journal (<see cref="SqlReadJournal.Identifier"/>, as a constant for defaults).</summary>
    public const string SqlPluginId = "akka.persistence.query.journal.sql";

    private readonly ICurrentAllEventsQuery _current;
    private readonly IAllEventsQuery _live;

    /// <summary>The read journal of plugin <paramref name="pluginId"/> in <paramref name="system"/> (default: <see cref="SqlReadJournal.Identifier"/>).</summary>
    public ReadJournalEvents(ActorSystem system, string pluginId = SqlPluginId)
    {
        ArgumentNullException.ThrowIfNull(system);
        var journal = PersistenceQuery.Get(system).ReadJournalFor<IReadJournal>(pluginId);
        _current = journal as ICurrentAllEventsQuery ?? throw new ArgumentException($"read journal {pluginId} cannot query all current events", nameof(pluginId));
        _live = journal as IAllEventsQuery ?? throw new ArgumentException($"read journal {pluginId} cannot query all live events", nameof(pluginId));
    }

    /// <inheritdoc />
    public Source<EventEnvelope, NotUsed> Current(long afterOffset) => _current.CurrentAllEvents(Offset.Sequence(afterOffset));

    /// <inheritdoc />
    public Source<EventEnvelope, NotUsed> Live(long afterOffset) => _live.AllEvents(Offset.Sequence(afterOffset));
}
