using System.Text.Json;
using AlgoPerf.Tuner.Halton;
using AlgoPerf.Tuner.SearchSpaces;

namespace AlgoPerf.Tuner.Tests.Halton;

/// <summary>
/// Every case of the golden vectors produced by the reference <c>algoperf/halton.py</c> with NumPy 1.24
/// (<c>shared/fixtures/halton/golden.json</c>, copied to <c>Data/halton-golden.json</c>): the unshuffled unit points
/// check the per-dimension scrambling; the final points check the mapping and the seeded final shuffle.
/// </summary>
public sealed class HaltonGoldenTests
{
    private const double RelativeTolerance = 1e-12;

    public static TheoryData<int> Cases()
    {
        var data = new TheoryData<int>();
        for (var i = 0; i < LoadCases().Count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Fact]
    public void GoldenFile_HasCases()
    {
        Assert.Equal(8, LoadCases().Count);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generate_GoldenCase_UnshuffledUnitPointsMatch(int index)
    {
        var c = LoadCases()[index];
        var space = SearchSpaceReader.Parse(c.GetProperty("search_space").GetRawText(), "golden");
        var n = c.GetProperty("num_trials").GetInt32();
        var expected = c.GetProperty("unshuffled_unit_points").EnumerateArray().Select(p => p.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

        var actual = HaltonSequence.Generate(n, space.Parameters.Count);

        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Length, actual[i].Length);
            for (var d = 0; d < expected[i].Length; d++)
            {
                AssertClose(expected[i][d], actual[i][d], $"case {index} point {i} dim {d}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generate_GoldenCase_FinalPointsMatch(int index)
    {
        var c = LoadCases()[index];
        var space = SearchSpaceReader.Parse(c.GetProperty("search_space").GetRawText(), "golden");
        var n = c.GetProperty("num_trials").GetInt32();
        var seed = c.GetProperty("shuffle_seed").GetUInt32();
        var expected = c.GetProperty("points").EnumerateArray().ToArray();

        var actual = HaltonSearch.Generate(space, n, seed);

        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var names = expected[i].EnumerateObject().Select(p => p.Name).ToArray();
            Assert.Equal(names, actual[i].Values.Select(v => v.Key).ToArray());
            foreach (var p in expected[i].EnumerateObject())
            {
                AssertClose(p.Value.GetDouble(), actual[i][p.Name], $"case {index} point {i} {p.Name}");
            }
        }
    }

    private static void AssertClose(double expected, double actual, string where)
    {
        if (BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual))
        {
            return;
        }

        var rel = Math.Abs(expected - actual) / Math.Max(Math.Abs(expected), double.Epsilon);
        Assert.True(rel <= RelativeTolerance, $"{where}: expected {expected:R}, got {actual:R} (relative error {rel:E3})");
    }

    private static List<JsonElement> LoadCases()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestData.Path("halton-golden.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(e => e.Clone()).ToList();
    }
}
