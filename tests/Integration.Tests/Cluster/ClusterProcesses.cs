using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using AlgoPerf.Seed.Commands;
using AlgoPerf.Tests.Shared;
using Npgsql;
using Xunit.Abstractions;

namespace AlgoPerf.Integration.Tests.Cluster;

/// <summary>
/// The processes of one cluster test on 127.0.0.1: <c>algoperf seed</c> and <c>algoperf worker</c> children over a
/// fresh PostgreSQL schema (or a journal the test gives), in a temporary directory that holds the configuration and
/// the run directory. Disposing kills every child still running (SIGKILL), prints what each wrote, drops the schema
/// and deletes the directory.
/// </summary>
internal sealed class ClusterProcesses : IAsyncDisposable
{
    /// <summary>How long one cluster test may take, all its waits together (a run, the exits, log lines).</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromMinutes(5);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ITestOutputHelper _output;
    private readonly List<NodeProcess> _nodes = [];
    private readonly string? _schema;
    private readonly string? _adminConnection;

    private ClusterProcesses(ITestOutputHelper output, string journal, string? schema, string? adminConnection)
    {
        _output = output;
        Journal = journal;
        _schema = schema;
        _adminConnection = adminConnection;
    }

    /// <summary>The test's directory: configurations, and the run directory <see cref="Run"/>.</summary>
    public string Dir { get; } = Directory.CreateTempSubdirectory("algoperf-cluster-").FullName;

    /// <summary>The run directory the tiny configurations name (<c>runs/tiny</c> under <see cref="Dir"/>).</summary>
    public string Run => Path.Combine(Dir, "runs", "tiny");

    /// <summary>The coordinators' journal connection string.</summary>
    public string Journal { get; }

    /// <summary>What is left of the test's <see cref="Budget"/>.</summary>
    public TimeSpan Left => Budget - _clock.Elapsed;

    /// <summary>A cluster over a fresh schema of the tests' PostgreSQL (<see cref="PostgresEnvironment"/>).</summary>
    public static async Task<ClusterProcesses> CreateAsync(ITestOutputHelper output)
    {
        var schema = "cluster_" + Guid.NewGuid().ToString("N");
        var connection = PostgresEnvironment.RequireConnectionString();
        await ExecuteAsync(connection, $"CREATE SCHEMA {schema}");
        return new ClusterProcesses(output, connection + $";Search Path={schema}", schema, connection);
    }

    /// <summary>A cluster over a journal the test owns (a private PostgreSQL server).</summary>
    public static ClusterProcesses Over(ITestOutputHelper output, string journal) => new(output, journal, null, null);

    /// <summary>Distinct free TCP ports of 127.0.0.1 (all held open while picking, so none repeats).</summary>
    public static IReadOnlyList<int> FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Dispose());
        }
    }

    /// <summary>
    /// The tiny benchmark of <c>RunCommandTests</c> (its run directory under <see cref="Dir"/>) with
    /// <paramref name="cluster"/> as the body of <c>algoperf.cluster</c>, written as <paramref name="name"/>.
    /// </summary>
    public string WriteConfig(string name, int seed, string maxRuntime = "2s", double target = 0.6, string cluster = "")
    {
        var tiny = Orchestration.RunCommandTests.WriteTinyConfig(Dir, seed, maxRuntime: maxRuntime, evalPeriod: "1s", target: target);
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, File.ReadAllText(tiny) + $"\nalgoperf.cluster {{\n  {cluster}\n}}\n");
        File.Delete(tiny);
        return path;
    }

    /// <summary>Starts <c>algoperf seed CONFIG</c> on <paramref name="port"/>, joining <paramref name="seeds"/>.</summary>
    public NodeProcess StartSeed(string config, int port, params int[] seeds) =>
        Start("seed", port, config, "--journal", Journal, "--seed-nodes", SeedNodes(seeds), "--port", Port(port), "--http-port", "-1");

    /// <summary>Starts <c>algoperf worker CONFIG</c> with one trainer on <paramref name="port"/>, joining <paramref name="seeds"/>.</summary>
    public NodeProcess StartWorker(string config, int port, params int[] seeds) =>
        Start("worker", port, config, "--seed-nodes", SeedNodes(seeds), "--port", Port(port), "--http-port", "-1", "--trainers", "1");

    /// <summary>The journal's trial events and decisions, in journal order (empty before the tables exist).</summary>
    public async Task<IReadOnlyList<JournalRow>> JournalAsync()
    {
        try
        {
            // Unpooled: a pooled connection would not survive the restart of a test's private server.
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Journal) { Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT ordering, manifest, convert_from(message, 'UTF8') FROM journal " +
                "WHERE manifest IN ('trial-started/v2', 'eval-recorded/v1', 'trial-finished/v1', 'trial-failed/v1', 'study-decided/v1') ORDER BY ordering";
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<JournalRow>();
            while (await reader.ReadAsync())
            {
                rows.Add(new JournalRow(reader.GetInt64(0), reader.GetString(1), JsonNode.Parse(reader.GetString(2))!.AsObject()));
            }

            return rows;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return [];
        }
    }

    /// <summary>Polls the journal every 100 ms until <paramref name="found"/> gives a value, within the test's budget.</summary>
    public async Task<T> PollJournalAsync<T>(Func<IReadOnlyList<JournalRow>, T?> found, string what)
        where T : class
    {
        while (true)
        {
            if (found(await JournalAsync()) is { } value)
            {
                return value;
            }

            if (_nodes.FirstOrDefault(n => n.HasExited) is { } ended)
            {
                throw new InvalidOperationException($"waiting for {what}: {ended} exited with {ended.ExitCode}\n{ended.Diagnostics()}");
            }

            if (Left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"no {what} within the test's {Budget.TotalSeconds} s\n{string.Join("\n", _nodes.Select(n => n.Diagnostics()))}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            foreach (var node in _nodes)
            {
                await node.DisposeAsync();
                _output.WriteLine(node.Diagnostics());
            }

            if (_schema is not null)
            {
                await ExecuteAsync(_adminConnection!, $"DROP SCHEMA {_schema} CASCADE");
            }
        }
        finally
        {
            Directory.Delete(Dir, recursive: true);
        }
    }

    private static string SeedNodes(int[] seeds) => string.Join(",", seeds.Select(s => "127.0.0.1:" + Port(s)));

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private NodeProcess Start(string verb, int port, params string[] arguments)
    {
        var node = new NodeProcess(verb, port, Run, () => Left, DotnetChild.Start(typeof(SeedCommand).Assembly.Location, [verb, .. arguments]));
        _nodes.Add(node);
        return node;
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
