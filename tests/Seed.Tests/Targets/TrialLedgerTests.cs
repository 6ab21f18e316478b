using AlgoPerf.Seed.Targets;

namespace AlgoPerf.Seed.Tests.Targets;

public sealed class TrialLedgerTests : IDisposable
{
    private static readonly DateTimeOffset s_at = new(2026, 12, 1, 11, 30, 5, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("algoperf-ledger-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static LedgerEntry Entry(string phase, int trial, double best = 0.9125) =>
        new(phase, $"nadamw/fmnist_mlp/study_0/trial_{trial}", $"tune/nadamw/study_0/fmnist_mlp_pytorch/trial_{trial}", "max_steps", 2250, 7, 345.1234, best, 401.26, 1, s_at);

    [Fact]
    public void AppendThenRead_Entries_RoundTripInOrder()
    {
        var ledger = new TrialLedger(_dir);
        ledger.Append(Entry("tune", 1));
        ledger.Append(Entry("tune", 2, double.NaN) with { Threads = null });

        var entries = ledger.Read();

        // Times to the millisecond, wall to the tenth of a second; no best value is written as null and read as NaN.
        Assert.Equal([Entry("tune", 1) with { SubmissionTimeSec = 345.123, WallSec = 401.3 }, Entry("tune", 2, double.NaN) with { SubmissionTimeSec = 345.123, WallSec = 401.3, Threads = null }], entries);
        Assert.Equal(
            """{"phase":"tune","trial":"nadamw/fmnist_mlp/study_0/trial_1","directory":"tune/nadamw/study_0/fmnist_mlp_pytorch/trial_1","reason":"max_steps","steps":2250,"evals":7,"submission_time_s":345.123,"best_validation":0.9125,"wall_s":401.3,"threads":1,"finished":"2026-12-01T11:30:05Z"}""",
            File.ReadAllLines(ledger.FilePath)[0]);
    }

    [Fact]
    public void Find_PhaseAndTrial_MatchesBothAndTakesTheLastOfRepeats()
    {
        var ledger = new TrialLedger(_dir);
        ledger.Append(Entry("tune", 1, 0.5));
        ledger.Append(Entry("rerun", 1, 0.6));
        ledger.Append(Entry("tune", 1, 0.7));

        Assert.Equal(0.7, ledger.Find("tune", "nadamw/fmnist_mlp/study_0/trial_1")!.BestValidation);
        Assert.Equal(0.6, ledger.Find("rerun", "nadamw/fmnist_mlp/study_0/trial_1")!.BestValidation);
        Assert.Null(ledger.Find("tune", "nadamw/fmnist_mlp/study_0/trial_2"));
    }

    [Fact]
    public void Read_NoFile_IsEmpty() => Assert.Empty(new TrialLedger(Path.Combine(_dir, "missing")).Read());

    [Fact]
    public void Read_LastLineCutOffMidWrite_LeavesOnlyThatTrialOut()
    {
        var ledger = new TrialLedger(_dir);
        ledger.Append(Entry("tune", 1));
        File.AppendAllText(ledger.FilePath, """{"phase":"tune","trial":"nadamw/fm""");

        Assert.Equal(["nadamw/fmnist_mlp/study_0/trial_1"], ledger.Read().Select(e => e.Trial));
    }

    [Theory]
    [InlineData("""{"phase":"tune"}""", "field 'trial' is missing")]
    [InlineData("""{"phase":"tune","trial":"t","directory":"d","reason":"max_steps","steps":"many","evals":1,"submission_time_s":1,"best_validation":null,"wall_s":1,"threads":null,"finished":"2026-12-01T11:30:05Z"}""", "field 'steps' has the wrong type (\"many\")")]
    [InlineData("not json", "not a JSON object")]
    [InlineData("[1]", "not a JSON object")]
    public void Read_MalformedLineBeforeTheLast_ThrowsNamingFileLineAndField(string line, string message)
    {
        var ledger = new TrialLedger(_dir);
        ledger.Append(Entry("tune", 1));
        File.AppendAllText(ledger.FilePath, line + "\n");
        ledger.Append(Entry("tune", 2));

        var e = Assert.Throws<InvalidDataException>(ledger.Read);

        Assert.StartsWith($"{ledger.FilePath}:2: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
