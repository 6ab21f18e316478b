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

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Throw(string call)
    {
        var ptr = NativeMethods.ats_last_error();
        var message = ptr == IntPtr.Zero ? "(no message)" : Marshal.PtrToStringUTF8(ptr) ?? "(no message)";
        NativeMethods.ats_clear_error();
        throw new TorchException(ExportName(call), message);
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
