namespace AlgoPerf.Actors.Configuration;

/// <summary>Where a configuration value was written: <c>file:line:column</c> (1-based).</summary>
/// <param name="File">The file (or a name such as <c>&lt;string&gt;</c>).</param>
/// <param name="Line">The line, from 1.</param>
/// <param name="Column">The column, from 1.</param>
public readonly record struct HoconOrigin(string File, int Line, int Column)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}";
}
