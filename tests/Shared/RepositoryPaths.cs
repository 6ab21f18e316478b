using System.Runtime.CompilerServices;

namespace AlgoPerf.Tests.Shared;

/// <summary>
/// Folders of the repository for tests, found from this source file's path (compiled in), so they resolve wherever
/// the test binaries run from (<c>--artifacts-path</c> puts them outside the repository). Linked into each test project.
/// </summary>
internal static class RepositoryPaths
{
    /// <summary>The repository root: the nearest folder above this file holding <c>AlgoPerf.Actors.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The <c>hocon/</c> folder (reference and example configurations).</summary>
    public static string Hocon => Path.Combine(Root, "hocon");

    private static string FindRoot([CallerFilePath] string source = "")
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(source)!);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AlgoPerf.Actors.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException($"no AlgoPerf.Actors.sln above {source}");
    }
}
