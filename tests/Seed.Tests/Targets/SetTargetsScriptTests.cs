using AlgoPerf.Tests.Shared;

namespace AlgoPerf.Seed.Tests.Targets;

/// <summary>
/// <c>scripts/set_targets.sh</c> with a stand-in for <c>./algoperf</c> (its ALGOPERF): how it writes each workload's
/// derivation (<c>targets run --format json</c>'s output).
/// </summary>
public sealed class SetTargetsScriptTests : IDisposable
{
    private const string Derivation = """{"selected":{"submission":"adamw"}}""";
    private readonly string _dir = Directory.CreateTempSubdirectory("algoperf-set-targets-").FullName;

    public SetTargetsScriptTests()
    {
        // `targets run` prints part of its JSON and fails when FAIL_WORKLOAD names the workload; everything else succeeds.
        File.WriteAllText(Path.Combine(_dir, "algoperf"), $$"""
            #!/usr/bin/env bash
            if [ "$1 $2" = "targets run" ]; then
              if [ "$4" = "${FAIL_WORKLOAD:-}" ]; then printf '{"selected":'; exit 1; fi
              echo '{{Derivation}}'
            fi
            """.Replace("\r", string.Empty, StringComparison.Ordinal));
        Assert.Equal(0, ScriptProcess.Run(_dir, null, "chmod", "+x", "algoperf").Code);
        Directory.CreateDirectory(Path.Combine(_dir, "run"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void SetTargets_BothRunsSucceed_WritesEachDerivationWhole()
    {
        var (code, _, stderr) = SetTargets(failWorkload: "");

        Assert.True(code == 0, stderr);
        Assert.Equal(Derivation + "\n", File.ReadAllText(Path.Combine(_dir, "run", "base.json")));
        Assert.Equal(Derivation + "\n", File.ReadAllText(Path.Combine(_dir, "run", "variant.json")));
        Assert.Equal(["base.json", "variant.json"], Derivations());
    }

    [Fact]
    public void SetTargets_TargetsRunFails_KeepsTheEarlierDerivationAndExitsNonZero()
    {
        File.WriteAllText(Path.Combine(_dir, "run", "base.json"), Derivation);

        var (code, _, _) = SetTargets(failWorkload: "base");

        Assert.NotEqual(0, code);
        Assert.Equal(Derivation, File.ReadAllText(Path.Combine(_dir, "run", "base.json")));
        Assert.Equal(["base.json"], Derivations());
    }

    private List<string> Derivations() =>
        [.. Directory.EnumerateFiles(Path.Combine(_dir, "run"), "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    private (int Code, string Stdout, string Stderr) SetTargets(string failWorkload) =>
        ScriptProcess.Run(
            _dir,
            new Dictionary<string, string> { ["ALGOPERF"] = Path.Combine(_dir, "algoperf"), ["FAIL_WORKLOAD"] = failWorkload, ["JOBS"] = "1" },
            "bash",
            Path.Combine(RepositoryPaths.Root, "scripts", "set_targets.sh"),
            "base",
            "variant",
            "1",
            "run");
}
