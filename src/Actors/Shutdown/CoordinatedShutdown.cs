using AlgoPerf.Actors.Internal;

namespace AlgoPerf.Actors.Shutdown;

/// <summary>
/// Akka's coordinated shutdown: named phases run in a fixed order; the tasks of one phase run concurrently, and a
/// phase that exceeds its timeout (default <see cref="ActorSystemSettings.ShutdownPhaseTimeout"/>, on the system's
/// clock) is logged and left behind. The last phase terminates the actor system. <see cref="Run"/> is idempotent.
/// </summary>
public sealed class CoordinatedShutdown
{
    private readonly ActorSystem _system;
    private readonly Dictionary<string, List<(string Name, Func<CancellationToken, Task> Run)>> _tasks = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private Task? _run;

    internal CoordinatedShutdown(ActorSystem system)
    {
        _system = system;
    }

    /// <summary>The phases, in the order they run.</summary>
    public static IReadOnlyList<string> Phases { get; } =
    [
        ShutdownPhases.BeforeServiceUnbind,
        ShutdownPhases.ServiceUnbind,
        ShutdownPhases.ServiceRequestsDone,
        ShutdownPhases.ServiceStop,
        ShutdownPhases.BeforeActorSystemTerminate,
        ShutdownPhases.ActorSystemTerminate,
    ];

    /// <summary>Why the shutdown runs (null until <see cref="Run"/> is called).</summary>
    public string? Reason { get; private set; }

    /// <summary>Adds a task to <paramref name="phase"/>; the token is cancelled when the phase times out.</summary>
    public void AddTask(string phase, string taskName, Func<CancellationToken, Task> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentException.ThrowIfNullOrWhiteSpace(taskName);
        if (!Phases.Contains(phase, StringComparer.Ordinal))
        {
            throw new ArgumentException($"unknown shutdown phase '{phase}'; phases: {string.Join(", ", Phases)}", nameof(phase));
        }

        lock (_lock)
        {
            if (_run is not null)
            {
                throw new InvalidOperationException($"coordinated shutdown already runs; task '{taskName}' comes too late");
            }

            if (!_tasks.TryGetValue(phase, out var list))
            {
                _tasks[phase] = list = [];
            }

            list.Add((taskName, task));
        }
    }

    /// <summary>Adds a task that stops <paramref name="actor"/> with <see cref="StopAfterDrain"/> and awaits its end.</summary>
    public void AddStopAfterDrainTask(string phase, IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        AddTask(phase, "stop-after-drain " + actor.Path, _ => actor.GracefulStop(PhaseTimeout(phase), StopAfterDrain.Instance));
    }

    /// <summary>Runs every phase once (later calls return the same task); completes after the system terminated.</summary>
    public Task Run(string reason)
    {
        lock (_lock)
        {
            if (_run is null)
            {
                Reason = reason;
                _run = RunPhasesAsync(reason);
            }

            return _run;
        }
    }

    private TimeSpan PhaseTimeout(string phase) =>
        _system.Settings.ShutdownPhaseTimeouts.TryGetValue(phase, out var t) ? t : _system.Settings.ShutdownPhaseTimeout;

    private async Task RunPhasesAsync(string reason)
    {
        await Task.Yield();
        foreach (var phase in Phases)
        {
            LogMessages.ShutdownPhase(_system.Log, phase, reason);
            List<(string Name, Func<CancellationToken, Task> Run)> tasks;
            lock (_lock)
            {
                tasks = _tasks.TryGetValue(phase, out var list) ? [.. list] : [];
            }

            if (phase == ShutdownPhases.ActorSystemTerminate)
            {
                tasks.Add(("terminate-system", _ => _system.Terminate()));
            }

            if (tasks.Count == 0)
            {
                continue;
            }

            var timeout = PhaseTimeout(phase);
            using var cts = new CancellationTokenSource();
            var all = Task.WhenAll(tasks.Select(t => RunTaskAsync(phase, t.Name, t.Run, cts.Token)));
            var delay = Task.Delay(timeout, _system.TimeProvider, cts.Token);
            if (await Task.WhenAny(all, delay).ConfigureAwait(false) != all)
            {
                LogMessages.ShutdownPhaseTimeout(_system.Log, phase, timeout);
            }

            await cts.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task RunTaskAsync(string phase, string name, Func<CancellationToken, Task> run, CancellationToken cancellationToken)
    {
        try
        {
            await run(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogMessages.ShutdownTaskFailed(_system.Log, name, phase, e);
        }
    }
}
