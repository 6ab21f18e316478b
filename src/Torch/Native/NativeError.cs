using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch;

/// <summary>Turns a failed shim call into a <see cref="TorchException"/> carrying libtorch's message.</summary>
internal static class NativeError
{
    /// <summary>Throws when <paramref name="status"/> is non-zero. Call right after the export, on the same thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Check(int status, [CallerArgumentExpression(nameof(status))] string call = "")
    {
        if (status != 0)
        {
            Throw(call);
        }
    }

    /// <summary>
    /// Throws when <paramref name="status"/> is non-zero, naming the export and the op code of an op family
    /// (e.g. <c>ats_tensor_binary(Mul)</c>). The name is only formatted on failure, so the success path allocates nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void CheckOp<TOp>(int status, string export, TOp op)
        where TOp : struct, Enum
    {
        if (status != 0)
        {
            ThrowOp(export, op);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOp<TOp>(string export, TOp op)
        where TOp : struct, Enum => ThrowExport($"{export}({op})");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(string call) => ThrowExport(ExportName(call));

    private static void ThrowExport(string export)
    {
        var ptr = NativeMethods.ats_last_error();
        var message = ptr == IntPtr.Zero ? "(no message)" : Marshal.PtrToStringUTF8(ptr) ?? "(no message)";
        NativeMethods.ats_clear_error();
        throw new TorchException(export, message);
    }

    // "NativeMethods.ats_tensor_add(a, b, 1, out r)" -> "ats_tensor_add"
    private static string ExportName(string call)
    {
        var start = call.IndexOf("ats_", StringComparison.Ordinal);
        if (start < 0)
        {
            return call;
        }

        var end = call.IndexOf('(', start);
        return end < 0 ? call[start..] : call[start..end];
    }
}
