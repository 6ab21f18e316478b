using AlgoPerf.Actors.Configuration;
using AlgoPerf.Actors.Pattern;
using AlgoPerf.Actors.Persistence;
using AlgoPerf.Actors.TestKit;
using AlgoPerf.Tests.Shared;

namespace AlgoPerf.Actors.Tests.Configuration;

/// <summary>Every file in hocon/ parses over the reference defaults and binds to every settings record.</summary>
public sealed class HoconFilesTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(HoconDirectory(), "*.conf").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Load_EveryHoconFile_BindsEverySettingsRecord(string file)
    {
        var config = ConfigFactory.Load(Path.Combine(HoconDirectory(), file), _ => null);

        var actors = ActorSystemSettings.FromConfig(config);
        var persistence = PersistenceSettings.FromConfig(config);
        var test = TestKitSettings.FromConfig(config);

        Assert.True(actors.Throughput >= 1);
        Assert.True(persistence.MaxConcurrentRecoveries >= 1);
        Assert.True(test.TimeFactor >= 1.0);
    }

    [Fact]
    public void Files_IncludeEveryExpectedConfiguration()
    {
        var files = Directory.GetFiles(HoconDirectory(), "*.conf").Select(Path.GetFileName).ToHashSet();
        Assert.Superset(new HashSet<string?> { "reference.conf", "quickstart.conf", "dev-suite.conf", "cluster.conf", "k8s.conf" }, files);
    }

    [Fact]
    public void Reference_BindsToAkkaDefaults()
    {
        var config = ConfigFactory.Default(_ => null);
        var actors = ActorSystemSettings.FromConfig(config);
        Assert.Equal(ActorSystemSettings.Default with { ShutdownPhaseTimeouts = actors.ShutdownPhaseTimeouts }, actors);
        Assert.Empty(actors.ShutdownPhaseTimeouts);
        Assert.Equal(PersistenceSettings.Default, PersistenceSettings.FromConfig(config));
        Assert.Equal(new TestKitSettings(), TestKitSettings.FromConfig(config));
    }

    [Fact]
    public void Reference_EmbeddedCopyEqualsTheFileInHocon()
    {
        var embedded = ConfigFactory.Default(_ => null);
        var file = ConfigFactory.ParseFile(Path.Combine(HoconDirectory(), "reference.conf")).Resolve(_ => null);
        Assert.Equal(PersistenceSettings.FromConfig(file), PersistenceSettings.FromConfig(embedded));
        Assert.Equal(TestKitSettings.FromConfig(file), TestKitSettings.FromConfig(embedded));
        var (a, b) = (ActorSystemSettings.FromConfig(file), ActorSystemSettings.FromConfig(embedded));
        Assert.Equal((a.Throughput, a.LogDeadLetters, a.ShutdownPhaseTimeout), (b.Throughput, b.LogDeadLetters, b.ShutdownPhaseTimeout));
    }

    [Fact]
    public void K8s_EnvironmentOverrides_AreBound()
    {
        var env = new Dictionary<string, string> { ["ALGOPERF_MAX_CONCURRENT_RECOVERIES"] = "7", ["ALGOPERF_SHUTDOWN_PHASE_TIMEOUT"] = "3s" };
        var config = ConfigFactory.Load(Path.Combine(HoconDirectory(), "k8s.conf"), env.GetValueOrDefault);

        Assert.Equal(7, PersistenceSettings.FromConfig(config).MaxConcurrentRecoveries);
        Assert.Equal(TimeSpan.FromSeconds(3), ActorSystemSettings.FromConfig(config).ShutdownPhaseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), ActorSystemSettings.FromConfig(config).ShutdownPhaseTimeouts["service-requests-done"]);
        Assert.Equal(TimeSpan.FromSeconds(30), ActorSystemSettings.FromConfig(config).ShutdownPhaseTimeouts["service-stop"]);
    }

    [Fact]
    public void Binding_InvalidValue_ErrorNamesFileLineColumnAndPath()
    {
        var dir = Directory.CreateTempSubdirectory("hocon-");
        try
        {
            var path = Path.Combine(dir.FullName, "bad.conf");
            File.WriteAllText(path, "algoperf.persistence {\n  max-concurrent-recoveries = 0\n}\n");
            var config = ConfigFactory.Load(path, _ => null);
            var e = Assert.Throws<HoconException>(() => PersistenceSettings.FromConfig(config));
            Assert.Equal($"{path}:2:31: algoperf.persistence.max-concurrent-recoveries: must be at least 1", e.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Binding_CircuitBreakers_BindsBothAndNamesABadField()
    {
        var config = ConfigFactory.ParseString(
            "algoperf.persistence.journal-circuit-breaker { max-failures = 3, call-timeout = 2s, reset-timeout = 1m }\n"
            + "algoperf.persistence.snapshot-store-circuit-breaker.reset-timeout = 0s", "x.conf")
            .WithFallback(ConfigFactory.Reference()).Resolve(_ => null);
        var good = ConfigFactory.ParseString("algoperf.persistence.journal-circuit-breaker { max-failures = 3, call-timeout = 2s, reset-timeout = 1m }", "y.conf")
            .WithFallback(ConfigFactory.Reference()).Resolve(_ => null);

        var e = Assert.Throws<HoconException>(() => PersistenceSettings.FromConfig(config));
        var bound = PersistenceSettings.FromConfig(good);

        Assert.Equal("x.conf:2:69: algoperf.persistence.snapshot-store-circuit-breaker.reset-timeout: must be positive", e.Message);
        Assert.Equal(new CircuitBreakerSettings(3, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1)), bound.JournalCircuitBreaker);
        Assert.Equal(CircuitBreakerSettings.SnapshotStoreDefault, bound.SnapshotStoreCircuitBreaker);
    }

    [Fact]
    public void Binding_UnknownShutdownPhase_IsRejected()
    {
        var config = ConfigFactory.ParseString("algoperf.actors.coordinated-shutdown.phases.cluster-leave.timeout = 1s", "x.conf")
            .WithFallback(ConfigFactory.Reference()).Resolve(_ => null);
        var e = Assert.Throws<HoconException>(() => ActorSystemSettings.FromConfig(config));
        Assert.StartsWith("x.conf:1:45: algoperf.actors.coordinated-shutdown.phases.cluster-leave: unknown phase", e.Message, StringComparison.Ordinal);
    }

    private static string HoconDirectory() => RepositoryPaths.Hocon;
}
