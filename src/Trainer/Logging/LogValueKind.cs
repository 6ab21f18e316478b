namespace AlgoPerf.Trainer.Logging;

/// <summary>The Python type a logged value has in the reference's files.</summary>
public enum LogValueKind
{
    /// <summary>A Python <c>int</c>.</summary>
    Integer,

    /// <summary>A Python <c>float</c>.</summary>
    Float,

    /// <summary>A Python <c>str</c>.</summary>
    String,

    /// <summary>A Python <c>bool</c>.</summary>
    Boolean,
}
