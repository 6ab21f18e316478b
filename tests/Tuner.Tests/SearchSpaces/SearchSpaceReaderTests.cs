using AlgoPerf.Tuner.SearchSpaces;

namespace AlgoPerf.Tuner.Tests.SearchSpaces;

public sealed class SearchSpaceReaderTests
{
    private const string Source = "spaces/x.json";

    [Fact]
    public void Parse_DictFormat_KeepsKeyOrderAndSpecs()
    {
        var space = SearchSpaceReader.Parse(
            """
            {"zeta": {"min": 1e-4, "max": 1e-2, "scaling": "log"},
             "alpha": {"feasible_points": [0.1, 0.2]},
             "mid": {"min": 0, "max": 3, "scaling": "linear"}}
            """,
            Source);

        Assert.Equal(SearchSpaceFormat.Quasirandom, space.Format);
        Assert.Equal(["zeta", "alpha", "mid"], space.Names);
        Assert.Equal(HyperparameterSpec.Range("zeta", 1e-4, 1e-2, HyperparameterScaling.Log).ToString(), space.Parameters[0].ToString());
        Assert.Equal(HyperparameterScaling.Discrete, space.Parameters[1].Scaling);
        Assert.Equal([0.1, 0.2], space.Parameters[1].FeasiblePoints);
        Assert.Equal((HyperparameterScaling.Linear, 0.0, 3.0), (space.Parameters[2].Scaling, space.Parameters[2].Min, space.Parameters[2].Max));
    }

    [Fact]
    public void Parse_ListFormat_KeepsFileOrderAndFirstPointKeyOrder()
    {
        var space = SearchSpaceReader.Parse(
            """[{"lr": 1e-3, "b1": 0.9}, {"b1": 0.99, "lr": 1e-2}, {"lr": 0.1, "b1": 0.999}]""", Source);

        Assert.Equal(SearchSpaceFormat.FixedPoints, space.Format);
        Assert.Equal(["lr", "b1"], space.Names);
        Assert.Equal(3, space.FixedPoints.Count);
        Assert.Equal("{lr=0.01, b1=0.99}", space.FixedPoints[1].ToString());
    }

    [Fact]
    public void ReadFile_ListFile_ReadsThreePoints()
    {
        var space = SearchSpaceReader.ReadFile(TestData.Path("fixed_points_space.json"));

        Assert.Equal(["learning_rate", "warmup_factor", "weight_decay"], space.Names);
        Assert.Equal("{learning_rate=0.01, warmup_factor=0.02, weight_decay=0.5}", space.FixedPoints[2].ToString());
    }

    [Fact]
    public void ReadFile_NadamwBaseline_ReadsSevenDimensions()
    {
        var space = SearchSpaceReader.ReadFile(TestData.Path("nadamw_tuning_search_space.json"));

        Assert.Equal(["learning_rate", "one_minus_beta1", "beta2", "warmup_factor", "weight_decay", "label_smoothing", "dropout_rate"], space.Names);
    }

    [Theory]
    [InlineData("""{"lr": {"min": 2, "max": 1, "scaling": "linear"}}""", "spaces/x.json: lr: min 2 is greater than max 1")]
    [InlineData("""{"lr": {"min": 0, "max": 1, "scaling": "log"}}""", "spaces/x.json: lr: log scaling needs min > 0 (got min 0)")]
    [InlineData("""{"lr": {"min": -1, "max": 1, "scaling": "log"}}""", "spaces/x.json: lr: log scaling needs min > 0 (got min -1)")]
    [InlineData("""{"lr": {"min": 1, "max": 2, "scaling": "Log"}}""", "spaces/x.json: lr.scaling: unknown scaling 'Log' (expected \"log\" or \"linear\")")]
    [InlineData("""{"lr": {"min": 1, "max": 2, "scaling": 3}}""", "spaces/x.json: lr.scaling: unknown scaling a number (expected \"log\" or \"linear\")")]
    [InlineData("""{"lr": {"min": 1, "max": 2}}""", "spaces/x.json: lr: missing 'scaling' (a range needs min, max and scaling; a discrete hyperparameter needs feasible_points)")]
    [InlineData("""{"lr": {"feasible_points": []}}""", "spaces/x.json: lr.feasible_points: is empty (a discrete hyperparameter needs at least one feasible point)")]
    [InlineData("""{"lr": {"feasible_points": [0.1, "x"]}}""", "spaces/x.json: lr.feasible_points[1]: expected a number, got a string \"x\"")]
    [InlineData("""{"lr": {"feasible_points": 0.1}}""", "spaces/x.json: lr.feasible_points: expected an array of numbers, got a number")]
    [InlineData("""{"lr": {"feasible_points": [1], "min": 0}}""", "spaces/x.json: lr: feasible_points cannot be combined with min (the reference would silently ignore them)")]
    [InlineData("""{"lr": {"min": "1e-3", "max": 2, "scaling": "log"}}""", "spaces/x.json: lr.min: expected a number, got a string \"1e-3\"")]
    [InlineData("""{"lr": {"min": 1, "max": true, "scaling": "log"}}""", "spaces/x.json: lr.max: expected a number, got a boolean")]
    [InlineData("""{"lr": {"min": 1, "max": 2, "scaling": "log", "step": 1}}""", "spaces/x.json: lr: unknown field step (expected min, max, scaling or feasible_points)")]
    [InlineData("""{"lr": [1, 2]}""", "spaces/x.json: lr: expected an object with min/max/scaling or feasible_points, got an array")]
    [InlineData("""{"lr": {"feasible_points": [1]}, "lr": {"feasible_points": [2]}}""", "spaces/x.json: lr: duplicate key")]
    [InlineData("""{}""", "spaces/x.json: the search space has no hyperparameters")]
    [InlineData("""[]""", "spaces/x.json: the list of points is empty")]
    [InlineData("""[{"lr": 1, "b1": 2}, {"lr": 1}]""", "spaces/x.json: [1]: has different keys from point [0] (missing b1)")]
    [InlineData("""[{"lr": 1}, {"lr": 1, "wd": 0}]""", "spaces/x.json: [1]: has different keys from point [0] (extra wd)")]
    [InlineData("""[{"lr": 1}, {"wd": 0}]""", "spaces/x.json: [1]: has different keys from point [0] (missing lr; extra wd)")]
    [InlineData("""[{"lr": "fast"}]""", "spaces/x.json: [0].lr: expected a number, got a string \"fast\"")]
    [InlineData("""[{"lr": 1}, 3]""", "spaces/x.json: [1]: expected an object of hyperparameter values, got a number")]
    [InlineData("""[{}]""", "spaces/x.json: [0]: the first point has no hyperparameters")]
    [InlineData("""42""", "spaces/x.json: expected a JSON object of hyperparameters or a JSON array of points, got a number")]
    [InlineData("""{"lr": {"min": 1e400, "max": 2e400, "scaling": "linear"}}""", "spaces/x.json: lr.min: number 1e400 is out of range for a double")]
    [InlineData("", "spaces/x.json: the file is empty (expected a JSON object of hyperparameters or a JSON array of points)")]
    [InlineData("  \n ", "spaces/x.json: the file is empty (expected a JSON object of hyperparameters or a JSON array of points)")]
    public void Parse_InvalidSpace_ThrowsNamingFileAndKey(string json, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => SearchSpaceReader.Parse(json, Source));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Parse_MalformedJson_ReportsOneBasedLineAndColumn()
    {
        var e = Assert.Throws<InvalidDataException>(() => SearchSpaceReader.Parse("{\"lr\": {\"min\": 1,\n  \"max\" 2}}", Source));

        Assert.StartsWith("spaces/x.json: invalid JSON at line 2, column 9: ", e.Message);
        Assert.DoesNotContain("LineNumber", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFile_MissingFile_ThrowsIOExceptionWithPath()
    {
        var path = Path.Combine(Path.GetTempPath(), "algoperf-no-such-space-" + Guid.NewGuid().ToString("N") + ".json");

        var e = Assert.ThrowsAny<IOException>(() => SearchSpaceReader.ReadFile(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }
}
