namespace AlgoPerf.Trainer.Data;

/// <summary>The synthetic click data set: three splits drawn from the same teacher.</summary>
/// <param name="Train">Training examples.</param>
/// <param name="Validation">Validation examples.</param>
/// <param name="Test">Test examples.</param>
/// <param name="Seed">The seed everything was generated from.</param>
public sealed record DlrmData(DlrmSplit Train, DlrmSplit Validation, DlrmSplit Test, ulong Seed);
