using System.Text.Json;

namespace AlgoPerf.Trainer.Tests.Optimizers;

/// <summary>
/// Reads <c>Data/reference_trajectories.json</c> (made by <c>scripts/reference_trajectories.py</c> with
/// python3-torch): the fixed problem and, per optimizer, the hyperparameters and the per-step learning rate, loss,
/// gradients and parameters. Optimizer tests compare against it to 1e-6 relative.
/// </summary>
internal sealed class ReferenceTrajectories
{
    private static readonly Lazy<ReferenceTrajectories> s_instance = new(() => new ReferenceTrajectories(
        Path.Combine(AppContext.BaseDirectory, "Data", "reference_trajectories.json")));

    private ReferenceTrajectories(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        Steps = root.GetProperty("steps").GetInt32();
        StepHint = root.GetProperty("step_hint").GetInt32();
        var problem = root.GetProperty("problem");
        ParamNames = problem.GetProperty("param_names").EnumerateArray().Select(e => e.GetString()!).ToArray();
        ParamShapes = problem.GetProperty("param_shapes").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(e => e.GetInt32()).ToArray());
        InitialParams = Tensors(problem.GetProperty("initial_params"));
        Inputs = problem.GetProperty("inputs").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        Targets = problem.GetProperty("targets").EnumerateArray().Select(r => r.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray();
        Runs = root.GetProperty("optimizers").EnumerateObject().ToDictionary(p => p.Name, p => new Run(
            p.Value.GetProperty("schedule").GetString()!,
            p.Value.GetProperty("hyperparameters").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.Clone()),
            p.Value.GetProperty("lr").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
            p.Value.GetProperty("loss").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
            p.Value.GetProperty("grads").EnumerateArray().Select(Tensors).ToArray(),
            p.Value.GetProperty("params").EnumerateArray().Select(Tensors).ToArray()));
    }

    public static ReferenceTrajectories Instance => s_instance.Value;

    public int Steps { get; }

    public int StepHint { get; }

    public string[] ParamNames { get; }

    public Dictionary<string, int[]> ParamShapes { get; }

    public Dictionary<string, double[]> InitialParams { get; }

    public double[][] Inputs { get; }

    public double[][] Targets { get; }

    public Dictionary<string, Run> Runs { get; }

    private static Dictionary<string, double[]> Tensors(JsonElement e) =>
        e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.EnumerateArray().Select(v => v.GetDouble()).ToArray());

    /// <summary>One optimizer's trajectory: index i of each array is step i (params are after the step).</summary>
    internal sealed record Run(
        string Schedule,
        Dictionary<string, JsonElement> Hyperparameters,
        double[] Lr,
        double[] Loss,
        Dictionary<string, double[]>[] Grads,
        Dictionary<string, double[]>[] Params)
    {
        public double Hp(string name) => Hyperparameters[name].GetDouble();
    }
}
