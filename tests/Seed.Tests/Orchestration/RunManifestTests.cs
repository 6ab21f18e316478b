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
    public void FirstDifference_IdentitiesOfTwoBenchmarks_NamesTheFirstDifferingFieldAndIgnoresHowTheyRun()
    {
        var settings = Quickstart();

        var same = RunManifest.FirstDifference(RunManifest.Identity(settings), RunManifest.Identity(settings with { Trainers = 8, Threads = 3 }));
        var other = RunManifest.FirstDifference(RunManifest.Identity(settings), RunManifest.Identity(settings with { RunSeed = 7 }));

        Assert.Null(same);
        Assert.Equal("run_seed: its configuration says \"7\", the coordinators' says \"0\"", other);
        Assert.StartsWith("its benchmark description is not JSON", RunManifest.FirstDifference(RunManifest.Identity(settings), "{ no"), StringComparison.Ordinal);
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

    [Fact]
    public void Read_ManifestOfTheQuickstart_RebuildsTheSameBenchmarkWithoutItsConfig()
    {
        var settings = Quickstart() with { Trainers = 3, Threads = 2 };
        RunManifest.WriteOrVerify(settings);

        var read = RunManifest.Read(settings.RunDirectory);

        Assert.Equal(RunManifest.Describe(settings).ToJsonString(), RunManifest.Describe(read).ToJsonString());
        Assert.Equal((3, 2, "cpu"), (read.Trainers, read.Threads, read.Device));
        Assert.Equal(settings.Workloads, read.Workloads);
        Assert.Equal(settings.Rules.Workloads, read.Rules.Workloads);
        Assert.True(RunManifest.WriteOrVerify(read));
    }

    [Fact]
    public void WriteOrVerify_SameBenchmarkWithOtherTrainers_ResumesAndRecordsTheNewTrainersForResume()
    {
        var settings = Quickstart();
        RunManifest.WriteOrVerify(settings);

        Assert.True(RunManifest.WriteOrVerify(settings with { Trainers = 4 }));

        Assert.Equal(4, RunManifest.Read(settings.RunDirectory).Trainers);
    }

    [Fact]
    public void Read_ManifestWithoutItsResumeSection_NamesTheFileAndTheField()
    {
        var settings = Quickstart();
        RunManifest.WriteOrVerify(settings);
        var path = Path.Combine(settings.RunDirectory, RunManifest.FileName);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        json.Remove(RunManifest.ResumeKey);
        File.WriteAllText(path, json.ToJsonString());

        var e = Assert.Throws<InvalidDataException>(() => RunManifest.Read(settings.RunDirectory));

        Assert.StartsWith($"{path}: resume: missing", e.Message, StringComparison.Ordinal);
    }

    private BenchmarkSettings Quickstart() =>
        BenchmarkSettingsTests.Bind(BenchmarkSettingsTests.HoconFile("quickstart.conf"), _dir.FullName);
}
