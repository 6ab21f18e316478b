namespace AlgoPerf.Actors;

/// <summary>
/// Puts messages aside to handle them later. Unstashed messages go before everything else in the mailbox, in the
/// order they were stashed. On restart the stash is returned to the mailbox; on stop it goes to dead letters.
/// </summary>
public interface IStash
{
    /// <summary>Number of stashed messages.</summary>
    int Count { get; }

    /// <summary>Stashes the current message (with its sender).</summary>
    void Stash();

    /// <summary>Returns the oldest stashed message to the front of the mailbox.</summary>
    void Unstash();

    /// <summary>Returns every stashed message to the front of the mailbox, oldest first.</summary>
    void UnstashAll();
}
