using AlgoPerf.Contracts.Ids;
using AlgoPerf.Scorer.Live;
using AlgoPerf.Seed.Monitoring;
using AlgoPerf.Trainer.Actors;
using Spectre.Console.Testing;

namespace AlgoPerf.Seed.Tests.Monitoring;

public sealed class RunConsoleViewTests
{
    private static readonly DateTimeOffset T0 = RunViews.T0;

    // Two submissions on fmnist_mlp: "a" has a running trial with two evals, "b" none.
    private static RunView View() => RunViews.OneRunningTrial(["a", "b"], (1, 0.1, 0.1), (300, 5, 0.8512)).View(T0.AddSeconds(70), live: true);

    [Fact]
    public void Render_RunningTrialWithATrainerAhead_ShowsItsRowWithTheTrainersStepTimeBarMetricScoresAndMessages()
    {
        var trainer = new TrainerStatus("cpu:0", TrainerPhase.Training, new TrialId("a", "fmnist_mlp", 0, 1), 450, 2, 10, 0);
        var console = new TestConsole().Width(160);

        console.Write(RunConsoleView.Render(new LiveSnapshot("qs", View(), [trainer]), ["12:00:01.000 warning: user/x: disk almost full"]));

        var lines = console.Lines;
        Assert.Equal("qs: 0/2 trials ended · 1 running · elapsed 1m10s", lines[0].TrimEnd());
        var row = Assert.Single(lines, l => l.Contains("fmnist_mlp", StringComparison.Ordinal) && l.Contains(" 0/1 ", StringComparison.Ordinal));
        Assert.Contains(" a ", row, StringComparison.Ordinal);
        Assert.Contains(" 450 ", row, StringComparison.Ordinal);
        Assert.Contains("━━━━━━━━━━━━━━━━━━━━ 10/20 s", row, StringComparison.Ordinal);
        Assert.Contains("accuracy 0.8512 / 0.9", row, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("provisional scores (external_tuning): a 0.0000 [0.0000, 1.0000]  b 0.0000 [0.0000, 1.0000]", StringComparison.Ordinal));
        Assert.Equal("12:00:01.000 warning: user/x: disk almost full", lines[^1].TrimEnd());
    }

    [Fact]
    public void Render_NothingRunning_SaysSo()
    {
        var empty = RunViews.Projection("a").View(T0, live: true);
        var console = new TestConsole().Width(120);

        console.Write(RunConsoleView.Render(new LiveSnapshot("qs", empty, []), []));

        Assert.Contains(console.Lines, l => l.Contains("no trial running", StringComparison.Ordinal));
        Assert.Equal("qs: 0/1 trials ended · 0 running", console.Lines[0].TrimEnd());
    }

    [Fact]
    public void PlainLine_RunningTrial_OneLineWithHeaderScoresAndTheTrialsProgress()
    {
        var line = RunConsoleView.PlainLine(new LiveSnapshot("qs", View(), []));

        Assert.Equal(
            "qs: 0/2 trials ended · 1 running · elapsed 1m10s | provisional scores (external_tuning): a 0.0000 [0.0000, 1.0000]  b 0.0000 [0.0000, 1.0000] | a/fmnist_mlp/study_0/trial_1 step 300 5/20s accuracy 0.8512/0.9",
            line);
    }
}
