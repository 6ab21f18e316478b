using System.Runtime.CompilerServices;
using AlgoPerf.Actors.Persistence.Journal.Query;
using AlgoPerf.Contracts.Events;

namespace AlgoPerf.Scorer.Live;

/// <summary>
/// Drives a <see cref="ScoreProjection"/> from the journal's read side: it rebuilds the projection from the first
/// event (so it needs no stored state of its own), yields one <see cref="ScoresChanged"/> once it has caught up with the
/// events stored when it started, and then (in <see cref="QueryMode.Live"/>) one more whenever an event changes the
/// scores. Events the projection does not use, and redeliveries, yield nothing.
/// </summary>
public sealed class ScoreFeed
{
    private readonly IEventQueries _queries;
    private readonly LiveScoringSetup _setup;

    /// <summary>A feed over a journal's queries.</summary>
    public ScoreFeed(IEventQueries queries, LiveScoringSetup setup)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(setup);
        _queries = queries;
        _setup = setup;
    }

    /// <summary>Score updates, in journal order.</summary>
    /// <param name="mode"><see cref="QueryMode.Current"/> ends after the stored events; <see cref="QueryMode.Live"/> follows new ones until cancelled.</param>
    /// <param name="cancellationToken">Stops the feed.</param>
    public async IAsyncEnumerable<ScoresChanged> RunAsync(QueryMode mode, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var projection = new ScoreProjection(_setup);
        var catchUpTo = await _queries.ReadHighestOrderingAsync(cancellationToken).ConfigureAwait(false);
        ScoresChanged? last = null;
        var caughtUp = catchUpTo == 0;
        if (caughtUp)
        {
            last = projection.Snapshot();
            yield return last;
        }

        await foreach (var stored in _queries.AllEventsAsync(0, mode, cancellationToken).ConfigureAwait(false))
        {
            var changed = stored.Payload is IEvent e && projection.Apply(e);
            if (!caughtUp && stored.Ordering >= catchUpTo)
            {
                caughtUp = true;
                changed = true;
            }

            if (caughtUp && changed && Differs(last, projection.Snapshot()) is { } next)
            {
                last = next;
                yield return next;
            }
        }

        // A current query can end below the starting high mark when the last orderings were gaps it skipped.
        if (!caughtUp && Differs(last, projection.Snapshot()) is { } final)
        {
            yield return final;
        }
    }

    /// <summary><paramref name="next"/> when it differs from <paramref name="last"/> in finality or any submission's scores, else null.</summary>
    public static ScoresChanged? Differs(ScoresChanged? last, ScoresChanged next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (last is null || last.Final != next.Final || last.Ruleset != next.Ruleset || last.Scores.Count != next.Scores.Count)
        {
            return next;
        }

        foreach (var (name, score) in next.Scores)
        {
            if (!last.Scores.TryGetValue(name, out var before) || before != score)
            {
                return next;
            }
        }

        return null;
    }
}
