using System.Globalization;
using System.Text.Json;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Seed.Cli;
using AlgoPerf.Tuner.Halton;
using AlgoPerf.Tuner.SearchSpaces;
using AlgoPerf.Tuner.Studies;

namespace AlgoPerf.Seed.Commands;

/// <summary>
/// <c>./algoperf tune sample --search-space FILE --num-trials N [--shuffle-seed S]</c>: the points AlgoPerf's
/// <c>halton.generate_search</c> gives for a search space after <c>numpy.random.seed(S)</c>, as a JSON array of
/// objects (keys in search-space order) on stdout.
/// <c>./algoperf tune simulate [--studies N] [--trials T] [--seed S] [--selection reference|fastest] [--stop-lag L]</c>:
/// replays random simulated studies through the tuner with and without score-preserving early stopping, checks that
/// every decision is identical, and prints the trial time saved.
/// </summary>
internal sealed class TuneCommand : ICommand
{
    public string Name => "tune";

    public string Summary => "tune sample --search-space FILE --num-trials N [--shuffle-seed S] | tune simulate [...]: Halton points; early-stopping check";

    public async Task<int> RunAsync(CommandArgs args, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        switch (args.Positionals)
        {
            case ["sample"]:
                break;
            case ["simulate"]:
                return Simulate(args, context);
            default:
                throw new UsageException("usage: tune sample --search-space FILE --num-trials N [--shuffle-seed S] | tune simulate [--studies N] [--trials T] [--seed S] [--selection reference|fastest] [--stop-lag L]");
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

    private static int Simulate(CommandArgs args, CliContext context)
    {
        var studies = args.GetInt("studies") ?? 1000;
        var trials = args.GetInt("trials") ?? 5;
        var seed = args.GetInt("seed") ?? 1;
        var selection = StudySelectionRules.Parse(args.Choice("selection", "reference", "reference", "fastest"));
        var lag = args.GetInt("stop-lag") ?? 0;
        if (studies < 1 || trials < 1 || lag < 0)
        {
            throw new UsageException("--studies and --trials must be at least 1, --stop-lag at least 0");
        }

        args.EnsureAllUsed();
        var rng = new Random(seed);
        double used = 0, full = 0;
        int identical = 0, stopped = 0;
        for (var i = 0; i < studies; i++)
        {
            var history = StudySimulator.RandomStudy(rng, trials);
            var schedule = StudySimulator.RandomSchedule(rng, history);
            var plain = StudySimulator.Run(history, schedule, selection, earlyStopping: false);
            var early = StudySimulator.Run(history, schedule, selection, earlyStopping: true, lag);
            identical += plain.Decision == early.Decision ? 1 : 0;
            used += early.TimeUsedSec;
            full += plain.TimeUsedSec;
            stopped += early.TrialsStopped;
        }

        var o = context.Out;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"studies {studies} x {trials} trials, selection {selection.ToWire()}, stop lag {lag} evals, seed {seed}"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"identical decisions: {identical}/{studies}"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trials stopped early: {stopped}/{studies * trials}"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trial time: {full:F0} s without, {used:F0} s with early stopping: {100 * (full - used) / Math.Max(full, 1e-300):F1}% saved"));
        return identical == studies ? 0 : 1;
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
