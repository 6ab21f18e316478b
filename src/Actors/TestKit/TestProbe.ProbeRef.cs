using AlgoPerf.Actors.Internal;

namespace AlgoPerf.Actors.TestKit;

public sealed partial class TestProbe
{
    private static long s_next;

    /// <summary>The probe's ref: user messages and death notifications land in the probe's queue.</summary>
    private sealed class ProbeRef : IInternalActorRef
    {
        private readonly TestProbe _probe;

        public ProbeRef(TestProbe probe, ActorSystem system)
        {
            _probe = probe;
            System = system;
            Path = $"/system/testProbe-{Interlocked.Increment(ref s_next)}-{probe.Name}";
        }

        public ActorSystem System { get; }

        public string Path { get; }

        public void Tell(object message, IActorRef? sender)
        {
            ArgumentNullException.ThrowIfNull(message);
            _probe.Enqueue(new Envelope(message, sender));
        }

        public void SendSystemMessage(SystemMessage message)
        {
            if (message is DeathWatchNotification d)
            {
                _probe.Enqueue(new Envelope(new Terminated(d.Actor, d.ExistenceConfirmed), d.Actor));
            }
        }

        public override string ToString() => Path;
    }
}
