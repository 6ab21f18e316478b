namespace AlgoPerf.Tuner.Tests;

/// <summary>Paths of the files under <c>Data/</c>, copied next to the test assembly.</summary>
internal static class TestData
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Data", name);
}
