namespace AlgoPerf.Actors;

/// <summary>The dispatcher ids <see cref="Props.Dispatcher"/> accepts.</summary>
public static class Dispatchers
{
    /// <summary>The shared .NET thread pool; for actors that never block.</summary>
    public const string Default = "default-dispatcher";

    /// <summary>One dedicated thread per actor; for actors that run blocking work (trainers, native calls).</summary>
    public const string Pinned = "pinned-dispatcher";
}
