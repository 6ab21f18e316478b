using Akka.Actor;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Persistence;
using AlgoPerf.Tests.Shared;

namespace AlgoPerf.Contracts.Tests.Configuration;

/// <summary>Every file in hocon/ loads with Akka's HOCON over the reference, binds, and starts an actor system.</summary>
public sealed class HoconFilesTests
{
    public static TheoryData<string> Files() => [.. Names()];

    [Fact]
    public void Files_IncludeEveryExpectedConfiguration()
    {
        Assert.Superset(
            new HashSet<string> { "reference.conf", "quickstart.conf", "dev-suite.conf", "cluster.conf", "k8s.conf", "k8s-benchmark.conf" },
            Names().ToHashSet());
    }

    private static IEnumerable<string> Names() =>
        Directory.GetFiles(RepositoryPaths.Hocon, "*.conf").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Files))]
    public void File_HasNoOptionalSubstitution_WhichAkkasParserWouldTruncateAfter(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryPaths.Hocon, file));

        Assert.DoesNotContain(lines, l => !l.TrimStart().StartsWith('#') && l.Contains("${?", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Load_EveryFile_BindsAndStartsAnActorSystemWithItsShutdownTimeouts(string file)
    {
        var path = Path.Combine(RepositoryPaths.Hocon, file);
        var config = AlgoPerfConfig.Load(path);
        var backoff = RestartBackoff.FromConfig(config, path);
        Assert.True(backoff.Min > TimeSpan.Zero && backoff.Max >= backoff.Min);
        Assert.Equal("akka.persistence.journal.sql", config.GetString("akka.persistence.journal.plugin"));

        using var journal = TestDatabase.Create(TestStore.Sqlite);
        var system = ActorSystem.Create("hocon", journal.Store.ToConfig()
            .WithFallback(Akka.Configuration.ConfigurationFactory.ParseString("algoperf.serialization.event-assemblies = []"))
            .WithFallback(config));
        try
        {
            var written = config.GetTimeSpan("akka.coordinated-shutdown.phases.service-requests-done.timeout");
            Assert.Equal(written, CoordinatedShutdown.Get(system).Timeout(CoordinatedShutdown.PhaseServiceRequestsDone));
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public void Reference_ServiceRequestsDone_GivesTrainersAMinuteToCheckpoint()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), AlgoPerfConfig.Reference.GetTimeSpan("akka.coordinated-shutdown.phases.service-requests-done.timeout"));
        Assert.Equal(new RestartBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0.2), RestartBackoff.FromConfig(AlgoPerfConfig.Reference, "reference.conf"));
    }

    [Fact]
    public void K8s_IncludesClusterAndOverridesTheShutdownForAPodsGracePeriod()
    {
        var config = AlgoPerfConfig.Load(Path.Combine(RepositoryPaths.Hocon, "k8s.conf"));

        Assert.Equal("postgres", config.GetString("algoperf.journal.store"));
        Assert.Equal(TimeSpan.FromSeconds(15), config.GetTimeSpan("akka.coordinated-shutdown.phases.service-requests-done.timeout"));
        Assert.Equal(TimeSpan.FromSeconds(2), RestartBackoff.FromConfig(config, "k8s.conf").Min);
    }

    [Theory]
    [InlineData("min = 0s", "algoperf.restart-backoff.min: must be above 0")]
    [InlineData("min = soon", "algoperf.restart-backoff.min: must be a duration")]
    [InlineData("random-factor = 2", "algoperf.restart-backoff.random-factor: must be between 0 and 1")]
    public void RestartBackoff_InvalidValue_NamesFileAndKey(string line, string expected)
    {
        var config = AlgoPerfConfig.Parse($"algoperf.restart-backoff {{ {line} }}");

        var e = Assert.Throws<InvalidDataException>(() => RestartBackoff.FromConfig(config, "my.conf"));

        Assert.StartsWith("my.conf: " + expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingInclude_NamesTheIncludingFile()
    {
        var dir = Directory.CreateTempSubdirectory("hocon-");
        try
        {
            var file = Path.Combine(dir.FullName, "run.conf");
            File.WriteAllText(file, "include \"nope.conf\"\nalgoperf.benchmark.name = x\n");

            var e = Assert.Throws<InvalidDataException>(() => AlgoPerfConfig.Load(file));

            Assert.StartsWith($"{file}: include \"nope.conf\": no such file", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
