namespace AlgoPerf.Contracts.Serialization;

/// <summary>One registered payload type.</summary>
/// <param name="Type">The CLR type (never stored).</param>
/// <param name="Tag">Its stable type tag.</param>
/// <param name="Version">Its current schema version.</param>
public sealed record EventTypeInfo(Type Type, string Tag, int Version);
