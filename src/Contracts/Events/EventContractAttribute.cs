namespace AlgoPerf.Contracts.Events;

/// <summary>
/// Marks a record as a persisted event and gives it its wire identity: a stable type tag and a schema version. The
/// journal stores the tag and version, never a CLR type name, so renaming or moving a type never breaks recovery;
/// a changed shape gets a new version and an upcaster from the old one.
/// </summary>
/// <param name="tag">Stable, lower-kebab-case name, e.g. <c>trial-planned</c>. Never reused for another meaning.</param>
/// <param name="version">Schema version of this shape, starting at 1.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false, AllowMultiple = false)]
public sealed class EventContractAttribute(string tag, int version) : Attribute
{
    /// <summary>The stable type tag.</summary>
    public string Tag { get; } = tag;

    /// <summary>The schema version.</summary>
    public int Version { get; } = version;
}
