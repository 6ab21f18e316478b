using AlgoPerf.Trainer.Submissions;

namespace AlgoPerf.Trainer.Tests.Submissions;

public sealed class HyperparametersTests
{
    private sealed record Sample(double LearningRate, double OneMinusBeta1, int Steps = 5, bool? UseNesterov = null, [HyperparameterName("eps")] double Epsilon = 1e-8);

    [Fact]
    public void Bind_AllPresent_TypedValuesAndKeysInSnakeCase()
    {
        var hp = new Hyperparameters([new("learning_rate", 0.1), new("one_minus_beta1", 0.05), new("steps", 3), new("use_nesterov", 1), new("eps", 1e-6), new("unused", 2)]);
        Assert.Equal(new Sample(0.1, 0.05, 3, true, 1e-6), hp.Bind<Sample>());
    }

    [Fact]
    public void Bind_OptionalAbsent_DefaultsAndNull()
    {
        var hp = new Hyperparameters([new("learning_rate", 0.1), new("one_minus_beta1", 0.05)]);
        Assert.Equal(new Sample(0.1, 0.05, 5, null, 1e-8), hp.Bind<Sample>());
    }

    [Fact]
    public void Bind_RequiredMissing_NamesEveryMissingKeyAndWhatIsThere()
    {
        var hp = new Hyperparameters([new("steps", 3)], "hparams.json");
        var e = Assert.Throws<HyperparameterException>(() => hp.Bind<Sample>());
        Assert.Equal(["learning_rate", "one_minus_beta1"], e.Names);
        Assert.Equal("hparams.json: missing hyperparameters 'learning_rate', 'one_minus_beta1' (have: steps)", e.Message);
    }

    [Theory]
    [InlineData("steps", 2.5, "hyperparameter 'steps' = 2.5 is not an integer")]
    [InlineData("use_nesterov", 0.5, "hyperparameter 'use_nesterov' = 0.5 is not a flag (0 or 1)")]
    public void Bind_ValueDoesNotFitItsType_ErrorNamesKeyAndValue(string key, double value, string message)
    {
        var hp = new Hyperparameters([new("learning_rate", 0.1), new("one_minus_beta1", 0.05), new(key, value)], "trial 2");
        var e = Assert.Throws<HyperparameterException>(() => hp.Bind<Sample>());
        Assert.Equal([key], e.Names);
        Assert.Equal("trial 2: " + message, e.Message);
    }

    [Fact]
    public void Get_Missing_ErrorNamesKey()
    {
        var hp = new Hyperparameters([new("a", 1)]);
        var e = Assert.Throws<HyperparameterException>(() => hp.Get("b"));
        Assert.Equal("hyperparameters: missing hyperparameter 'b' (have: a)", e.Message);
        Assert.Null(hp.Find("b"));
        Assert.Equal(3.0, hp.GetOrDefault("b", 3.0));
    }

    [Fact]
    public void Constructor_DuplicateName_IsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => new Hyperparameters([new("a", 1), new("a", 2)], "f.json"));
        Assert.StartsWith("f.json: hyperparameter 'a' appears twice", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("LearningRate", "learning_rate")]
    [InlineData("oneMinusBeta1", "one_minus_beta1")]
    [InlineData("R", "r")]
    [InlineData("WeightLrPower", "weight_lr_power")]
    public void ToSnakeCase_Names_AsTheSearchSpaceKeys(string name, string expected) =>
        Assert.Equal(expected, Hyperparameters.ToSnakeCase(name));
}
