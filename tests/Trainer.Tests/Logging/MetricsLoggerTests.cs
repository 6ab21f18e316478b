using AlgoPerf.Trainer.Logging;
using AlgoPerf.Trainer.Tests.Timing;
using AlgoPerf.Trainer.Timing;

namespace AlgoPerf.Trainer.Tests.Logging;

public sealed class MetricsLoggerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("metrics-logger-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// A 4-step trial (1 s steps, eval period 3 s) whose submission logs loss and grad_norm at steps 0 and 2, as the
    /// baselines do through <c>workload.metrics_logger</c>; evals happen after steps 1 and 4; then the final row.
    /// </summary>
    private MetricsLogger RunTrial()
    {
        var logger = new MetricsLogger(_dir);
        var trial = new FakeTrial
        {
            UpdateSec = 1,
            Metrics = _ => new Dictionary<string, double>
            {
                ["train/loss"] = 0.5, ["validation/loss"] = 0.25, ["validation/num_examples"] = 5000, ["test/loss"] = 0.125, ["test/num_examples"] = 10000,
            },
            OnUpdate = ctx =>
            {
                if (ctx.GlobalStep % 2 == 0)
                {
                    logger.AppendScalarMetrics([new("loss", 2.0), new("grad_norm", 1.5)], ctx.GlobalStep);
                }

                return UpdateResult.NoLoss;
            },
        };
        var outcome = trial.Loop(trial.Clock(new ClockSettings(3, 1000, false, true, MaxGlobalSteps: 4)), afterEval: r => logger.LogEval(r, preemptionCount: 0)).Run();
        logger.LogFinalScore(outcome.Score, outcome.GlobalStep, preemptionCount: 0);
        return logger;
    }

    [Fact]
    public void LogEval_Trial_EvalMeasurementsInReferenceFormat()
    {
        var logger = RunTrial();

        Assert.Equal(
            "accumulated_eval_time,accumulated_logging_time,accumulated_submission_time,global_step,preemption_count,score,test/loss,test/num_examples,total_duration,train/loss,validation/loss,validation/num_examples\n"
            + "0.0,0.0,1.0,1,0,1.0,0.125,10000,1.0,0.5,0.25,5000\n"
            + "0.0,0.0,4.0,4,0,4.0,0.125,10000,4.0,0.5,0.25,5000\n",
            File.ReadAllText(logger.EvalMeasurementsPath));
    }

    [Fact]
    public void LogEval_Trial_ColumnsAreTheReferenceColumnsSortedAlphabetically()
    {
        var logger = RunTrial();
        var columns = MeasurementsTable.Load(logger.EvalMeasurementsPath).Columns;

        // algoperf-rules.md §9: the typical eval_measurements.csv columns (metrics here: loss only).
        string[] reference =
        [
            "accumulated_eval_time", "accumulated_logging_time", "accumulated_submission_time", "global_step", "preemption_count", "score",
            "test/loss", "test/num_examples", "total_duration", "train/loss", "validation/loss", "validation/num_examples",
        ];
        Assert.Equal(reference, columns);
        Assert.Equal(reference.Order(StringComparer.Ordinal), columns);
    }

    [Fact]
    public void AppendScalarMetrics_Trial_MeasurementsHoldSubmissionEvalAndFinalRows()
    {
        var logger = RunTrial();

        Assert.Equal(
            "global_step,grad_norm,loss,train/loss,validation/loss,validation/num_examples,test/loss,test/num_examples,score,total_duration,accumulated_submission_time,accumulated_eval_time,accumulated_logging_time,preemption_count\n"
            + "0,1.5,2.0,,,,,,,,,,,\n"
            + "1,,,0.5,0.25,5000.0,0.125,10000.0,1.0,1.0,1.0,0.0,0.0,0.0\n"
            + "2,1.5,2.0,,,,,,,,,,,\n"
            + "4,,,0.5,0.25,5000.0,0.125,10000.0,4.0,4.0,4.0,0.0,0.0,0.0\n"
            + "4,,,,,,,,4.0,,,,,0.0\n",
            File.ReadAllText(logger.MeasurementsPath));
    }

    [Fact]
    public void Constructor_ExistingFiles_ResumedLoggerAppends()
    {
        var first = RunTrial();
        var before = MeasurementsTable.Load(first.EvalMeasurementsPath).RowCount;

        var resumed = new MetricsLogger(_dir);
        resumed.LogEval(new EvalRecord(9, new Dictionary<string, double> { ["score"] = 9.5 }), preemptionCount: 1);

        var after = MeasurementsTable.Load(resumed.EvalMeasurementsPath);
        Assert.Equal(before + 1, after.RowCount);
        Assert.Equal(LogValue.Of(1), after.Get(before, "preemption_count"));
        Assert.Null(after.Get(before, "test/loss"));
    }

    [Fact]
    public void AppendScalarMetrics_Rewrites_LeaveNoTemporaryFiles()
    {
        RunTrial();
        Assert.Equal([MetricsLogger.EvalMeasurementsFileName, MetricsLogger.MeasurementsFileName], Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Constructor_CorruptExistingCsv_InvalidDataNamingFile()
    {
        File.WriteAllText(Path.Combine(_dir, MetricsLogger.EvalMeasurementsFileName), "a,b\n1\n");
        var e = Assert.Throws<InvalidDataException>(() => new MetricsLogger(_dir));
        Assert.Contains(MetricsLogger.EvalMeasurementsFileName + ":2", e.Message, StringComparison.Ordinal);
    }
}
