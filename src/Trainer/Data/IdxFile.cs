namespace AlgoPerf.Trainer.Data;

/// <summary>An unsigned-byte IDX file (the MNIST format): its dimensions and its data in row-major order.</summary>
/// <param name="Path">The file it was read from (for error messages).</param>
/// <param name="Dimensions">The sizes, outermost first (e.g. <c>[60000, 28, 28]</c>).</param>
/// <param name="Data">The bytes, row-major; length is the product of the dimensions.</param>
public sealed record IdxFile(string Path, IReadOnlyList<int> Dimensions, byte[] Data);
