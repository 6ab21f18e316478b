namespace AlgoPerf.Actors.Supervision;

/// <summary>When a <see cref="BackoffSupervisor"/> restarts its child.</summary>
public enum BackoffMode
{
    /// <summary>When the child stopped (e.g. a persistent actor after a write failure).</summary>
    OnStop,

    /// <summary>When the child failed with an exception the decider maps to Restart (the child is stopped, then re-created after the delay).</summary>
    OnFailure,
}
