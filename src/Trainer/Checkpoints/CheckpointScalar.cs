namespace AlgoPerf.Trainer.Checkpoints;

/// <summary>The type of a checkpoint scalar.</summary>
public enum CheckpointScalarKind
{
    /// <summary>A 64-bit float.</summary>
    Double,

    /// <summary>A signed 64-bit integer.</summary>
    Int64,

    /// <summary>An unsigned 64-bit integer.</summary>
    UInt64,

    /// <summary>A string.</summary>
    String,
}

/// <summary>One scalar of a checkpoint's metadata.</summary>
internal readonly record struct CheckpointScalar(CheckpointScalarKind Kind, double Double, long Int64, ulong UInt64, string String)
{
    public static CheckpointScalar Of(object value) => value switch
    {
        double d => new(CheckpointScalarKind.Double, d, 0, 0, string.Empty),
        long l => new(CheckpointScalarKind.Int64, 0, l, 0, string.Empty),
        ulong u => new(CheckpointScalarKind.UInt64, 0, 0, u, string.Empty),
        string s => new(CheckpointScalarKind.String, 0, 0, 0, s),
        _ => throw new ArgumentException($"unsupported checkpoint scalar type {value.GetType()}", nameof(value)),
    };
}
