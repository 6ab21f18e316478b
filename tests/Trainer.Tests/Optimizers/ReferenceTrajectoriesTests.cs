namespace AlgoPerf.Trainer.Tests.Optimizers;

public sealed class ReferenceTrajectoriesTests
{
    private static readonly ReferenceTrajectories s_ref = ReferenceTrajectories.Instance;

    [Fact]
    public void Load_File_HasEveryBaselineOptimizer()
    {
        Assert.Equal(
            ["adafactor", "adamw", "lamb", "momentum", "nadamw", "nadamw_clip", "nesterov", "schedule_free_adamw", "schedule_free_adamw_reset", "shampoo_adam", "shampoo_sgd"],
            s_ref.Runs.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Load_EveryRun_TwentyStepsOfFullParameterSets()
    {
        var sizes = s_ref.ParamShapes.ToDictionary(p => p.Key, p => p.Value.Aggregate(1, (a, b) => a * b));
        Assert.Equal(new Dictionary<string, int> { ["W1"] = 20, ["b1"] = 5, ["W2"] = 10, ["b2"] = 2 }, sizes);
        foreach (var (name, run) in s_ref.Runs)
        {
            Assert.Equal(s_ref.Steps, run.Params.Length);
            Assert.Equal(s_ref.Steps, run.Grads.Length);
            Assert.All(run.Params.Concat(run.Grads), step => Assert.All(sizes, s => Assert.Equal(s.Value, step[s.Key].Length)));
            Assert.True(run.Loss[^1] < run.Loss[0], $"{name} did not reduce the loss");
        }
    }

    [Fact]
    public void Load_FirstLoss_IsTheProblemLossAtTheInitialParameters()
    {
        // Recomputes the loss in plain C# from the problem definition: the file and its description agree.
        var p = s_ref.InitialParams;
        double sum = 0;
        for (var i = 0; i < s_ref.Inputs.Length; i++)
        {
            var hidden = new double[5];
            for (var h = 0; h < 5; h++)
            {
                var a = p["b1"][h];
                for (var j = 0; j < 4; j++)
                {
                    a += p["W1"][(h * 4) + j] * s_ref.Inputs[i][j];
                }

                hidden[h] = Math.Tanh(a);
            }

            for (var k = 0; k < 2; k++)
            {
                var y = p["b2"][k];
                for (var h = 0; h < 5; h++)
                {
                    y += p["W2"][(k * 5) + h] * hidden[h];
                }

                sum += (y - s_ref.Targets[i][k]) * (y - s_ref.Targets[i][k]);
            }
        }

        Assert.All(s_ref.Runs.Values.Where(r => !r.Schedule.StartsWith("internal", StringComparison.Ordinal)), r => Assert.Equal(sum / 16, r.Loss[0], 1e-14));
    }
}
