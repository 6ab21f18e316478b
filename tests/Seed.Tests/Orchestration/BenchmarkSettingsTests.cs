using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Rules;
using AlgoPerf.Contracts.Scoring;
using AlgoPerf.Seed.Orchestration;
using AlgoPerf.Tests.Shared;
using AlgoPerf.Trainer.Workloads;
using AlgoPerf.Tuner.Plans;

namespace AlgoPerf.Seed.Tests.Orchestration;

public sealed class BenchmarkSettingsTests
{
    [Fact]
    public void FromConfig_Quickstart_TwoBaselinesOnThreeWorkloadsUnderExternalTuningWithTwoStudiesOfTwoTrials()
    {
        var s = Bind(HoconFile("quickstart.conf"));

        // The shape issue 23 asks of the main job: at least 2 submissions x 3 workloads (fmnist_mlp, dlrm_synth and one
        // more), external tuning, at least 2 studies x 2 trials, so the scores and the profile say something.
        Assert.Equal("quickstart", s.Name);
        Assert.Equal("/work/runs/quickstart", s.RunDirectory);
        Assert.Equal("quickstart", s.Rules.Name);
        Assert.Equal(Ruleset.ExternalTuning, s.Ruleset);
        Assert.Equal(["nadamw", "momentum"], s.Submissions);
        Assert.Equal(["fmnist_mlp", "dlrm_synth", "fmnist_resnet"], s.Workloads);
        Assert.All(s.Workloads, w => Assert.False(s.Rules.Workload(w).IsVariant));
        Assert.Equal((0UL, StudyPointPolicy.Reference, StudySelectionRule.Reference, false), (s.RunSeed, s.PointPolicy, s.Selection, s.EarlyStopping));
        Assert.Equal((2, 1, 1), (s.Trainers, s.Threads, s.CheckpointEveryEvals));
        Assert.Equal((2, 2), (s.Rules.Studies(Ruleset.ExternalTuning), s.Rules.Trials(Ruleset.ExternalTuning)));
        var budgets = s.Workloads.Select(w => s.Rules.Workload(w)).Select(w => (w.Name, w.MaxRuntimeSec, w.EvalPeriodSec, w.ValidationTarget, w.TestTarget)).ToList();
        Assert.Equal(
            [("fmnist_mlp", 15.0, 3.0, 0.89, 0.875), ("dlrm_synth", 20.0, 4.0, 0.65, 0.655), ("fmnist_resnet", 30.0, 10.0, 0.50, 0.49)],
            budgets);
        // 24 trials whose budgets fit the 10-minute goal on 2 trainers even at twice their submission time in wall time.
        var trials = s.Submissions.Count * s.Rules.Studies(s.Ruleset) * s.Rules.Trials(s.Ruleset);
        Assert.True(s.Workloads.Sum(w => s.Rules.Budget(s.Rules.Workload(w), s.Ruleset)) * trials * 2 / s.Trainers <= 600);
    }

    [Fact]
    public void FromConfig_GangKeys_BoundIntoGangSettingsAndKeptInTheManifestForResume()
    {
        var dir = Directory.CreateTempSubdirectory("bench-settings-");
        try
        {
            var file = Path.Combine(dir.FullName, "run.conf");
            File.WriteAllText(file, $"include \"{HoconFile("quickstart.conf")}\"\nalgoperf.benchmark {{ devices-per-trial = 2, gang-timeout = 45s, gang-restarts = 1, gang-reducer = gloo, run-dir = \"{dir.FullName}/run\" }}\n");

            var settings = BenchmarkSettings.FromConfig(AlgoPerfConfig.Load(file), file, dir.FullName);

            Assert.Equal(new GangSettings(2, TimeSpan.FromSeconds(45), 1, AcrossHosts: false, "gloo"), settings.Gangs);
            Assert.Equal(GangSettings.OneDevice with { Timeout = TimeSpan.FromSeconds(120) }, GangSettings.OneDevice);
            RunManifest.WriteOrVerify(settings);
            Assert.Equal(settings.Gangs, RunManifest.Read(settings.RunDirectory).Gangs);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void FromConfig_EveryHoconFileThatNamesSubmissions_Binds()
    {
        var bound = new List<string>();
        foreach (var file in Directory.GetFiles(HoconDirectory(), "*.conf").Order(StringComparer.Ordinal))
        {
            var config = AlgoPerfConfig.Load(file);
            if (config.GetStringList("algoperf.benchmark.submissions").Count == 0)
            {
                continue;
            }

            var s = BenchmarkSettings.FromConfig(config, file, "/work");
            Assert.NotEmpty(s.Workloads);
            bound.Add(Path.GetFileName(file));
        }

        Assert.Contains("quickstart.conf", bound);
        Assert.Contains("dev-suite.conf", bound);
        var dev = Bind(HoconFile("dev-suite.conf"));
        Assert.Equal(("dev-suite", "dev-cpu", 6, 3), (dev.Name, dev.Rules.Name, dev.Workloads.Count, dev.Rules.Trials(Ruleset.ExternalTuning)));
    }

    [Fact]
    public void ProvisionalWorkloads_DevSuiteAndQuickstart_ListOnlyDevSuiteDefaultsNotYetMeasured()
    {
        var dev = Bind(HoconFile("dev-suite.conf"));
        var quickstart = Bind(HoconFile("quickstart.conf"));

        Assert.Empty(dev.ProvisionalWorkloads); // every dev-suite workload is measured (docs/targets.md "Status")
        Assert.Empty(quickstart.ProvisionalWorkloads); // its own targets and budget for fmnist_mlp
    }

    [Theory]
    [InlineData("lm_transformer_post_ln {}", true)]
    [InlineData("lm_transformer_post_ln { validation-target = 2.4, test-target = 2.4 }", false)]
    [InlineData("lm_transformer_post_ln { max-runtime = 100s }", false)]
    public void ProvisionalAmong_ProvisionalDevSuiteWorkload_ListedUnlessItsRulesSetTheirOwnTargetsOrBudget(string entry, bool listed)
    {
        // Every dev-suite workload is measured today (DevSuiteSpecs.Provisional is empty); the listing rule is tested
        // with lm_transformer_post_ln taken as a provisional one, as a workload new to the suite would be.
        var config = AlgoPerfConfig.Parse(
            "algoperf.benchmark { name = x, rules = mine, submissions = [nadamw], workloads = [fmnist_mlp, lm_transformer_post_ln] }\n" +
            "algoperf.rules.mine { clock-from = v0.6, studies-external = 1, studies-self-tuning = 1, trials-per-study = 1, " +
            // One workload per line: Akka's HOCON parser does not take a comma after an empty object ({},).
            $"self-tuning-budget-factor = 1.5, workloads {{\n fmnist_mlp {{}}\n {entry}\n }} }}");

        var s = BenchmarkSettings.FromConfig(config, "mine.conf", "/work");

        Assert.Equal(listed ? ["lm_transformer_post_ln"] : Array.Empty<string>(), s.ProvisionalAmong(w => w == "lm_transformer_post_ln"));
    }

    [Theory]
    [InlineData("workloads = [imagenet_resnet]", "algoperf.benchmark.workloads: 'imagenet_resnet' is not a workload of rules quickstart")]
    [InlineData("rules = v9", "algoperf.benchmark.rules: unknown rules version 'v9'")]
    [InlineData("ruleset = semi_tuning", "algoperf.benchmark.ruleset:")]
    [InlineData("submissions = []", "algoperf.benchmark.submissions: needs at least one submission")]
    [InlineData("trainers = 0", "algoperf.benchmark.trainers: must be at least 1")]
    [InlineData("seed = -3", "algoperf.benchmark.seed: must be a non-negative integer")]
    [InlineData("search-spaces { adamw = x.json }", "algoperf.benchmark.search-spaces.adamw: is not one of the benchmark's submissions")]
    [InlineData("trainers = two", "algoperf.benchmark.trainers: must be an integer (got two)")]
    [InlineData("early-stopping = maybe", "algoperf.benchmark.early-stopping: must be a boolean (on/off) (got maybe)")]
    [InlineData("workloads = fmnist_mlp", "algoperf.benchmark.workloads: must be a list of strings [a, b] (got fmnist_mlp)")]
    [InlineData("devices-per-trial = 3", "algoperf.benchmark.devices-per-trial: is 3, and the run has 2 trainers: a trial's gang needs that many (raise trainers)")]
    [InlineData("devices-per-trial = 0", "algoperf.benchmark.devices-per-trial: must be at least 1")]
    [InlineData("gang-reducer = mpi", "algoperf.benchmark.gang-reducer: must be auto, inprocess, gloo or nccl (got 'mpi')")]
    [InlineData("gang-timeout = 0s", "algoperf.benchmark.gang-timeout: must be positive")]
    public void FromConfig_InvalidSetting_NamesFileAndKey(string line, string expected)
    {
        var dir = Directory.CreateTempSubdirectory("bench-settings-");
        try
        {
            var file = Path.Combine(dir.FullName, "run.conf");
            File.WriteAllText(file, $"include \"{HoconFile("quickstart.conf")}\"\nalgoperf.benchmark {{\n  {line}\n}}\n");

            var e = Assert.Throws<InvalidDataException>(() => BenchmarkSettings.FromConfig(AlgoPerfConfig.Load(file), file, dir.FullName));

            Assert.StartsWith($"{file}: {expected}", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void FromConfig_InvalidCustomRules_NamesTheVersionAndField()
    {
        var config = AlgoPerfConfig.Parse(
            "algoperf.benchmark { name = x, rules = mine, submissions = [nadamw], workloads = [fmnist_mlp] }\n" +
            "algoperf.rules.mine { clock-from = v0.6, studies-external = 0, studies-self-tuning = 1, trials-per-study = 1, self-tuning-budget-factor = 1.5, workloads { fmnist_mlp {} } }");

        var e = Assert.Throws<InvalidDataException>(() => BenchmarkSettings.FromConfig(config, "bad.conf", "/work"));

        Assert.Equal("bad.conf: algoperf.rules.mine: rules 'mine': studies_external: must be at least 1 (got 0)", e.Message);
    }

    [Fact]
    public void FromConfig_DeviceNeitherCpuNorCuda_NamesFileAndKey()
    {
        var config = AlgoPerfConfig.Parse($"include \"{HoconFile("quickstart.conf")}\"\nalgoperf.benchmark.device = gpu");

        var e = Assert.Throws<InvalidDataException>(() => BenchmarkSettings.FromConfig(config, "bad.conf", "/work"));

        Assert.Equal("bad.conf: algoperf.benchmark.device: must be cpu or cuda (got 'gpu')", e.Message);
    }

    [Fact]
    public void Devices_CudaAskedAndTwoVisible_OneTrainerPerDeviceWhateverTrainersSays()
    {
        var settings = Bind(HoconFile("quickstart.conf")) with { Device = "cuda", Trainers = 3 };
        var logger = new ListLogger();

        Assert.Equal(["cuda:0", "cuda:1"], TrainerBinding.Devices(settings, cudaDevices: 2, logger));
        Assert.Empty(logger.Warnings);
    }

    [Fact]
    public void Devices_CudaAskedAndNoneVisible_CpuTrainersAndAWarning()
    {
        var settings = Bind(HoconFile("quickstart.conf")) with { Device = "cuda", Trainers = 2 };
        var logger = new ListLogger();

        Assert.Equal(["cpu:0", "cpu:1"], TrainerBinding.Devices(settings, cudaDevices: 0, logger));
        Assert.Equal(["device = cuda, but LibTorch sees no CUDA device (a CPU build of TorchSharp, or no GPU): 2 trainer(s) on the CPU"], logger.Warnings);
    }

    [Fact]
    public void Devices_CpuWithCudaVisible_StaysOnTheCpu()
    {
        var settings = Bind(HoconFile("quickstart.conf"));

        Assert.Equal("cpu", settings.Device);
        Assert.Equal(["cpu:0", "cpu:1"], TrainerBinding.Devices(settings, cudaDevices: 4, new ListLogger()));
    }

    [Fact]
    public void FromConfig_RunDirUnset_DefaultsToRunsSlashTheName()
    {
        var s = BenchmarkSettings.FromConfig(
            AlgoPerfConfig.Parse($"include \"{HoconFile("quickstart.conf")}\"\nalgoperf.benchmark.name = mine"),
            "mine.conf",
            "/work");

        Assert.Equal("/work/runs/mine", s.RunDirectory);
    }

    internal static BenchmarkSettings Bind(string file, string baseDirectory = "/work") =>
        BenchmarkSettings.FromConfig(AlgoPerfConfig.Load(file), file, baseDirectory);

    internal static string HoconFile(string name) => Path.Combine(HoconDirectory(), name);

    private static string HoconDirectory() => RepositoryPaths.Hocon;

    /// <summary>Keeps the warnings logged.</summary>
    private sealed class ListLogger : Microsoft.Extensions.Logging.ILogger
    {
        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == Microsoft.Extensions.Logging.LogLevel.Warning)
            {
                Warnings.Add(formatter(state, exception));
            }
        }
    }
}
