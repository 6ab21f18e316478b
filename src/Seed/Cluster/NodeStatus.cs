namespace AlgoPerf.Seed.Cluster;

/// <summary>
/// What this node's actors know about its readiness, read by <c>/health</c> from the web server's threads: the node is
/// Up in the cluster; a worker is registered with a coordinator; the coordinator singleton runs here and has
/// recovered (its journal read and the workers reconciled).
/// </summary>
public sealed class NodeStatus
{
    private volatile bool _up;
    private volatile bool _registered;
    private volatile bool _singletonHere;
    private volatile bool _coordinatorRecovered;

    /// <summary>Creates the status of a node of <paramref name="role"/>.</summary>
    public NodeStatus(NodeRole role) => Role = role;

    /// <summary>The node's role.</summary>
    public NodeRole Role { get; }

    /// <summary>The node is Up in the cluster.</summary>
    public bool Up
    {
        get => _up;
        set => _up = value;
    }

    /// <summary>A worker: a coordinator accepted it and its trainers are attached.</summary>
    public bool Registered
    {
        get => _registered;
        set => _registered = value;
    }

    /// <summary>A coordinator: the singleton runs on this node.</summary>
    public bool SingletonHere
    {
        get => _singletonHere;
        set => _singletonHere = value;
    }

    /// <summary>A coordinator hosting the singleton: it has reconciled with the workers and dispatches.</summary>
    public bool CoordinatorRecovered
    {
        get => _coordinatorRecovered;
        set => _coordinatorRecovered = value;
    }

    /// <summary>
    /// Ready: Up, and for a worker registered, for the coordinator that hosts the singleton recovered (a coordinator
    /// without the singleton is a ready standby).
    /// </summary>
    public NodeHealth Health()
    {
        if (!Up)
        {
            return new NodeHealth(false, "not Up in the cluster yet");
        }

        return Role switch
        {
            NodeRole.Worker => Registered ? new NodeHealth(true, "worker Up, registered with the coordinator") : new NodeHealth(false, "worker Up, not registered with a coordinator yet"),
            _ when !SingletonHere => new NodeHealth(true, "coordinator Up (standby)"),
            _ => CoordinatorRecovered ? new NodeHealth(true, "coordinator Up, singleton here, recovered") : new NodeHealth(false, "coordinator Up, singleton here, recovering"),
        };
    }
}
