namespace AlgoPerf.Actors.Internal;

/// <summary>A one-shot temporary ref that completes an <c>Ask</c> with the first reply, a timeout or a cancellation.</summary>
internal sealed class PromiseActorRef<T> : IInternalActorRef
{
    private static long s_next;
    private readonly TaskCompletionSource<T> _promise = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _timer;
    private CancellationTokenRegistration _registration;

    public PromiseActorRef(ActorSystem system)
    {
        System = system;
        Path = "/temp/ask-" + Interlocked.Increment(ref s_next).ToString(global::System.Globalization.CultureInfo.InvariantCulture);
    }

    public ActorSystem System { get; }

    public string Path { get; }

    public Task<T> Start(IActorRef target, object message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "an ask timeout must be positive");
        }

        _timer = System.TimeProvider.CreateTimer(
            static state =>
            {
                var (self, target, message, timeout) = ((PromiseActorRef<T>, IActorRef, object, TimeSpan))state!;
                if (self._promise.TrySetException(new AskTimeoutException($"ask of {target.Path} with {message.GetType().Name} timed out after {timeout}")))
                {
                    self.Cleanup();
                }
            },
            (this, target, message, timeout),
            timeout,
            Timeout.InfiniteTimeSpan);
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.Register(static (state, token) =>
            {
                var self = (PromiseActorRef<T>)state!;
                if (self._promise.TrySetCanceled(token))
                {
                    self.Cleanup();
                }
            }, this);
        }

        target.Tell(message, this);
        return _promise.Task;
    }

    public void Tell(object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(message);
        var completed = message switch
        {
            T reply => _promise.TrySetResult(reply),
            StatusFailure failure => _promise.TrySetException(failure.Cause),
            _ => _promise.TrySetException(new InvalidCastException($"ask expected a reply of type {typeof(T).Name} but got {message.GetType().Name}")),
        };
        if (completed)
        {
            Cleanup();
        }
        else
        {
            System.PublishDeadLetter(message, sender, this);
        }
    }

    public void SendSystemMessage(SystemMessage message)
    {
    }

    private void Cleanup()
    {
        _timer?.Dispose();
        _registration.Dispose();
    }
}
