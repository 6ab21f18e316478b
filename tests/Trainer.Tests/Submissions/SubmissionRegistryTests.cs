using System.Text.Json;
using AlgoPerf.Tests.Shared;
using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Submissions;
using AlgoPerf.Trainer.Submissions.Baselines;
using AlgoPerf.Trainer.Timing;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Trainer.Tests.Submissions;

[Collection("Torch")]
public sealed class SubmissionRegistryTests
{
    private const string ExampleType = "ExternalSubmission.PlainSgdSubmission";

    /// <summary>The example project's dll in the same build output as this test assembly (bin/ExternalSubmission/&lt;config&gt;/).</summary>
    private static string ExampleDll
    {
        get
        {
            var config = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(config.Parent!.Parent!.FullName, "ExternalSubmission", config.Name, "ExternalSubmission.dll");
        }
    }

    [Fact]
    public void BuiltInNames_EveryBaseline_InAFixedOrder() =>
        Assert.Equal(["nadamw", "adamw", "momentum", "nesterov", "lamb", "adafactor", "shampoo", "schedule_free_adamw"], SubmissionRegistry.BuiltInNames);

    [Theory]
    [InlineData("nadamw", typeof(NAdamWSubmission), false)]
    [InlineData("adamw", typeof(AdamWSubmission), false)]
    [InlineData("momentum", typeof(MomentumSubmission), false)]
    [InlineData("nesterov", typeof(NesterovSubmission), false)]
    [InlineData("lamb", typeof(LambSubmission), false)]
    [InlineData("adafactor", typeof(AdafactorSubmission), false)]
    [InlineData("shampoo", typeof(ShampooSubmission), false)]
    [InlineData("schedule_free_adamw", typeof(ScheduleFreeAdamWSubmission), true)]
    public void Resolve_BuiltInName_NewInstanceWithItsSearchSpace(string name, Type type, bool selfTuning)
    {
        var resolved = SubmissionRegistry.Resolve(name);
        Assert.IsType(type, resolved.Submission);
        Assert.NotSame(resolved.Submission, SubmissionRegistry.Resolve(name).Submission);
        Assert.Equal(selfTuning, resolved.SelfTuning);
        Assert.Equal($"submissions/{name}/tuning_search_space.json", resolved.SearchSpaceSource);
        var repoFile = Path.Combine(RepoRoot(), "submissions", name, "tuning_search_space.json");
        Assert.Equal(File.ReadAllText(repoFile), resolved.SearchSpaceJson);
    }

    [Theory]
    [InlineData("nadamw")]
    [InlineData("adamw")]
    [InlineData("momentum")]
    [InlineData("nesterov")]
    [InlineData("lamb")]
    [InlineData("adafactor")]
    [InlineData("shampoo")]
    [InlineData("schedule_free_adamw")]
    public void SearchSpace_EveryPoint_BindsToTheBaselinesHyperparameters(string name)
    {
        // Fixed-point lists: every point; Halton spaces: the point at every range's min and first feasible point,
        // and at every max and last feasible point. Each must bind (all required keys present, types fit).
        var workload = new TinyWorkload(stepHint: 1000);
        using var doc = JsonDocument.Parse(SubmissionRegistry.BuiltInSearchSpace(name));
        var points = doc.RootElement.ValueKind == JsonValueKind.Array
            ? doc.RootElement.EnumerateArray().Select(p => p.EnumerateObject().Select(kv => KeyValuePair.Create(kv.Name, kv.Value.GetDouble())).ToList()).ToList()
            : [Corner(doc.RootElement, first: true), Corner(doc.RootElement, first: false)];
        Assert.NotEmpty(points);
        foreach (var point in points)
        {
            using var model = workload.InitModel(1);
            using var state = SubmissionRegistry.Resolve(name).Submission.InitOptimizerState(workload, model, new Hyperparameters(point, name), 0);
            Assert.NotNull(state);
        }
    }

    [Fact]
    public void Resolve_UnknownName_ListsTheBuiltIns()
    {
        var e = Assert.Throws<SubmissionLoadException>(() => SubmissionRegistry.Resolve("adam"));
        Assert.Equal(
            "unknown submission 'adam'; built-in submissions: nadamw, adamw, momentum, nesterov, lamb, adafactor, shampoo, schedule_free_adamw (or give path/to/Assembly.dll:Namespace.Type)",
            e.Message);
    }

    [Fact]
    public void Resolve_MissingAssemblyFile_NamesThePath()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir-algoperf", "Missing.dll");
        var e = Assert.Throws<SubmissionLoadException>(() => SubmissionRegistry.Resolve(path + ":A.B"));
        Assert.Equal($"external submission: assembly file '{path}' does not exist", e.Message);
    }

    [Fact]
    public void Resolve_MissingType_NamesTheTypeAndListsTheSubmissionsThere()
    {
        var e = Assert.Throws<SubmissionLoadException>(() => SubmissionRegistry.Resolve(ExampleDll + ":ExternalSubmission.Nope"));
        Assert.Equal($"external submission: type 'ExternalSubmission.Nope' not found in {ExampleDll} (submission types there: {ExampleType})", e.Message);
    }

    [Fact]
    public void Resolve_TypeNotASubmission_SaysSo()
    {
        var e = Assert.Throws<SubmissionLoadException>(() => SubmissionRegistry.Resolve(ExampleDll + ":ExternalSubmission.PlainSgdHyperparameters"));
        Assert.Equal($"external submission: type 'ExternalSubmission.PlainSgdHyperparameters' in {ExampleDll} does not implement AlgoPerf.Trainer.Submissions.ISubmission", e.Message);
    }

    [Fact]
    public void Resolve_NoTypeName_SaysWhatIsExpected()
    {
        var e = Assert.Throws<SubmissionLoadException>(() => SubmissionRegistry.Resolve(ExampleDll));
        Assert.Contains("expected path/to/Assembly.dll:Namespace.Type", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ExampleProjectByPath_RunsOneUpdateAsPlainSgd()
    {
        Assert.True(File.Exists(ExampleDll), $"the example submission is not built at {ExampleDll}");
        var resolved = SubmissionRegistry.Resolve(ExampleDll + ":" + ExampleType);
        Assert.Equal(ExampleType, resolved.Submission.GetType().FullName);
        Assert.False(resolved.SelfTuning);
        Assert.Null(resolved.SearchSpaceJson);

        var workload = new TinyWorkload();
        var hp = new Hyperparameters([new("learning_rate", 0.1), new("weight_decay", 0.0)]);
        using var model = (TinyModel)workload.InitModel(3);
        using var expected = (TinyModel)workload.InitModel(3);
        Assert.Equal(64, resolved.Submission.GetBatchSize("fmnist_mlp"));
        using var state = resolved.Submission.InitOptimizerState(workload, model, hp, 0);
        UpdateOutput output;
        using (var batch = workload.FullBatch())
        {
            output = resolved.Submission.UpdateParams(workload, model, hp, batch, workload.LossType, state, [], 0, 1, TrainState.Initial);
        }

        // p ← p − 0.1·g, computed here on an identical model.
        using (var scope = torch.NewDisposeScope())
        using (var batch = workload.FullBatch())
        {
            workload.LossFn(batch.Targets, workload.ModelFn(expected, batch, ModelMode.Train)).Mean().backward();
        }

        using (torch.no_grad())
        using (torch.NewDisposeScope())
        {
            foreach (var p in expected.parameters())
            {
                p.add_(p.grad!, -0.1);
            }
        }

        Assert.Equal(expected.Values(), model.Values());
        Assert.True(output.Loss > 0);
        Assert.Equal([new KeyValuePair<string, double>("steps", 1)], state.Save().Scalars);
    }

    private static List<KeyValuePair<string, double>> Corner(JsonElement space, bool first) =>
        [.. space.EnumerateObject().Select(kv =>
        {
            var spec = kv.Value;
            if (spec.TryGetProperty("feasible_points", out var points))
            {
                var all = points.EnumerateArray().ToList();
                return KeyValuePair.Create(kv.Name, (first ? all[0] : all[^1]).GetDouble());
            }

            return KeyValuePair.Create(kv.Name, spec.GetProperty(first ? "min" : "max").GetDouble());
        })];

    private static string RepoRoot() => RepositoryPaths.Root;
}
