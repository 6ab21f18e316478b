namespace AlgoPerf.Actors;

/// <summary>
/// Graceful stop: delivered to the actor's behavior in mailbox order like any command, so a persistent actor first
/// finishes its pending writes and stashed commands (unlike <see cref="PoisonPill"/>, which would overtake the stash).
/// An actor that does not handle it stops itself (see <see cref="ActorBase.Unhandled"/>).
/// </summary>
public sealed class StopAfterDrain
{
    private StopAfterDrain()
    {
    }

    /// <summary>The single instance.</summary>
    public static StopAfterDrain Instance { get; } = new();
}
