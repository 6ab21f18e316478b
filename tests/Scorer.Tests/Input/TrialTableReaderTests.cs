using AlgoPerf.Scorer.Input;
using AlgoPerf.Scorer.Model;
using AlgoPerf.Scorer.Tests.Fixtures;

namespace AlgoPerf.Scorer.Tests.Input;

public sealed class TrialTableReaderTests
{
    private const string Header = "ruleset,submission,workload,study,trial,time_to_target_sec,first_hit_eval_index\n";

    [Fact]
    public void Read_Fixture_AllRows()
    {
        var rows = TrialTableReader.Read(FixtureFiles.Trials);

        Assert.Equal(260, rows.Count);
        Assert.Equal(new TrialRecord("external_tuning", "baseline", "criteo1tb", "0", 1, double.PositiveInfinity, null), rows[0]);
    }

    [Fact]
    public void Read_HitRow_TimeAndIndex()
    {
        var rows = TrialTableReader.Read(CsvDocument.Parse("t.csv", Header + "self_tuning,s,wmt,2,1,17656.7119846344,30\n"));

        Assert.Equal(new TrialRecord("self_tuning", "s", "wmt", "2", 1, 17656.7119846344, 30), Assert.Single(rows));
    }

    [Fact]
    public void Read_EmptyTime_IsInfinity()
    {
        var rows = TrialTableReader.Read(CsvDocument.Parse("t.csv", Header + "external_tuning,s,wmt,0,1,,\n"));

        Assert.Equal(double.PositiveInfinity, rows[0].TimeToTargetSec);
    }

    [Fact]
    public void Read_ColumnsInOtherOrderWithExtras_Accepted()
    {
        var csv = CsvDocument.Parse("t.csv", "note,trial,study,workload,submission,ruleset,first_hit_eval_index,time_to_target_sec\nx,2,1,ogbg,s,external_tuning,4,12.5\n");

        Assert.Equal(new TrialRecord("external_tuning", "s", "ogbg", "1", 2, 12.5, 4), Assert.Single(TrialTableReader.Read(csv)));
    }

    [Theory]
    [InlineData("external_tuning,s,wmt,0,1,abc,", "t.csv:2:6: time_to_target_sec: 'abc' is not a number")]
    [InlineData("external_tuning,s,wmt,0,x,inf,", "t.csv:2:5: trial: 'x' is not an integer")]
    [InlineData("external_tuning,s,wmt,0,1,12.5,", "t.csv:2:7: first_hit_eval_index: empty, but time_to_target_sec is finite (a hit needs its eval index)")]
    [InlineData("external_tuning,s,wmt,0,1,inf,3", "t.csv:2:7: first_hit_eval_index: set, but time_to_target_sec is inf (no hit has no eval index)")]
    [InlineData("external_tuning,s,wmt,0,1,-3,1", "t.csv:2:6: time_to_target_sec: '-3' is not a time (expected a non-negative number or inf)")]
    [InlineData("external_tuning,s,wmt,0,1,nan,", "t.csv:2:6: time_to_target_sec: 'nan' is not a time (expected a non-negative number or inf)")]
    [InlineData("external_tuning,,wmt,0,1,inf,", "t.csv:2:2: submission: empty")]
    [InlineData("external_tuning,s,wmt,0,1,5,-1", "t.csv:2:7: first_hit_eval_index: '-1' is negative")]
    public void Read_MalformedRow_ErrorNamesFileLineColumn(string row, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => TrialTableReader.Read(CsvDocument.Parse("t.csv", Header + row + "\n")));

        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Read_MissingColumn_Error()
    {
        var e = Assert.Throws<InvalidDataException>(() => TrialTableReader.Read(CsvDocument.Parse("t.csv", "ruleset,submission\n")));

        Assert.Contains("missing column 'workload'", e.Message, StringComparison.Ordinal);
    }
}
