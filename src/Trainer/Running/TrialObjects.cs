using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Checkpoints;
using AlgoPerf.Trainer.Models;
using AlgoPerf.Trainer.Submissions;
using AlgoPerf.Trainer.Timing;
using AlgoPerf.Trainer.Workloads;

namespace AlgoPerf.Trainer.Running;

/// <summary>
/// The objects one trial trains: the model, the training input and the optimizer state, built from the trial's seeds
/// before the clock starts, restorable from and savable into a checkpoint.
/// </summary>
internal sealed class TrialObjects : IDisposable
{
    private const string DefaultGeneratorSection = "rng.torch_default";

    private TrialObjects(WorkloadModel model, TrainingInput input, IOptimizerState optimizerState)
    {
        Model = model;
        Input = input;
        OptimizerState = optimizerState;
    }

    public WorkloadModel Model { get; }

    public TrainingInput Input { get; }

    public IOptimizerState OptimizerState { get; set; }

    /// <summary>The reference's order: input pipeline (rank <paramref name="rank"/>'s shard in a gang of <paramref name="ranks"/>), model init, optimizer init.</summary>
    public static TrialObjects Build(Workload workload, ISubmission submission, Hyperparameters? hyperparameters, int batchSize, TrialSeeds seeds, int rank = 0, int ranks = 1)
    {
        var input = workload.BuildInputQueue(seeds.Data, batchSize, rank, ranks);
        var model = workload.InitModel(seeds.ModelInit);
        try
        {
            var state = submission.InitOptimizerState(workload, model, hyperparameters, seeds.OptimizerInit);
            return new TrialObjects(model, input, state);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Restores model, optimizer state, default generator and input position; every mismatch names the file and field.</summary>
    public void Restore(LoadedCheckpoint checkpoint)
    {
        var reader = checkpoint.Reader;
        reader.Component("model", new ModuleState(Model));

        var optimizer = reader.Prefixed("optimizer");
        var tensors = optimizer.TensorNames().Select(n => KeyValuePair.Create(n, optimizer.Tensor(n))).ToList();
        var scalars = new List<KeyValuePair<string, double>>();
        foreach (var name in optimizer.ScalarNames())
        {
            scalars.Add(KeyValuePair.Create(name, optimizer.Double(name)));
        }

        try
        {
            OptimizerState.Load(new StateDict(tensors, scalars));
        }
        catch (InvalidDataException e)
        {
            throw new TensorFileCorruptException(checkpoint.Path, "optimizer", e.Message);
        }

        if (reader.Has(DefaultGeneratorSection + ".state"))
        {
            using var generator = Generator.Default;
            reader.Component(DefaultGeneratorSection, new GeneratorState(generator));
        }

        try
        {
            Input.Restore(checkpoint.Header.InputPosition);
        }
        catch (ArgumentException e)
        {
            throw new TensorFileCorruptException(checkpoint.Path, "metadata.input_position", e.Message);
        }
    }

    /// <summary>Fills a checkpoint writer with the model, the optimizer state and the default generator.</summary>
    public void Save(CheckpointWriter writer)
    {
        writer.Component("model", new ModuleState(Model));
        var state = OptimizerState.Save();
        var optimizer = writer.Prefixed("optimizer");
        foreach (var (name, tensor) in state.Tensors)
        {
            optimizer.Tensor(name, tensor);
        }

        foreach (var (name, value) in state.Scalars)
        {
            optimizer.Double(name, value);
        }

        using var generator = Generator.Default;
        writer.Component(DefaultGeneratorSection, new GeneratorState(generator));
    }

    public void Dispose()
    {
        OptimizerState.Dispose();
        Model.Dispose();
    }
}
