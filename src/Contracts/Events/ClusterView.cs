using AlgoPerf.Contracts.Ids;

namespace AlgoPerf.Contracts.Events;

/// <summary>
/// What the coordinator of a cluster sees, kept as the snapshot of stream <c>cluster/&lt;benchmark&gt;</c> (replaced
/// every few seconds while it changes) for <c>algoperf status --journal</c>: the members with their roles and devices and
/// the trial each device runs.
/// </summary>
/// <param name="Benchmark">The benchmark's name.</param>
/// <param name="RunDirectory">The run directory the nodes share.</param>
/// <param name="Coordinator">The address of the node that holds the coordinator singleton.</param>
/// <param name="UpdatedAt">When the coordinator wrote it (a view older than a few seconds means no coordinator runs).</param>
/// <param name="Over">Every study is decided.</param>
/// <param name="Members">The cluster's members, by address.</param>
[EventContract("cluster-view", 1)]
public sealed record ClusterView(string Benchmark, string RunDirectory, string Coordinator, DateTimeOffset UpdatedAt, bool Over, IReadOnlyList<ClusterMemberView> Members) : IEvent;

/// <summary>One member of the cluster.</summary>
/// <param name="Address">Its address.</param>
/// <param name="Roles">Its roles (coordinator, worker).</param>
/// <param name="Status">Its membership status (Up, Leaving, ...).</param>
/// <param name="Reachable">Whether the coordinator's node reaches it.</param>
/// <param name="Devices">A worker's devices, each with its trial.</param>
public sealed record ClusterMemberView(string Address, IReadOnlyList<string> Roles, string Status, bool Reachable, IReadOnlyList<ClusterDeviceView> Devices);

/// <summary>A device of a worker and the trial it runs.</summary>
/// <param name="Device">The device (cpu:0, cuda:1, ...).</param>
/// <param name="Trial">The trial it runs, or null when idle.</param>
public sealed record ClusterDeviceView(string Device, TrialId? Trial);
