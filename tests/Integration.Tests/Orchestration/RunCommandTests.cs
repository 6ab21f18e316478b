using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Seed.Orchestration;
using AlgoPerf.Tests.Shared;
using static AlgoPerf.Seed.Tests.CliRunner;

namespace AlgoPerf.Integration.Tests.Orchestration;

/// <summary>
/// <c>algoperf run</c> end to end on a tiny benchmark: real tuners, trainer, libtorch training on Fashion-MNIST, the
/// SQLite journal and the reference scoring of the written logs; then the same command again resumes without
/// re-running anything.
/// </summary>
public sealed class RunCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("algoperf-run-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Run_TinyBenchmarkThenAgain_DecidesScoresAndResumesWithoutRerunningTrials()
    {
        var config = WriteConfig(seed: 3);

        var first = await RunAsync("run", config);

        Assert.True(first.Code == 0, first.Error);
        // No warning: the live scorer published final scores, equal to the reference procedure's over the logs.
        Assert.DoesNotContain("warning:", first.Error, StringComparison.Ordinal);
        Assert.Contains("starting in " + Path.Combine(_dir, "runs", "tiny"), first.Error, StringComparison.Ordinal);
        Assert.Contains("studies: 2 decided", first.Out, StringComparison.Ordinal);
        var run = Path.Combine(_dir, "runs", "tiny");
        var csvs = new[] { "nadamw", "momentum" }
            .SelectMany(s => new[] { 1, 2 }.Select(t => Path.Combine(run, "logs", s, "study_0", "fmnist_mlp_pytorch", $"trial_{t}", "eval_measurements.csv")))
            .ToList();
        Assert.All(csvs, f => Assert.True(File.Exists(f), f));
        foreach (var file in new[] { "scores.csv", "time_to_targets.csv", "performance_profiles.csv" })
        {
            Assert.True(File.Exists(Path.Combine(run, "report", file)), file);
        }

        // The logs and the run's targets file score the same with the score verb as in the run's own report.
        var rescored = await RunAsync("score", "--experiment-dir", Path.Combine(run, "logs"), "--targets", Path.Combine(run, RunManifest.TargetsFileName), "--format", "table");
        Assert.True(rescored.Code == 0, rescored.Error);
        Assert.Contains(rescored.Out, first.Out, StringComparison.Ordinal);

        var logsBefore = csvs.Select(File.ReadAllText).ToList();
        var journalBefore = new FileInfo(Path.Combine(run, "journal.db")).Length;

        var second = await RunAsync("run", config);

        Assert.True(second.Code == 0, second.Error);
        Assert.DoesNotContain("warning:", second.Error, StringComparison.Ordinal);
        Assert.Contains("resuming in " + run, second.Error, StringComparison.Ordinal);
        Assert.Equal(logsBefore, csvs.Select(File.ReadAllText).ToList());
        Assert.Equal(first.Out, second.Out);
        Assert.True(new FileInfo(Path.Combine(run, "journal.db")).Length >= journalBefore);
    }

    [Theory]
    [InlineData("inprocess")]
    [InlineData("gloo")] // rank 0's trainer sends the rendezvous address to rank 1's through the actor system
    public async Task Run_EveryTrialOnAGangOfTwoTrainers_DecidesAndScoresAsTheReferenceProcedureOnTheLogs(string reducer)
    {
        var config = WriteTinyConfig(_dir, seed: 3, benchmark: $"threads = 1, trainers = 2, devices-per-trial = 2, gang-reducer = {reducer}");

        var run = await RunAsync("run", config);

        Assert.True(run.Code == 0, run.Error);
        Assert.DoesNotContain("warning:", run.Error, StringComparison.Ordinal);
        Assert.Contains("studies: 2 decided", run.Out, StringComparison.Ordinal);
        var dir = Path.Combine(_dir, "runs", "tiny");
        var log = await File.ReadAllTextAsync(Path.Combine(dir, "run.log"));
        Assert.Equal(4, log.Split('\n').Count(l => l.Contains("-> trainer-0, trainer-1", StringComparison.Ordinal)));
        Assert.DoesNotContain(log.Split('\n'), l => l.Contains("gang", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal));
        var rescored = await RunAsync("score", "--experiment-dir", Path.Combine(dir, "logs"), "--targets", Path.Combine(dir, RunManifest.TargetsFileName), "--format", "table");
        Assert.True(rescored.Code == 0, rescored.Error);
        Assert.Contains(rescored.Out, run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WithAPostgresJournal_DecidesAndResumesFromIt()
    {
        // A fresh schema as the first of the search path: the plugin creates its tables there.
        var schema = "run_" + Guid.NewGuid().ToString("N");
        var connection = PostgresEnvironment.RequireConnectionString();
        await ExecuteAsync(connection, $"CREATE SCHEMA {schema}");
        try
        {
            var journal = connection + $";Search Path={schema}";
            var config = WriteConfig(seed: 3, submissions: "[nadamw]");

            var first = await RunAsync("run", config, "--journal", journal);
            var second = await RunAsync("run", config, "--journal", journal);

            Assert.True(first.Code == 0, first.Error);
            Assert.Contains("studies: 1 decided", first.Out, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(_dir, "runs", "tiny", "journal.db")));
            Assert.True(second.Code == 0, second.Error);
            Assert.Contains("resuming in", second.Error, StringComparison.Ordinal);
            Assert.Equal(first.Out, second.Out);
            // The tuner's stream is in PostgreSQL: one plan, two trials ended once each, one decision, none repeated by the resume.
            Assert.Equal(1, await ScalarAsync(connection, $"SELECT count(*) FROM {schema}.journal WHERE manifest = 'study-planned/v1'"));
            Assert.Equal(2, await ScalarAsync(connection, $"SELECT count(*) FROM {schema}.journal WHERE manifest = 'trial-finished/v1'"));
            Assert.Equal(1, await ScalarAsync(connection, $"SELECT count(*) FROM {schema}.journal WHERE manifest = 'study-decided/v1'"));
            Assert.Equal(2, await ScalarAsync(connection, $"SELECT count(*) FROM {schema}.journal WHERE manifest = 'run-session-started/v2'"));

            // status reads the PostgreSQL journal of the run directory's benchmark.
            var rows = await ScalarAsync(connection, $"SELECT count(*) FROM {schema}.journal");
            var status = await RunAsync("status", Path.Combine(_dir, "runs", "tiny"), "--journal", journal, "--format", "json");
            Assert.True(status.Code == 0, status.Error);
            var json = System.Text.Json.Nodes.JsonNode.Parse(status.Out)!;
            Assert.Equal(("finished", 2), (json["state"]!.GetValue<string>(), json["trials"]!["finished"]!.GetValue<int>()));
            Assert.Equal(rows, await ScalarAsync(connection, $"SELECT count(*) FROM {schema}.journal"));
        }
        finally
        {
            await ExecuteAsync(connection, $"DROP SCHEMA {schema} CASCADE");
        }
    }

    [Fact]
    public async Task Run_SameRunDirectoryWithAnotherSeed_ExitsOneNamingTheFieldAndStoresNothing()
    {
        var run = Path.Combine(_dir, "runs", "tiny");
        var manifest = Path.Combine(run, RunManifest.FileName);
        var file = WriteConfig(seed: 3);
        RunManifest.WriteOrVerify(BenchmarkSettings.FromConfig(AlgoPerfConfig.Load(file), file, _dir));

        var result = await RunAsync("run", WriteConfig(seed: 4));

        Assert.Equal(1, result.Code);
        Assert.Contains($"{manifest}: run_seed: this run directory holds a different benchmark", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(run, "journal.db")));
    }

    [Fact]
    public async Task Run_UnknownSubmission_ExitsOneBeforeTouchingTheRunDirectory()
    {
        var config = WriteConfig(seed: 3, submissions: "[nadamw, no_such_optimizer]");

        var result = await RunAsync("run", config);

        Assert.Equal(1, result.Code);
        Assert.Contains("unknown submission 'no_such_optimizer'", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "runs", "tiny")));
    }

    [Fact]
    public async Task Run_DirectoryOfTheOldJournal_ExitsOneNamingTheFileAndLeavesItAlone()
    {
        var run = Path.Combine(_dir, "runs", "tiny");
        var config = WriteConfig(seed: 3);
        Directory.CreateDirectory(run);
        var journal = Path.Combine(run, "journal.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={journal};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE journal_streams (persistence_id TEXT PRIMARY KEY); CREATE TABLE journal_events (ordering INTEGER PRIMARY KEY)";
            command.ExecuteNonQuery();
        }

        var before = File.ReadAllBytes(journal);

        var result = await RunAsync("run", config);

        Assert.Equal(1, result.Code);
        Assert.Contains($"{journal}: this journal was written by AlgoPerf.Actors' own runtime", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(journal));
    }

    internal static string WriteTinyConfig(string dir, int seed, string submissions = "[nadamw, momentum]", string maxRuntime = "2s", string evalPeriod = "1s", double target = 0.6, string benchmark = "threads = 1")
    {
        var path = Path.Combine(dir, $"tiny-{seed}-{submissions.Length}-{benchmark.GetHashCode(StringComparison.Ordinal):x8}.conf");
        File.WriteAllText(path, $$"""
            algoperf {
              benchmark {
                name = tiny
                run-dir = "{{Path.Combine(dir, "runs", "tiny")}}"
                rules = tiny
                seed = {{seed}}
                submissions = {{submissions}}
                workloads = [fmnist_mlp]
                {{benchmark}}
              }
              rules.tiny {
                clock-from = v0.6
                studies-external = 1
                studies-self-tuning = 1
                trials-per-study = 2
                self-tuning-budget-factor = 1.5
                workloads { fmnist_mlp { max-runtime = {{maxRuntime}}, eval-period = {{evalPeriod}}, validation-target = {{target.ToString(System.Globalization.CultureInfo.InvariantCulture)}}, test-target = {{target.ToString(System.Globalization.CultureInfo.InvariantCulture)}} } }
              }
            }
            """);
        return path;
    }

    private string WriteConfig(int seed, string submissions = "[nadamw, momentum]") => WriteTinyConfig(_dir, seed, submissions);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
