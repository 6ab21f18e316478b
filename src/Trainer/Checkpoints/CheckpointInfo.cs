namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>A checkpoint written durably.</summary>
/// <param name="Path">The file.</param>
/// <param name="GlobalStep">The step it holds.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the whole file (the journal's <c>CheckpointSaved</c>).</param>
/// <param name="Bytes">File size.</param>
/// <param name="Seconds">Time taken to collect and write it.</param>
public sealed record CheckpointInfo(string Path, long GlobalStep, string Sha256, long Bytes, double Seconds);
