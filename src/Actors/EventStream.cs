namespace AlgoPerf.Actors;

/// <summary>
/// A process-wide publish/subscribe channel for runtime events (<see cref="DeadLetter"/>, <see cref="UnhandledMessage"/>)
/// and anything else; a subscriber receives every published object assignable to the type it subscribed to.
/// </summary>
public sealed class EventStream
{
    private (IActorRef Subscriber, Type Channel)[] _subscriptions = [];

    /// <summary>True when someone listens (publishers may skip building events otherwise).</summary>
    public bool HasSubscribers => Volatile.Read(ref _subscriptions).Length > 0;

    /// <summary>Sends <paramref name="subscriber"/> every later event assignable to <paramref name="channel"/>.</summary>
    public void Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        Update(s => [.. s, (subscriber, channel)]);
    }

    /// <summary>Removes the subscriptions of <paramref name="subscriber"/> (to one channel, or all when null).</summary>
    public void Unsubscribe(IActorRef subscriber, Type? channel = null) =>
        Update(s => [.. s.Where(x => !(ReferenceEquals(x.Subscriber, subscriber) && (channel is null || x.Channel == channel)))]);

    /// <summary>Delivers <paramref name="event"/> to the matching subscribers.</summary>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        foreach (var (subscriber, channel) in Volatile.Read(ref _subscriptions))
        {
            if (channel.IsInstanceOfType(@event))
            {
                subscriber.Tell(@event, null);
            }
        }
    }

    private void Update(Func<(IActorRef Subscriber, Type Channel)[], (IActorRef Subscriber, Type Channel)[]> change)
    {
        while (true)
        {
            var current = Volatile.Read(ref _subscriptions);
            if (Interlocked.CompareExchange(ref _subscriptions, change(current), current) == current)
            {
                return;
            }
        }
    }
}
