using BenchmarkDotNet.Running;

namespace AlgoPerf.Benchmarks;

/// <summary>
/// BenchmarkDotNet micro-benchmarks (<c>dotnet run -c Release --project benchmarks/AlgoPerf.Benchmarks -- --filter '*'</c>).
/// End-to-end figures that issues ask for come from <c>./algoperf bench ...</c>.
/// </summary>
internal static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
