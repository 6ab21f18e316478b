using AlgoPerf.Actors.Supervision;

namespace AlgoPerf.Actors.Tests;

/// <summary>A test actor built from delegates; reports its lifecycle hooks to an optional probe.</summary>
internal sealed class LambdaActor : ActorBase
{
    private readonly Action<LambdaActor, object> _receive;
    private readonly Action<LambdaActor>? _preStart;
    private readonly IActorRef? _lifecycle;
    private readonly SupervisorStrategy? _strategy;
    private readonly string _tag;

    public LambdaActor(Action<LambdaActor, object> receive, Action<LambdaActor>? preStart = null, IActorRef? lifecycle = null, SupervisorStrategy? strategy = null, string tag = "")
    {
        _tag = tag;
        _receive = receive;
        _preStart = preStart;
        _lifecycle = lifecycle;
        _strategy = strategy;
    }

    public int Counter { get; set; }

    public IActorContext Ctx => Context;

    public IActorRef From => Sender;

    public IActorRef Me => Self;

    public IStash Stashed => Stash;

    public static Props Props(Action<LambdaActor, object> receive, Action<LambdaActor>? preStart = null, IActorRef? lifecycle = null, SupervisorStrategy? strategy = null, string tag = "") =>
        Actors.Props.Create(() => new LambdaActor(receive, preStart, lifecycle, strategy, tag));

    public void NotHandled(object message) => Unhandled(message);

    protected override void OnReceive(object message) => _receive(this, message);

    protected override void PreStart()
    {
        _lifecycle?.Tell(_tag + "PreStart", null);
        _preStart?.Invoke(this);
    }

    protected override void PostStop() => _lifecycle?.Tell(_tag + "PostStop", null);

    protected override void PreRestart(Exception reason, object? message)
    {
        _lifecycle?.Tell($"{_tag}PreRestart:{message}", null);
        base.PreRestart(reason, message);
    }

    protected override void PostRestart(Exception reason)
    {
        _lifecycle?.Tell(_tag + "PostRestart", null);
        base.PostRestart(reason);
    }

    protected override SupervisorStrategy SupervisorStrategy() => _strategy ?? base.SupervisorStrategy();
}
