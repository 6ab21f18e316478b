namespace AlgoPerf.Contracts.Events;

/// <summary>
/// A process started (or resumed) a benchmark run with its trainers: the read side's measure of the device time the
/// run had (status, dashboard, <c>device_busy_fraction</c>). Stored in the run's own stream (<c>run/&lt;name&gt;</c>),
/// one per start; the journal's write time of the event is when the session began.
/// </summary>
/// <param name="Benchmark">The benchmark's name.</param>
/// <param name="Session">1 for the run's first start, +1 for every resume.</param>
/// <param name="Trainers">Trainer actors (devices) of this session.</param>
/// <param name="ThreadsPerTrainer">Intra-op threads of each trainer.</param>
/// <param name="Device">The trainers' device kind (<c>cpu</c> or <c>cuda</c>).</param>
/// <param name="DevicesPerTrial">Trainers each trial trains on (a data-parallel gang when above 1). Version 2 added it;
/// a version-1 record reads as 1 (every trial then ran on one device).</param>
[EventContract("run-session-started", 2)]
public sealed record RunSessionStarted(string Benchmark, int Session, int Trainers, int ThreadsPerTrainer, string Device, int DevicesPerTrial = 1) : IEvent;
