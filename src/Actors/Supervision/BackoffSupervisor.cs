namespace AlgoPerf.Actors.Supervision;

/// <summary>
/// Keeps one child alive, re-creating it after an exponentially growing, jittered delay when it stops
/// (<see cref="BackoffMode.OnStop"/>) or fails (<see cref="BackoffMode.OnFailure"/>). Messages are forwarded to the
/// child; while there is none they go to dead letters. Ask <see cref="GetCurrentChild"/> / <see cref="GetRestartCount"/>.
/// In OnFailure mode a child that stops by itself stops the supervisor too (as Akka).
/// </summary>
public sealed class BackoffSupervisor : ActorBase
{
    private readonly BackoffOptions _options;
    private readonly SupervisorStrategy _strategy;
    private IActorRef? _child;
    private int _restartCount;
    private bool _childFailed;

    private BackoffSupervisor(BackoffOptions options)
    {
        _options = options;
        var decider = options.Decider ?? Supervision.SupervisorStrategy.DefaultDecider;
        _strategy = options.Mode == BackoffMode.OnFailure
            ? new OneForOneStrategy(decider: e =>
            {
                var directive = decider(e);
                if (directive != Directive.Restart)
                {
                    return directive;
                }

                _childFailed = true;
                return Directive.Stop;
            })
            : Supervision.SupervisorStrategy.Default;
    }

    /// <summary>Props of a back-off supervisor (options validated here).</summary>
    public static Props Props(BackoffOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Actors.Props.Create(() => new BackoffSupervisor(options));
    }

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => _strategy;

    /// <inheritdoc />
    protected override void PreStart() => StartChild();

    /// <inheritdoc />
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Terminated t when ReferenceEquals(t.Actor, _child):
                ChildTerminated();
                break;
            case StartChildTick:
                StartChild();
                break;
            case ResetTick reset when reset.RestartCount == _restartCount:
                _restartCount = 0;
                break;
            case ResetTick:
                break;
            case GetCurrentChild:
                Sender.Tell(new CurrentChild(_child), Self);
                break;
            case GetRestartCount:
                Sender.Tell(new RestartCount(_restartCount), Self);
                break;
            default:
                (_child ?? Context.System.DeadLetters).Tell(message, Sender);
                break;
        }
    }

    private void StartChild()
    {
        _childFailed = false;
        _child = Context.Watch(Context.ActorOf(_options.ChildProps, _options.ChildName));
        Context.Timers.StartSingleTimer(ResetKey, new ResetTick(_restartCount), _options.ResetBackoffAfter ?? _options.MinBackoff);
    }

    private void ChildTerminated()
    {
        _child = null;
        Context.Timers.Cancel(ResetKey);
        var restart = _options.Mode == BackoffMode.OnStop || _childFailed;
        if (!restart || (_options.MaxNrOfRetries >= 0 && _restartCount >= _options.MaxNrOfRetries))
        {
            Context.Stop(Self);
            return;
        }

        var delay = _options.Delay(_restartCount, _options.Random());
        _restartCount++;
        Context.Timers.StartSingleTimer(StartKey, StartChildTick.Instance, delay);
    }

    private const string ResetKey = "backoff-reset";
    private const string StartKey = "backoff-start";

    /// <summary>Asks for the current child; the reply is <see cref="CurrentChild"/>.</summary>
    public sealed record GetCurrentChild
    {
        /// <summary>The single instance.</summary>
        public static GetCurrentChild Instance { get; } = new();
    }

    /// <summary>The current child, or null during a back-off.</summary>
    public sealed record CurrentChild(IActorRef? Ref);

    /// <summary>Asks for the restart count; the reply is <see cref="RestartCount"/>.</summary>
    public sealed record GetRestartCount
    {
        /// <summary>The single instance.</summary>
        public static GetRestartCount Instance { get; } = new();
    }

    /// <summary>Restarts since the count was last reset.</summary>
    public sealed record RestartCount(int Count);

    private sealed record StartChildTick
    {
        public static StartChildTick Instance { get; } = new();
    }

    private sealed record ResetTick(int RestartCount);
}
