using Akka.Actor;
using AlgoPerf.Scorer.Actors;
using AlgoPerf.Scorer.Live;
using AlgoPerf.Trainer.Actors;
using Spectre.Console;

namespace AlgoPerf.Seed.Monitoring;

/// <summary>How a run shows its progress.</summary>
public enum ProgressMode
{
    /// <summary>A live view redrawn every second (standard output is a terminal).</summary>
    Terminal,

    /// <summary>Plain lines on standard error at a steady pace (CI, a log file).</summary>
    Plain,
}

/// <summary>
/// The progress of a run in this process: every second it asks the live scorer for its <see cref="RunView"/> and every
/// trainer for its status (<see cref="LatestAsync"/> serves the same snapshot to the dashboard), and shows it as
/// <see cref="RunConsoleView"/> on a terminal or as a plain line every <c>plainEvery</c> otherwise. Warnings and errors
/// given to <see cref="Message"/> stay visible: in the live view's message area, or at once on standard error.
/// </summary>
public sealed class RunProgress
{
    private const int MaxMessages = 6;
    private static readonly TimeSpan s_ask = TimeSpan.FromSeconds(10);

    private readonly string _name;
    private readonly IActorRef _scorer;
    private readonly IReadOnlyList<IActorRef> _trainers;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly List<string> _messages = [];

    /// <summary>A progress source over the run's scorer and trainers.</summary>
    public RunProgress(string name, IActorRef scorer, IReadOnlyList<IActorRef> trainers, TimeProvider time)
    {
        _name = name;
        _scorer = scorer;
        _trainers = trainers;
        _time = time;
    }

    /// <summary>The run now (the scorer answers once it has read the stored events).</summary>
    public async Task<LiveSnapshot> LatestAsync(CancellationToken cancellationToken)
    {
        var view = _scorer.Ask<RunView>(new GetRunView(_time.GetUtcNow(), Live: true), s_ask, cancellationToken);
        var statuses = await Task.WhenAll(_trainers.Select(async t =>
        {
            try
            {
                return await t.Ask<TrainerStatus>(GetTrainerStatus.Instance, s_ask, cancellationToken).ConfigureAwait(false);
            }
            catch (AskTimeoutException)
            {
                return null;
            }
        })).ConfigureAwait(false);
        return new LiveSnapshot(_name, await view.ConfigureAwait(false), [.. statuses.OfType<TrainerStatus>()]);
    }

    /// <summary>A warning or error line to keep in view.</summary>
    public void Message(string line)
    {
        lock (_gate)
        {
            _messages.Add(line.Split('\n')[0]);
            if (_messages.Count > MaxMessages)
            {
                _messages.RemoveAt(0);
            }
        }
    }

    private IReadOnlyList<string> Messages()
    {
        lock (_gate)
        {
            return [.. _messages];
        }
    }

    /// <summary>Shows the progress until <paramref name="cancellationToken"/> is cancelled, then once more.</summary>
    public async Task ShowAsync(ProgressMode mode, IAnsiConsole console, TextWriter plain, TimeSpan plainEvery, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(plain);
        if (mode == ProgressMode.Terminal)
        {
            var first = await LatestAsync(cancellationToken).ConfigureAwait(false);
            await console.Live(RunConsoleView.Render(first, Messages())).AutoClear(false).StartAsync(async ctx =>
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    await Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                    if (await TryLatestAsync(cancellationToken).ConfigureAwait(false) is { } s)
                    {
                        ctx.UpdateTarget(RunConsoleView.Render(s, Messages()));
                        ctx.Refresh();
                    }
                }

                // The run's last state stays on the screen, not the last second's.
                if (await FinalAsync().ConfigureAwait(false) is { } last)
                {
                    ctx.UpdateTarget(RunConsoleView.Render(last, Messages()));
                    ctx.Refresh();
                }
            }).ConfigureAwait(false);
            return;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            if (await TryLatestAsync(cancellationToken).ConfigureAwait(false) is { } s)
            {
                await plain.WriteLineAsync($"{_time.GetUtcNow():HH:mm:ss} progress: {RunConsoleView.PlainLine(s)}").ConfigureAwait(false);
            }

            await Delay(plainEvery, cancellationToken).ConfigureAwait(false);
        }

        if (await FinalAsync().ConfigureAwait(false) is { } end)
        {
            await plain.WriteLineAsync($"{_time.GetUtcNow():HH:mm:ss} progress: {RunConsoleView.PlainLine(end)}").ConfigureAwait(false);
        }
    }

    /// <summary>One last snapshot once showing stopped (the actor system is still up), within a few seconds.</summary>
    private async Task<LiveSnapshot?> FinalAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
        return await TryLatestAsync(limit.Token).ConfigureAwait(false);
    }

    private async Task<LiveSnapshot?> TryLatestAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await LatestAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AskTimeoutException or OperationCanceledException)
        {
            return null;
        }
    }

    private async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
