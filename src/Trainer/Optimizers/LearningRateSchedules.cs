namespace AlgoPerf.Trainer.Optimizers;

/// <summary>
/// The baselines' learning-rate schedules as closed forms of the step (0-based: the rate used by the
/// <c>step</c>-th update). They equal what the reference's PyTorch schedulers produce to about 1e-16 relative
/// (checked against <c>tests/Trainer.Tests/Data/reference_trajectories.json</c>).
/// </summary>
public static class LearningRateSchedules
{
    /// <summary>The factor <c>LinearLR</c> starts the warmup from in the PyTorch baselines.</summary>
    public const double WarmupStartFactor = 1e-10;

    /// <summary>
    /// NAdamW/AdamW/LAMB/Adafactor (<c>pytorch_cosine_warmup</c>): <c>LinearLR(start_factor=1e-10)</c> over
    /// <paramref name="warmupSteps"/> steps, then <c>CosineAnnealingLR(T_max = max(step_hint − warmup, 1))</c>, joined by
    /// <c>SequentialLR</c>: <c>lr·(1e-10 + (1 − 1e-10)·t/W)</c> for <c>t &lt; W</c>, else
    /// <c>lr·(1 + cos(π·(t − W)/T))/2</c>, which rises again past the step hint as torch's cosine does.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="warmupSteps"/> is 0: torch's <c>SequentialLR</c> then never leaves the 1e-10 start factor
    /// (a reference quirk), so we refuse rather than silently train at ~0.
    /// </exception>
    public static double WarmupCosine(double baseLr, int stepHint, int warmupSteps, long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(warmupSteps);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < warmupSteps)
        {
            return baseLr * (WarmupStartFactor + ((1.0 - WarmupStartFactor) * step / warmupSteps));
        }

        var cosineSteps = Math.Max(stepHint - warmupSteps, 1);
        return baseLr * (1 + Math.Cos(Math.PI * (step - warmupSteps) / cosineSteps)) / 2;
    }

    /// <summary>The warmup length of the baselines: <c>int(warmup_factor · step_hint)</c>.</summary>
    public static int WarmupSteps(double warmupFactor, int stepHint) => (int)(warmupFactor * stepHint);

    /// <summary>
    /// Heavy-ball and Nesterov momentum (the optax schedule the reference wraps in <c>LambdaLR</c>): linear warmup
    /// from 0 over <c>W = int(warmup_factor·step_hint)</c> steps, then linear decay from <c>lr</c> to
    /// <c>lr·end_factor</c> over <c>D = int((step_hint − W)·decay_steps_factor)</c> steps, then constant. Computed in
    /// float64 and multiplied back as <c>LambdaLR</c> does (<c>lr · (value / lr)</c>); the reference evaluates the
    /// optax part in float32.
    /// </summary>
    public static double WarmupLinearDecay(double baseLr, int stepHint, double warmupFactor, double decayStepsFactor, double endFactor, long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var warmupSteps = WarmupSteps(warmupFactor, stepHint);
        var decaySteps = (int)((stepHint - warmupSteps) * decayStepsFactor);
        var end = baseLr * endFactor;
        double value;
        if (step < warmupSteps)
        {
            value = ((0.0 - baseLr) * (1 - ((double)step / warmupSteps))) + baseLr;
        }
        else if (decaySteps <= 0)
        {
            value = baseLr; // optax: a schedule with no transition steps returns its initial value
        }
        else
        {
            var count = Math.Min(step - warmupSteps, decaySteps);
            value = ((baseLr - end) * (1 - ((double)count / decaySteps))) + end;
        }

        return baseLr * (value / baseLr);
    }

    /// <summary>
    /// Schedule-Free AdamW's internal warmup for its <c>k</c>-th step (0-based): <c>max(lr·min((k+1)/W, 1), eps)</c>
    /// with <c>W = int(warmup_factor · step_hint · 0.75)</c> in the submission.
    /// </summary>
    public static double ScheduleFreeWarmup(double baseLr, int warmupSteps, long k, double eps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var sched = k < warmupSteps ? (k + 1) / (double)warmupSteps : 1.0;
        return Math.Max(baseLr * sched, eps);
    }
}
