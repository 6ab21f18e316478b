using System.Runtime.InteropServices;

namespace AlgoPerf.Torch.PInvoke;

/// <summary>Exports of nn_functional.cpp. Null tensor handles stand for absent optional arguments.</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Lib)]
    internal static partial int ats_nn_linear(IntPtr x, IntPtr w, IntPtr b, out IntPtr result);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_nn_conv2d(IntPtr x, IntPtr w, IntPtr b, long* stride, long* padding, long* dilation, long groups, out IntPtr result);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_nn_conv_transpose2d(IntPtr x, IntPtr w, IntPtr b, long* stride, long* padding, long* outputPadding, long groups, long* dilation, out IntPtr result);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_nn_pool2d(int kind, IntPtr x, long* kernel, long* stride, long* padding, long* dilation, int ceilMode, int countIncludePad, out IntPtr result);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_nn_adaptive_avg_pool2d(IntPtr x, long* outputSize, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_nn_batch_norm(IntPtr x, IntPtr weight, IntPtr bias, IntPtr runningMean, IntPtr runningVar, int training, double momentum, double eps, out IntPtr result);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_nn_layer_norm(IntPtr x, long* shape, long ndim, IntPtr weight, IntPtr bias, double eps, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_nn_embedding(IntPtr weight, IntPtr indices, long paddingIdx, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_nn_dropout(IntPtr x, double p, IntPtr generator, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_nn_softmax(int kind, IntPtr x, long dim, int dtype, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_nn_cross_entropy(IntPtr logits, IntPtr target, IntPtr weight, long reduction, long ignoreIndex, double labelSmoothing, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_nn_nll_loss(IntPtr logProbs, IntPtr target, IntPtr weight, long reduction, long ignoreIndex, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_nn_bce_with_logits(IntPtr logits, IntPtr target, IntPtr weight, IntPtr posWeight, long reduction, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_nn_regression_loss(int kind, IntPtr x, IntPtr y, long reduction, double beta, out IntPtr result);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_nn_pad(IntPtr x, long* pads, long n, double value, out IntPtr result);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_nn_upsample2d(IntPtr x, long* size, int mode, int alignCorners, out IntPtr result);

    [LibraryImport(Lib)]
    internal static partial int ats_nn_leaky_relu(IntPtr x, double slope, out IntPtr result);
}
