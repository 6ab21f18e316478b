using AlgoPerf.Actors.Supervision;

namespace AlgoPerf.Actors.Internal;

internal sealed partial class ActorCell
{
    private readonly Dictionary<string, ChildEntry> _children = new(StringComparer.Ordinal);
    private readonly HashSet<IActorRef> _stoppingChildren = [];
    private long _nextChildName;

    public IReadOnlyCollection<IActorRef> Children
    {
        get
        {
            lock (_children)
            {
                return [.. _children.Values.Select(c => (IActorRef)c.Ref)];
            }
        }
    }

    private int ChildCount
    {
        get
        {
            lock (_children)
            {
                return _children.Count;
            }
        }
    }

    public IActorRef ActorOf(Props props, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (name is not null && (name.Length == 0 || name.StartsWith('$') || name.Contains('/', StringComparison.Ordinal)))
        {
            throw new InvalidActorNameException($"invalid actor name '{name}' under {Self.Path}: names are non-empty, without '/', and not starting with '$'");
        }

        if (_terminating)
        {
            throw new InvalidOperationException($"{Self.Path} is stopping and cannot create children");
        }

        ChildEntry entry;
        lock (_children)
        {
            name ??= "$" + (++_nextChildName).ToString(global::System.Globalization.CultureInfo.InvariantCulture);
            if (_children.ContainsKey(name))
            {
                throw new InvalidActorNameException($"actor name '{name}' is not unique under {Self.Path}");
            }

            var path = Self.Path == "/" ? "/" + name : Self.Path + "/" + name;
            var cell = System.NewCell(props, SelfRef, path);
            entry = new ChildEntry(cell.SelfRef, new ChildRestartStats());
            _children.Add(name, entry);
        }

        entry.Ref.Cell.Start();
        return entry.Ref;
    }

    public IActorRef? Child(string name)
    {
        lock (_children)
        {
            return _children.TryGetValue(name, out var c) ? c.Ref : null;
        }
    }

    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is IInternalActorRef internalRef)
        {
            if (FindChild(actor) is not null)
            {
                _stoppingChildren.Add(actor);
            }

            internalRef.SendSystemMessage(new Terminate());
        }
    }

    private List<ChildEntry> ChildEntries()
    {
        lock (_children)
        {
            return [.. _children.Values];
        }
    }

    private ChildEntry? FindChild(IActorRef actor)
    {
        lock (_children)
        {
            foreach (var c in _children.Values)
            {
                if (ReferenceEquals(c.Ref, actor))
                {
                    return c;
                }
            }

            return null;
        }
    }

    private bool RemoveChild(IActorRef actor)
    {
        if (actor is not LocalActorRef local)
        {
            return false;
        }

        var name = local.Path[(local.Path.LastIndexOf('/') + 1)..];
        lock (_children)
        {
            return _children.TryGetValue(name, out var c) && ReferenceEquals(c.Ref, actor) && _children.Remove(name);
        }
    }

    private void SendToChildren(Func<SystemMessage> message)
    {
        foreach (var c in ChildEntries())
        {
            c.Ref.SendSystemMessage(message());
        }
    }
}

/// <summary>A live child and its restart statistics (used by the parent's supervisor strategy).</summary>
internal sealed record ChildEntry(LocalActorRef Ref, ChildRestartStats Stats);
