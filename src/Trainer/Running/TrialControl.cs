namespace AlgoPerf.Trainer.Running;

/// <summary>
/// Stops a running trial from another thread. <see cref="Cancel"/> pauses it (the loop ends as
/// <c>Cancelled</c> before the next step; a checkpoint lets it resume); <see cref="StopEarly"/> ends it for good (the
/// tuner's score-preserving early stop: the final score row is written). Both take effect before the next step.
/// </summary>
public sealed class TrialControl : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private int _stoppedEarly;

    /// <summary>The token the loop checks before every step.</summary>
    public CancellationToken Token => _cts.Token;

    /// <summary>Whether <see cref="StopEarly"/> was called.</summary>
    public bool StoppedEarly => Volatile.Read(ref _stoppedEarly) != 0;

    /// <summary>Whether the trial was asked to end (cancelled or stopped early).</summary>
    public bool IsCancellationRequested => _cts.IsCancellationRequested;

    /// <summary>Pauses the trial.</summary>
    public void Cancel() => _cts.Cancel();

    /// <summary>Ends the trial for good.</summary>
    public void StopEarly()
    {
        Volatile.Write(ref _stoppedEarly, 1);
        _cts.Cancel();
    }

    /// <summary>Releases the token source.</summary>
    public void Dispose() => _cts.Dispose();
}
