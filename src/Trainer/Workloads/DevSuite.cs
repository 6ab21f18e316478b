using AlgoPerf.Contracts.Rules;
using TorchSharp;
using static TorchSharp.torch;
using AlgoPerf.Trainer.Data;
using AlgoPerf.Trainer.Models;

namespace AlgoPerf.Trainer.Workloads;

/// <summary>
/// The dev suite: each workload's model (with the layers and parameter counts of the PyTorch peer,
/// <c>benchmarks/peers/torch_step_bench.py</c>), the peer's benchmark batch size and a random batch of the peer's
/// shapes, and the full workload over its data (<see cref="Load"/>).
/// </summary>
public static class DevSuite
{
    /// <summary>Train, validation and test sizes of the synthetic click data.</summary>
    public static readonly (int Train, int Validation, int Test) DlrmSizes = (200_000, 20_000, 20_000);

    /// <summary>Every dev-suite workload name, bases first then their variants.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "fmnist_mlp", "fmnist_resnet", "fmnist_vit", "lm_transformer", "dlrm_synth", "unet_denoise",
        "fmnist_mlp_gelu", "fmnist_resnet_silu", "fmnist_vit_post_ln", "lm_transformer_post_ln", "dlrm_synth_layernorm", "unet_denoise_tanh",
    ];

    /// <summary>The model of <paramref name="name"/>, initialised from <paramref name="generator"/>.</summary>
    public static WorkloadModel CreateModel(string name, Generator generator) => name switch
    {
        "fmnist_mlp" => new MlpModel(generator),
        "fmnist_mlp_gelu" => new MlpModel(generator, Activation.Gelu),
        "fmnist_resnet" => new ResNetModel(generator),
        "fmnist_resnet_silu" => new ResNetModel(generator, Activation.Silu),
        "fmnist_vit" => new VitModel(generator),
        "fmnist_vit_post_ln" => new VitModel(generator, postLn: true),
        "lm_transformer" => new LmModel(generator),
        "lm_transformer_post_ln" => new LmModel(generator, postLn: true),
        "dlrm_synth" => new DlrmModel(generator),
        "dlrm_synth_layernorm" => new DlrmModel(generator, layerNorm: true),
        "unet_denoise" => new UNetModel(generator),
        "unet_denoise_tanh" => new UNetModel(generator, Activation.Tanh),
        _ => throw new ArgumentException($"unknown dev-suite workload '{name}'; known: {string.Join(", ", Names)}", nameof(name)),
    };

    /// <summary>The peer benchmark's batch size for the family of <paramref name="name"/> (the U-Net, which the peer lacks: 64).</summary>
    public static int BenchBatchSize(string name) => Family(name) switch
    {
        "lm_transformer" => 32,
        "dlrm_synth" => 512,
        "unet_denoise" => 64,
        _ => 128,
    };

    /// <summary>
    /// A batch of random inputs and targets of the workload's shapes, as the peer benchmark draws them
    /// (standard-normal images, uniform class indices, tokens and categories, 0/1 clicks; for the U-Net
    /// standard-normal noisy images and uniform [0, 1) clean ones).
    /// </summary>
    public static Batch RandomBatch(string name, int batchSize, Generator generator)
    {
        long b = batchSize;
        return Family(name) switch
        {
            "lm_transformer" => new Batch([torch.randint(0, 256, [b, LmModel.Context], generator: generator)], torch.randint(0, 256, [b, LmModel.Context], generator: generator)),
            "dlrm_synth" => new Batch(
                [torch.randn([b, DlrmModel.DenseFeatures], generator: generator), torch.randint(0, DlrmModel.Vocabulary, [b, DlrmModel.CategoricalFeatures], generator: generator)],
                torch.randint(0, 2, [b], generator: generator).to(ScalarType.Float32)),
            "unet_denoise" => new Batch([torch.randn([b, 1, 28, 28], generator: generator)], torch.rand([b, 1, 28, 28], generator: generator)),
            _ => new Batch([torch.randn([b, 1, 28, 28], generator: generator)], torch.randint(0, 10, [b], generator: generator)),
        };
    }

    /// <summary>
    /// The workload <paramref name="name"/> over its data: Fashion-MNIST from <paramref name="fashionMnistDirectory"/>,
    /// the fortunes from <paramref name="fortunesDirectory"/>, or the generated click data.
    /// </summary>
    /// <param name="name">The dev-suite workload.</param>
    /// <param name="fashionMnistDirectory">Where Debian's dataset-fashion-mnist files are.</param>
    /// <param name="fortunesDirectory">Where Debian's fortunes files are.</param>
    /// <param name="spec">Targets, budget and eval period of a rules version that redefines them (a custom suite); the dev suite's own when null.</param>
    public static Workload Load(string name, string fashionMnistDirectory = FashionMnist.DefaultDirectory, string fortunesDirectory = FortuneCorpus.DefaultDirectory, WorkloadSpec? spec = null)
    {
        var devSpec = DevSuiteSpecs.Get(name);
        if (spec is not null && spec.Name != devSpec.Name)
        {
            throw new ArgumentException($"spec '{spec.Name}' given for workload '{name}'", nameof(spec));
        }

        spec ??= devSpec;
        return Family(name) switch
        {
            "lm_transformer" => new LanguageModelWorkload(spec, FortuneCorpus.Load(fortunesDirectory, LmModel.Context), postLn: name.EndsWith("_post_ln", StringComparison.Ordinal)),
            "dlrm_synth" => new DlrmWorkload(spec, DlrmSynthetic.Generate(DlrmSizes.Train, DlrmSizes.Validation, DlrmSizes.Test), layerNorm: name.EndsWith("_layernorm", StringComparison.Ordinal)),
            "unet_denoise" => new DenoisingWorkload(spec, FashionMnist.Load(fashionMnistDirectory), name.EndsWith("_tanh", StringComparison.Ordinal) ? Activation.Tanh : Activation.LeakyRelu),
            _ => new ImageClassificationWorkload(spec, FashionMnist.Load(fashionMnistDirectory), g => CreateModel(name, g)),
        };
    }

    /// <summary>The base workload of <paramref name="name"/> (itself for a base workload).</summary>
    public static string Family(string name)
    {
        var spec = DevSuiteSpecs.Get(name);
        return spec.BaseName ?? spec.Name;
    }
}
