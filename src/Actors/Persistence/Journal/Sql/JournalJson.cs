using System.Text.Json.Serialization;

namespace AlgoPerf.Actors.Persistence.Journal.Sql;

/// <summary>Source-generated JSON for the journal's own columns (the tags array).</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class JournalJson : JsonSerializerContext;
