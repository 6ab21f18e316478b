using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Workloads;

/// <summary>
/// What <c>loss_fn</c> returns (the reference's dict <c>{summed, n_valid_examples, per_example}</c>): no
/// regularisation, not synchronised across devices. The mean loss a submission differentiates is
/// <c>Summed / NValidExamples</c>.
/// </summary>
/// <param name="Summed">The sum of the per-example (for the LM: per-token) losses, masked.</param>
/// <param name="NValidExamples">The number of examples (tokens) that count: the mask's sum, or all of them.</param>
/// <param name="PerExample">The masked per-example (per-token) losses.</param>
public sealed record LossResult(Tensor Summed, double NValidExamples, Tensor PerExample)
{
    /// <summary>The mean loss <c>Summed / NValidExamples</c> (a new tensor in the autograd graph).</summary>
    public Tensor Mean() => Summed.div(Scalars.Of(NValidExamples));
}
