using System.Globalization;
using System.Text.Json;
using AlgoPerf.Seed.Cli;
using AlgoPerf.Tuner.Halton;
using AlgoPerf.Tuner.SearchSpaces;

namespace AlgoPerf.Seed.Commands;

/// <summary>
/// <c>./algoperf tune sample --search-space FILE --num-trials N [--shuffle-seed S]</c>: the points AlgoPerf's
/// <c>halton.generate_search</c> gives for a search space after <c>numpy.random.seed(S)</c>, as a JSON array of
/// objects (keys in search-space order) on stdout.
/// </summary>
internal sealed class TuneCommand : ICommand
{
    public string Name => "tune";

    public string Summary => "tune sample --search-space FILE --num-trials N [--shuffle-seed S]: print Halton trial points";

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        if (args.Positionals is not ["sample"])
        {
            throw new UsageException("usage: tune sample --search-space FILE --num-trials N [--shuffle-seed S]");
        }

        var path = args.Required("search-space");
        var numTrials = args.GetInt("num-trials") ?? throw new UsageException("missing required option --num-trials");
        if (numTrials < 1)
        {
            throw new UsageException($"--num-trials must be at least 1 (got {numTrials})");
        }

        var seed = args.GetUInt64("shuffle-seed") ?? 0;
        if (seed > uint.MaxValue)
        {
            // numpy.random.seed accepts 0 .. 2^32 - 1.
            throw new UsageException($"--shuffle-seed must be below 2^32 (got {seed})");
        }

        args.EnsureAllUsed();
        var space = SearchSpaceReader.ReadFile(path);
        var points = HaltonSearch.Generate(space, numTrials, (uint)seed);
        context.Out.WriteLine(ToJson(points));
        await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    /// <summary>The points as an indented JSON array of objects (keys in search-space order), numbers in shortest round-trip form.</summary>
    internal static string ToJson(IReadOnlyList<HyperparameterPoint> points)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var point in points)
            {
                writer.WriteStartObject();
                foreach (var (name, value) in point.Values)
                {
                    // Shortest round-trip digits with a lowercase exponent, as Python's repr writes them (1e-08).
                    writer.WritePropertyName(name);
                    writer.WriteRawValue(value.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e'));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
