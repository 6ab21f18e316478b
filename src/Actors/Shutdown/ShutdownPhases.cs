namespace AlgoPerf.Actors.Shutdown;

/// <summary>The names of the coordinated-shutdown phases (Akka's, without the cluster ones), in run order.</summary>
public static class ShutdownPhases
{
    /// <summary>First phase: e.g. stop accepting new work.</summary>
    public const string BeforeServiceUnbind = "before-service-unbind";

    /// <summary>Stop listening (HTTP status endpoint, job intake).</summary>
    public const string ServiceUnbind = "service-unbind";

    /// <summary>Wait for in-flight requests; persistent actors are stopped after draining here.</summary>
    public const string ServiceRequestsDone = "service-requests-done";

    /// <summary>Stop services (trainers, scheduler).</summary>
    public const string ServiceStop = "service-stop";

    /// <summary>Last chance before the actors stop (flush journals, release leases).</summary>
    public const string BeforeActorSystemTerminate = "before-actor-system-terminate";

    /// <summary>Terminates the actor system.</summary>
    public const string ActorSystemTerminate = "actor-system-terminate";
}
