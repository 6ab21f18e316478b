using System.Globalization;
using Akka.Actor;
using Akka.Event;
using AlgoPerf.Contracts.Events;

namespace AlgoPerf.Seed.Orchestration;

/// <summary>
/// Subscriber of the live scorer in an all-in-one run: logs every <see cref="ScoresChanged"/> (provisional score with
/// its best and worst case while studies are open) and completes <c>final</c> with the first final one.
/// </summary>
public sealed class ScoresListener : UntypedActor
{
    private readonly TaskCompletionSource<ScoresChanged> _final;

    /// <summary>Creates the listener (through <see cref="Props"/>).</summary>
    public ScoresListener(TaskCompletionSource<ScoresChanged> final) => _final = final ?? throw new ArgumentNullException(nameof(final));

    /// <summary>Props of a listener that completes <paramref name="final"/>.</summary>
    public static Props Props(TaskCompletionSource<ScoresChanged> final) => Akka.Actor.Props.Create(() => new ScoresListener(final));

    /// <summary>One log line for a score update.</summary>
    public static string Describe(ScoresChanged scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var parts = scores.Scores.Select(kv => string.Create(
            CultureInfo.InvariantCulture,
            $"{kv.Key} {kv.Value.Score:F4} [{kv.Value.WorstCase:F4}, {kv.Value.BestCase:F4}]"));
        return $"{(scores.Final ? "final" : "provisional")} scores ({scores.Ruleset}): {string.Join(", ", parts)}";
    }

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        if (message is ScoresChanged scores)
        {
            Context.GetLogger().Info(Describe(scores));
            if (scores.Final)
            {
                _final.TrySetResult(scores);
            }
        }
        else
        {
            Unhandled(message);
        }
    }
}
