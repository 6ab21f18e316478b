using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using AlgoPerf.Contracts.Events;

namespace AlgoPerf.Seed.Cluster;

/// <summary>
/// Keeps the coordinator's <see cref="ClusterView"/> as the one snapshot of stream <c>cluster/&lt;benchmark&gt;</c> (the
/// SQL snapshot store replaces it in place), written when the members, their trials or the end changed, and at least
/// every 10 s so its age tells <c>status</c> whether a coordinator runs.
/// </summary>
public sealed class ClusterViewActor : ReceivePersistentActor
{
    private static readonly TimeSpan s_refresh = TimeSpan.FromSeconds(10);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ClusterView? _saved;

    /// <summary>Creates the actor (through <see cref="Props"/>).</summary>
    public ClusterViewActor(string benchmark)
    {
        PersistenceId = PersistenceIdOf(benchmark);
        Command<ClusterView>(view =>
        {
            if (_saved is null || !Same(_saved, view) || view.UpdatedAt - _saved.UpdatedAt >= s_refresh)
            {
                _saved = view;
                SaveSnapshot(view);
            }
        });
        Command<SaveSnapshotSuccess>(_ => { });
        Command<SaveSnapshotFailure>(f => _log.Warning("cluster view: not saved ({0}); status shows an older one", f.Cause.Message));
        Recover<SnapshotOffer>(_ => { });
    }

    /// <inheritdoc />
    public override string PersistenceId { get; }

    /// <summary>The stream of a benchmark's cluster view.</summary>
    public static string PersistenceIdOf(string benchmark) => "cluster/" + benchmark;

    /// <summary>Props of the actor.</summary>
    public static Props Props(string benchmark) => Akka.Actor.Props.Create(() => new ClusterViewActor(benchmark));

    private static bool Same(ClusterView a, ClusterView b) =>
        a.Coordinator == b.Coordinator && a.Over == b.Over && a.Members.Count == b.Members.Count
        && a.Members.Zip(b.Members).All(p => p.Item1.Address == p.Item2.Address && p.Item1.Status == p.Item2.Status && p.Item1.Reachable == p.Item2.Reachable
            && p.Item1.Devices.SequenceEqual(p.Item2.Devices));
}
