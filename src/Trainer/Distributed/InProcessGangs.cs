namespace AlgoPerf.Trainer.Distributed;

/// <summary>
/// The process's in-process gangs by id: the trainers of a gang (threads of this process) each join with their rank
/// and get their end of one <see cref="InProcessReducerGroup"/>. A gang's group is forgotten once every rank that
/// joined has disposed its reducer, after all its ranks joined or after it failed.
/// </summary>
public static class InProcessGangs
{
    private static readonly Dictionary<string, Entry> s_gangs = new(StringComparer.Ordinal);

    /// <summary>Gangs with a rank still holding its reducer (tests check that none is left behind).</summary>
    public static int Count
    {
        get
        {
            lock (s_gangs)
            {
                return s_gangs.Count;
            }
        }
    }

    /// <summary>Rank <paramref name="rank"/>'s reducer of gang <paramref name="gangId"/> (created by the first rank to join).</summary>
    /// <exception cref="ArgumentException">The gang exists with another size, or the rank joined already.</exception>
    public static IGradientReducer Join(string gangId, int rank, int worldSize, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(gangId);
        lock (s_gangs)
        {
            if (!s_gangs.TryGetValue(gangId, out var entry))
            {
                entry = new Entry(new InProcessReducerGroup(worldSize, timeout));
                s_gangs[gangId] = entry;
            }

            if (entry.Group.WorldSize != worldSize)
            {
                throw new ArgumentException($"gang {gangId} has {entry.Group.WorldSize} ranks; rank {rank} joined it as one of {worldSize}", nameof(worldSize));
            }

            if (!entry.Joined.Add(rank))
            {
                throw new ArgumentException($"rank {rank} joined gang {gangId} twice", nameof(rank));
            }

            return new Member(gangId, entry, entry.Group.Rank(rank));
        }
    }

    private static void Leave(string gangId, Entry entry)
    {
        lock (s_gangs)
        {
            entry.Left++;
            var everyone = entry.Joined.Count == entry.Group.WorldSize;
            if (entry.Left == entry.Joined.Count && (everyone || entry.Group.HasFailed))
            {
                s_gangs.Remove(gangId);
            }
        }
    }

    private sealed class Entry(InProcessReducerGroup group)
    {
        public InProcessReducerGroup Group { get; } = group;

        public HashSet<int> Joined { get; } = [];

        public int Left { get; set; }
    }

    private sealed class Member(string gangId, Entry entry, IGradientReducer reducer) : IGradientReducer
    {
        private int _disposed;

        public int Rank => reducer.Rank;

        public int WorldSize => reducer.WorldSize;

        public void AverageInPlace(IReadOnlyList<TorchSharp.torch.Tensor> gradients) => reducer.AverageInPlace(gradients);

        public void BroadcastInPlace(IReadOnlyList<TorchSharp.torch.Tensor> tensors, int root) => reducer.BroadcastInPlace(tensors, root);

        public void AllReduce(Span<double> values, ReduceOp op) => reducer.AllReduce(values, op);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                reducer.Dispose();
                Leave(gangId, entry);
            }
        }
    }
}
