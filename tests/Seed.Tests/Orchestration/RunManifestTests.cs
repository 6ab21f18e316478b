using AlgoPerf.Seed.Orchestration;

namespace AlgoPerf.Seed.Tests.Orchestration;

public sealed class RunManifestTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("run-manifest-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void WriteOrVerify_NewThenSameBenchmark_WritesThenReportsAResume()
    {
        var settings = Quickstart();

        Assert.False(RunManifest.WriteOrVerify(settings));
        var written = File.ReadAllText(Path.Combine(settings.RunDirectory, RunManifest.FileName));
        Assert.True(RunManifest.WriteOrVerify(settings));
        Assert.Equal(written, File.ReadAllText(Path.Combine(settings.RunDirectory, RunManifest.FileName)));
    }

    [Fact]
    public void WriteOrVerify_DifferentBenchmarkInTheSameDirectory_RefusesNamingTheFieldAndKeepsTheManifest()
    {
        var settings = Quickstart();
        RunManifest.WriteOrVerify(settings);
        var path = Path.Combine(settings.RunDirectory, RunManifest.FileName);
        var before = File.ReadAllText(path);

        var e = Assert.Throws<InvalidDataException>(() => RunManifest.WriteOrVerify(settings with { RunSeed = 7 }));

        Assert.StartsWith($"{path}: run_seed: this run directory holds a different benchmark (\"0\", the configuration says \"7\")", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Fact]
    public void WriteOrVerify_CorruptManifest_NamesTheFile()
    {
        var settings = Quickstart();
        Directory.CreateDirectory(settings.RunDirectory);
        var path = Path.Combine(settings.RunDirectory, RunManifest.FileName);
        File.WriteAllText(path, "{ not json");

        var e = Assert.Throws<InvalidDataException>(() => RunManifest.WriteOrVerify(settings));

        Assert.StartsWith($"{path}: unreadable run manifest:", e.Message, StringComparison.Ordinal);
        Assert.Equal("{ not json", File.ReadAllText(path));
    }

    private BenchmarkSettings Quickstart() =>
        BenchmarkSettingsTests.Bind(BenchmarkSettingsTests.HoconFile("quickstart.conf"), _dir.FullName);
}
