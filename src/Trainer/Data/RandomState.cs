namespace AlgoPerf.Trainer.Data;

/// <summary>The full state of a <see cref="Xoshiro256StarStar"/> generator: small enough to checkpoint as four words.</summary>
public readonly record struct RandomState(ulong S0, ulong S1, ulong S2, ulong S3);
