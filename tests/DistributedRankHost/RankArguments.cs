using System.Globalization;
using AlgoPerf.Trainer.Distributed;

namespace AlgoPerf.DistributedRankHost;

/// <summary>The arguments every mode takes.</summary>
internal sealed record RankArguments(int Rank, int World, string Store, string Gang, string Bind, TimeSpan Timeout)
{
    /// <summary>Every option given, by name (a mode's own options among them).</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>A mode's own option.</summary>
    public string Option(string name) => Options.TryGetValue(name, out var v) ? v : throw new FormatException($"missing {name}");

    public static RankArguments Parse(ReadOnlySpan<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        string Get(string name) => values.TryGetValue(name, out var v) ? v : throw new FormatException($"missing {name}");
        return new RankArguments(
            int.Parse(Get("--rank"), CultureInfo.InvariantCulture),
            int.Parse(Get("--world"), CultureInfo.InvariantCulture),
            Get("--store"),
            Get("--gang"),
            values.GetValueOrDefault("--bind", "127.0.0.1"),
            TimeSpan.FromSeconds(double.Parse(values.GetValueOrDefault("--timeout-s", "60"), CultureInfo.InvariantCulture)))
        {
            Options = values,
        };
    }

    public GlooReducer Connect() => GlooReducer.Connect(Rank, World, Store, Gang, Bind, Timeout);
}
