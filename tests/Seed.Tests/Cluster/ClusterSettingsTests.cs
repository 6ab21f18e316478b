using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Seed.Cli;
using AlgoPerf.Seed.Cluster;

namespace AlgoPerf.Seed.Tests.Cluster;

public sealed class ClusterSettingsTests
{
    private static readonly Dictionary<string, string> s_noEnvironment = [];

    [Fact]
    public void FromConfig_KeysOnly_BindsEveryKey()
    {
        var settings = Bind("""algoperf.cluster { name = c1, hostname = 10.0.0.5, port = 2552, seed-nodes = ["10.0.0.1:2552", "10.0.0.2:2552"], join-timeout = 20s, http { port = -1, bearer-token = tok } }""");

        Assert.Equal(("c1", "10.0.0.5", 2552), (settings.Name, settings.Hostname, settings.Port));
        Assert.Equal(["10.0.0.1:2552", "10.0.0.2:2552"], settings.SeedNodes);
        Assert.Equal((TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)), (settings.JoinTimeout, settings.CutOffStop, settings.ReconcileTimeout, settings.RedeliverEvery));
        Assert.Equal(("127.0.0.1", -1, "tok"), (settings.HttpHost, settings.HttpPort, settings.HttpToken));
        Assert.Equal("akka.tcp://c1@10.0.0.1:2552", settings.SeedAddress(settings.SeedNodes[0]));
    }

    [Fact]
    public void FromConfig_EnvironmentAndFlags_FlagsWinOverTheEnvironmentWhichWinsOverTheFile()
    {
        var environment = new Dictionary<string, string>
        {
            [ClusterSettings.SeedNodesVariable] = "e1:1,e2:2",
            [ClusterSettings.HostnameVariable] = "envhost",
            [ClusterSettings.PortVariable] = "3000",
        };

        var fromEnvironment = Bind("""algoperf.cluster { seed-nodes = ["f:1"], hostname = filehost }""", environment);
        var fromFlags = Bind("""algoperf.cluster { seed-nodes = ["f:1"] }""", environment, "--seed-nodes", "a:1,b:2", "--hostname", "flaghost", "--port", "0", "--http-port", "0");

        Assert.Equal(("e1:1,e2:2", "envhost", 3000), (string.Join(',', fromEnvironment.SeedNodes), fromEnvironment.Hostname, fromEnvironment.Port));
        Assert.Equal(("a:1,b:2", "flaghost", 0, 0), (string.Join(',', fromFlags.SeedNodes), fromFlags.Hostname, fromFlags.Port, fromFlags.HttpPort));
    }

    [Theory]
    [InlineData("algoperf.cluster.seed-nodes = []", "algoperf.cluster.seed-nodes: empty: give the coordinators' host:port")]
    [InlineData("algoperf.cluster { seed-nodes = [\"nohost\"] }", "algoperf.cluster.seed-nodes: 'nohost' is not host:port")]
    [InlineData("algoperf.cluster { seed-nodes = [\"h:1\"], name = \"a b\" }", "algoperf.cluster.name: 'a b' is not an actor system name")]
    [InlineData("algoperf.cluster { seed-nodes = [\"h:1\"], port = 70000 }", "algoperf.cluster.port: 70000 is not a port")]
    [InlineData("algoperf.cluster { seed-nodes = [\"h:1\"], cut-off-stop = 0s }", "algoperf.cluster.cut-off-stop: must be positive")]
    public void FromConfig_BadValue_ErrorNamesTheFileAndTheKey(string hocon, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => Bind(hocon));

        Assert.StartsWith("node.conf: " + expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfig_BadSeedNodesFlag_IsAUsageError()
    {
        var error = Assert.Throws<UsageException>(() => Bind("""algoperf.cluster.seed-nodes = ["h:1"]""", null, "--seed-nodes", "h:1,oops"));

        Assert.Equal("--seed-nodes: 'oops' is not host:port", error.Message);
    }

    [Fact]
    public void FromConfig_BootstrapEnabled_NeedsNoSeedNodes()
    {
        var settings = Bind("algoperf.cluster.bootstrap.enabled = on");

        Assert.Equal(new BootstrapSettings(true, "algoperf-coordinator", 2), settings.Bootstrap);
        Assert.Empty(settings.SeedNodes);
    }

    [Fact]
    public void NodeStatus_ByRoleAndState_ReadyOnlyWhenUpRegisteredOrRecoveredOrStandby()
    {
        var worker = new NodeStatus(NodeRole.Worker);
        var coordinator = new NodeStatus(NodeRole.Coordinator);
        Assert.False(worker.Health().Ready);
        worker.Up = true;
        Assert.Equal(new NodeHealth(false, "worker Up, not registered with a coordinator yet"), worker.Health());
        worker.Registered = true;
        Assert.True(worker.Health().Ready);

        coordinator.Up = true;
        Assert.Equal(new NodeHealth(true, "coordinator Up (standby)"), coordinator.Health());
        coordinator.SingletonHere = true;
        Assert.Equal(new NodeHealth(false, "coordinator Up, singleton here, recovering"), coordinator.Health());
        coordinator.CoordinatorRecovered = true;
        Assert.True(coordinator.Health().Ready);
    }

    private static ClusterSettings Bind(string hocon, Dictionary<string, string>? environment = null, params string[] flags)
    {
        var config = AlgoPerfConfig.Parse(hocon).WithFallback(AlgoPerfConfig.Reference);
        var env = environment ?? s_noEnvironment;
        return ClusterSettings.FromConfig(config, "node.conf", Path.GetTempPath(), new CommandArgs(flags), name => env.GetValueOrDefault(name));
    }
}
