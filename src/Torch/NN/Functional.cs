using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch.NN;

/// <summary>
/// <c>torch.nn.functional</c>: stateless layers. Optional tensors (bias, weights) may be null. The file is split by
/// concern: layers here, activations and dropout in <c>Functional.Activations.cs</c>, losses in <c>Functional.Losses.cs</c>.
/// </summary>
public static partial class Functional
{
    /// <summary><c>x W^T + b</c>.</summary>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        var status = NativeMethods.ats_nn_linear(input.Handle, weight.Handle, Tensor.HandleOf(bias), out var h);
        return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_nn_linear));
    }

    /// <summary>2-d convolution of NCHW input with an (out, in/groups, kh, kw) weight.</summary>
    public static unsafe Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, (long H, long W)? stride = null,
        (long H, long W)? padding = null, (long H, long W)? dilation = null, long groups = 1)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        var s = Pair(stride, 1);
        var p = Pair(padding, 0);
        var d = Pair(dilation, 1);
        var status = NativeMethods.ats_nn_conv2d(input.Handle, weight.Handle, Tensor.HandleOf(bias), &s.H, &p.H, &d.H, groups, out var h);
        return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_nn_conv2d));
    }

    /// <summary>2-d transposed convolution with an (in, out/groups, kh, kw) weight.</summary>
    public static unsafe Tensor ConvTranspose2d(Tensor input, Tensor weight, Tensor? bias = null, (long H, long W)? stride = null,
        (long H, long W)? padding = null, (long H, long W)? outputPadding = null, long groups = 1, (long H, long W)? dilation = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        var s = Pair(stride, 1);
        var p = Pair(padding, 0);
        var o = Pair(outputPadding, 0);
        var d = Pair(dilation, 1);
        var status = NativeMethods.ats_nn_conv_transpose2d(input.Handle, weight.Handle, Tensor.HandleOf(bias), &s.H, &p.H, &o.H, groups, &d.H, out var h);
        return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_nn_conv_transpose2d));
    }

    /// <summary>2-d max pooling; the stride defaults to the kernel size.</summary>
    public static unsafe Tensor MaxPool2d(Tensor input, (long H, long W) kernel, (long H, long W)? stride = null,
        (long H, long W)? padding = null, (long H, long W)? dilation = null, bool ceilMode = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        var k = Pair(kernel, 0);
        var s = Pair(stride ?? kernel, 0);
        var p = Pair(padding, 0);
        var d = Pair(dilation, 1);
        var status = NativeMethods.ats_nn_pool2d(0, input.Handle, &k.H, &s.H, &p.H, &d.H, ceilMode ? 1 : 0, 0, out var h);
        return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_nn_pool2d));
    }

    /// <summary>2-d average pooling; the stride defaults to the kernel size.</summary>
    public static unsafe Tensor AvgPool2d(Tensor input, (long H, long W) kernel, (long H, long W)? stride = null,
        (long H, long W)? padding = null, bool ceilMode = false, bool countIncludePad = true)
    {
        ArgumentNullException.ThrowIfNull(input);
        var k = Pair(kernel, 0);
        var s = Pair(stride ?? kernel, 0);
        var p = Pair(padding, 0);
        var d = Pair(null, 1);
        var status = NativeMethods.ats_nn_pool2d(1, input.Handle, &k.H, &s.H, &p.H, &d.H, ceilMode ? 1 : 0, countIncludePad ? 1 : 0, out var h);
        return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_nn_pool2d));
    }

    /// <summary>Average pooling to a fixed output size.</summary>
    public static unsafe Tensor AdaptiveAvgPool2d(Tensor input, (long H, long W) outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = Pair(outputSize, 0);
        var status = NativeMethods.ats_nn_adaptive_avg_pool2d(input.Handle, &o.H, out var h);
        return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_nn_adaptive_avg_pool2d));
    }

    /// <summary>
    /// Batch normalisation over dim 1. Training normalises with batch statistics and updates the running ones in
    /// place (<c>running = (1 - momentum) * running + momentum * batch</c>, unbiased variance); evaluation uses the
    /// running statistics.
    /// </summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        var status = NativeMethods.ats_nn_batch_norm(input.Handle, Tensor.HandleOf(weight), Tensor.HandleOf(bias), Tensor.HandleOf(runningMean),
            Tensor.HandleOf(runningVar), training ? 1 : 0, momentum, eps, out var h);
        return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_nn_batch_norm));
    }

    /// <summary>Layer normalisation over the trailing <paramref name="normalizedShape"/> dims.</summary>
    public static unsafe Tensor LayerNorm(Tensor input, long[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        fixed (long* s = normalizedShape)
        {
            var status = NativeMethods.ats_nn_layer_norm(input.Handle, s, normalizedShape.Length, Tensor.HandleOf(weight), Tensor.HandleOf(bias), eps, out var h);
            return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_nn_layer_norm));
        }
    }

    /// <summary>Rows of <paramref name="weight"/> at <paramref name="indices"/>; the row <paramref name="paddingIndex"/> gets no gradient.</summary>
    public static Tensor Embedding(Tensor indices, Tensor weight, long paddingIndex = -1)
    {
        ArgumentNullException.ThrowIfNull(indices);
        ArgumentNullException.ThrowIfNull(weight);
        var status = NativeMethods.ats_nn_embedding(weight.Handle, indices.Handle, paddingIndex, out var h);
        return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_nn_embedding));
    }

    /// <summary>Constant padding; <paramref name="pads"/> are (before, after) pairs from the last dim backwards (<c>F.pad</c>).</summary>
    public static unsafe Tensor Pad(Tensor input, long[] pads, double value = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(pads);
        fixed (long* p = pads)
        {
            var status = NativeMethods.ats_nn_pad(input.Handle, p, pads.Length, value, out var h);
            return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_nn_pad));
        }
    }

    /// <summary>Resizes NCHW input to <paramref name="size"/>, nearest-neighbour or bilinear (<c>F.interpolate</c>).</summary>
    public static unsafe Tensor Interpolate(Tensor input, (long H, long W) size, bool bilinear = false, bool alignCorners = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        var s = Pair(size, 0);
        var status = NativeMethods.ats_nn_upsample2d(input.Handle, &s.H, bilinear ? 1 : 0, alignCorners ? 1 : 0, out var h);
        return Tensor.FromHandle(status, h, nameof(NativeMethods.ats_nn_upsample2d));
    }

    // A pair as a 2-element native array; the buffer lives in the returned struct, which stays on the caller's stack.
    private static PairBuffer Pair((long H, long W)? value, long fallback) =>
        value is { } v ? new PairBuffer(v.H, v.W) : new PairBuffer(fallback, fallback);
}
