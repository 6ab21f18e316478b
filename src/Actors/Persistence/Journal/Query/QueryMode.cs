namespace AlgoPerf.Actors.Persistence.Journal.Query;

/// <summary>Whether a query ends at the events stored now or tails new ones.</summary>
public enum QueryMode
{
    /// <summary>End after the events visible when the query started.</summary>
    Current,

    /// <summary>Never end: deliver new events as they are committed, until cancelled.</summary>
    Live,
}
