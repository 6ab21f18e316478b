using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AlgoPerf.Seed.Targets;

/// <summary>One trial of a target-setting run that ran to its end, as its line in <c>trials.jsonl</c> records it.</summary>
/// <param name="Phase"><c>tune</c> or <c>rerun</c>.</param>
/// <param name="Trial">The trial id, <c>submission/workload/study_k/trial_n</c>.</param>
/// <param name="Directory">The trial's directory relative to the run directory, with <c>/</c> separators.</param>
/// <param name="Reason">How it ended (the outcome's wire name: <c>max_steps</c>, <c>diverged</c>, ...).</param>
/// <param name="Steps">Its last global step.</param>
/// <param name="Evals">Its number of evals.</param>
/// <param name="SubmissionTimeSec">Its accumulated submission time (the <c>score</c> column at its end).</param>
/// <param name="BestValidation">Its best validation value; NaN (written as null) when it has none.</param>
/// <param name="WallSec">Wall-clock seconds the process spent on it, evals and checkpoints included.</param>
/// <param name="Threads">libtorch intra-op threads it ran with; null when libtorch's default.</param>
/// <param name="Finished">When it ended (UTC).</param>
internal sealed record LedgerEntry(
    string Phase,
    string Trial,
    string Directory,
    string Reason,
    long Steps,
    int Evals,
    double SubmissionTimeSec,
    double BestValidation,
    double WallSec,
    int? Threads,
    DateTimeOffset Finished);

/// <summary>
/// The record of a target-setting run's finished trials, <c>trials.jsonl</c> in the run directory: one JSON line per
/// trial, appended when the trial ends. A trial it lists whose <c>eval_measurements.csv</c> is present is done, with
/// or without its checkpoints, so a run directory kept without them (a target-setting run carried across machines or
/// sessions in git, checkpoints being tens of megabytes a trial) resumes without training any finished trial again.
/// Shards append to the same file (each line is one short append; their trials are disjoint).
/// </summary>
internal sealed class TrialLedger
{
    /// <summary>The file name in the run directory.</summary>
    public const string FileName = "trials.jsonl";

    private readonly string _path;

    public TrialLedger(string runDirectory)
    {
        ArgumentNullException.ThrowIfNull(runDirectory);
        _path = Path.Combine(runDirectory, FileName);
    }

    /// <summary>The ledger file.</summary>
    public string FilePath => _path;

    /// <summary>
    /// Every entry, in file order. A last line without its newline that does not parse is a write cut off by a killed
    /// process and is left out (its trial ran again is all it costs); any other malformed line is an error.
    /// </summary>
    /// <exception cref="InvalidDataException">A line is not a ledger entry (the message names file, line and field).</exception>
    public IReadOnlyList<LedgerEntry> Read()
    {
        if (!File.Exists(_path))
        {
            return [];
        }

        var text = File.ReadAllText(_path);
        var lines = text.Split('\n');
        var entries = new List<LedgerEntry>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                continue;
            }

            var torn = i == lines.Length - 1; // no newline after it
            try
            {
                entries.Add(Parse(line));
            }
            catch (Exception e) when (torn && e is InvalidDataException or JsonException)
            {
                // Cut off mid-write: the trial is not recorded.
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{_path}:{i + 1}: not a JSON object: {e.Message}", e);
            }
            catch (InvalidDataException e)
            {
                throw new InvalidDataException($"{_path}:{i + 1}: {e.Message}", e);
            }
        }

        return entries;
    }

    /// <summary>The entry of <paramref name="trial"/> in <paramref name="phase"/>, or null (the last one when listed twice).</summary>
    public LedgerEntry? Find(string phase, string trial) =>
        Read().LastOrDefault(e => e.Phase == phase && e.Trial == trial);

    /// <summary>Appends one entry as one line.</summary>
    public void Append(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        File.AppendAllText(_path, ToJson(entry).ToJsonString() + "\n");
    }

    internal static JsonObject ToJson(LedgerEntry e) => new()
    {
        ["phase"] = e.Phase,
        ["trial"] = e.Trial,
        ["directory"] = e.Directory,
        ["reason"] = e.Reason,
        ["steps"] = e.Steps,
        ["evals"] = e.Evals,
        ["submission_time_s"] = Math.Round(e.SubmissionTimeSec, 3),
        ["best_validation"] = double.IsFinite(e.BestValidation) ? e.BestValidation : null,
        ["wall_s"] = Math.Round(e.WallSec, 1),
        ["threads"] = e.Threads,
        ["finished"] = e.Finished.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
    };

    private static LedgerEntry Parse(string line)
    {
        var node = JsonNode.Parse(line) as JsonObject ?? throw new InvalidDataException("not a JSON object");
        return new LedgerEntry(
            Text(node, "phase"),
            Text(node, "trial"),
            Text(node, "directory"),
            Text(node, "reason"),
            Field(node, "steps", n => n.GetValue<long>()),
            Field(node, "evals", n => n.GetValue<int>()),
            Field(node, "submission_time_s", n => n.GetValue<double>()),
            node["best_validation"] is null ? double.NaN : Field(node, "best_validation", n => n.GetValue<double>()),
            Field(node, "wall_s", n => n.GetValue<double>()),
            node["threads"] is null ? null : Field(node, "threads", n => n.GetValue<int>()),
            DateTimeOffset.TryParse(Text(node, "finished"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
                ? at
                : throw new InvalidDataException("field 'finished' is not a UTC time"));
    }

    private static string Text(JsonObject node, string name) => Field(node, name, n => n.GetValue<string>());

    private static T Field<T>(JsonObject node, string name, Func<JsonNode, T> read)
    {
        var value = node[name] ?? throw new InvalidDataException($"field '{name}' is missing");
        try
        {
            return read(value);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"field '{name}' has the wrong type ({value.ToJsonString()})", e);
        }
    }
}
