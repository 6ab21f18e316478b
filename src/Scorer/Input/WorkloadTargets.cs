using System.Text.Json;
using AlgoPerf.Contracts.Rules;

namespace AlgoPerf.Scorer.Input;

/// <summary>
/// Targets and the scored workload sets, from a built-in rules version or from a file in the format of the
/// reference's <c>scoring/workload_targets*.json</c>:
/// <c>{"base_workloads": [...], "held_out_workloads": [...], "workloads": {"&lt;name&gt;": {"target_metric_name":
/// "accuracy", "target_metric_goal": "maximize", "validation_target_value": 0.77431, ...}}}</c> (other keys ignored).
/// </summary>
public sealed class WorkloadTargets
{
    private readonly Dictionary<string, WorkloadTarget> _targets;

    /// <summary>Targets with explicit workload sets.</summary>
    public WorkloadTargets(IEnumerable<WorkloadTarget> targets, IReadOnlyList<string> baseWorkloads, IReadOnlyList<string> heldOutWorkloads)
    {
        ArgumentNullException.ThrowIfNull(targets);
        _targets = targets.ToDictionary(t => t.Workload, StringComparer.Ordinal);
        BaseWorkloads = baseWorkloads;
        HeldOutWorkloads = heldOutWorkloads;
    }

    /// <summary>The base workloads (the profile's fixed denominator).</summary>
    public IReadOnlyList<string> BaseWorkloads { get; }

    /// <summary>The held-out variants scored with the bases.</summary>
    public IReadOnlyList<string> HeldOutWorkloads { get; }

    /// <summary>Every workload with a target.</summary>
    public IEnumerable<string> Workloads => _targets.Keys;

    /// <summary>The target of a workload, or null.</summary>
    public WorkloadTarget? Find(string workload) => _targets.GetValueOrDefault(workload);

    /// <summary>Targets of a built-in rules version: every workload, its bases and its held-out list.</summary>
    public static WorkloadTargets FromRules(RulesVersion rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        return new WorkloadTargets(
            rules.Workloads.Select(w => new WorkloadTarget(w.Name, w.ValidationMetricKey, w.Direction, w.ValidationTarget)),
            rules.BaseWorkloads.Select(w => w.Name).ToList(),
            rules.HeldOutEnabled ? rules.HeldOutWorkloads : []);
    }

    /// <summary>Reads a <c>workload_targets.json</c> file.</summary>
    /// <exception cref="InvalidDataException">Malformed JSON or a missing/mistyped field, naming the file and the field's JSON path.</exception>
    public static WorkloadTargets Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return Parse(path, File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}: invalid JSON: {e.Message}", e);
        }
    }

    /// <summary>Parses <c>workload_targets.json</c> text; <paramref name="path"/> is used in messages.</summary>
    public static WorkloadTargets Parse(string path, string json)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{path}: $: expected a JSON object");
        }

        var workloads = Property(path, root, "$", "workloads", JsonValueKind.Object);
        var targets = new List<WorkloadTarget>();
        foreach (var w in workloads.EnumerateObject())
        {
            var at = $"$.workloads.{w.Name}";
            if (w.Value.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{path}: {at}: expected an object");
            }

            var metric = Property(path, w.Value, at, "target_metric_name", JsonValueKind.String).GetString()!;
            var goal = Property(path, w.Value, at, "target_metric_goal", JsonValueKind.String).GetString()!;
            var direction = goal switch
            {
                "minimize" => MetricDirection.Minimize,
                "maximize" => MetricDirection.Maximize,
                _ => throw new InvalidDataException($"{path}: {at}.target_metric_goal: '{goal}' is neither minimize nor maximize"),
            };
            var target = Property(path, w.Value, at, "validation_target_value", JsonValueKind.Number).GetDouble();
            targets.Add(new WorkloadTarget(w.Name, "validation/" + metric, direction, target));
        }

        var bases = Names(path, root, "base_workloads");
        var heldOut = root.TryGetProperty("held_out_workloads", out _) ? Names(path, root, "held_out_workloads") : [];
        foreach (var name in bases.Concat(heldOut))
        {
            if (targets.All(t => t.Workload != name))
            {
                throw new InvalidDataException($"{path}: $.workloads: no entry for scored workload '{name}'");
            }
        }

        return new WorkloadTargets(targets, bases, heldOut);
    }

    private static JsonElement Property(string path, JsonElement obj, string at, string name, JsonValueKind kind)
    {
        if (!obj.TryGetProperty(name, out var value))
        {
            throw new InvalidDataException($"{path}: {at}.{name}: missing");
        }

        return value.ValueKind == kind
            ? value
            : throw new InvalidDataException($"{path}: {at}.{name}: expected a {kind.ToString().ToLowerInvariant()}, got {value.ValueKind.ToString().ToLowerInvariant()}");
    }

    private static List<string> Names(string path, JsonElement root, string name)
    {
        var array = Property(path, root, "$", name, JsonValueKind.Array);
        return array.EnumerateArray()
            .Select((e, i) => e.ValueKind == JsonValueKind.String
                ? e.GetString()!
                : throw new InvalidDataException($"{path}: $.{name}[{i}]: expected a string"))
            .ToList();
    }
}
