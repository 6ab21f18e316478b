using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace AlgoPerf.Trainer.Distributed;

/// <summary>The C API of <c>libalgoperf_gloo.so</c> (native/gloo/algoperf_gloo.h): extern declarations only.</summary>
internal static unsafe partial class GlooNative
{
    /// <summary>Bytes of the buffer every call may write its error message into.</summary>
    public const int ErrorBytes = 2048;

    /// <summary>ALGOPERF_GLOO_OK.</summary>
    public const int Ok = 0;

    /// <summary>ALGOPERF_GLOO_INVALID_ARGUMENT: refused before gloo was called.</summary>
    public const int InvalidArgument = 3;

    static GlooNative() => DistributedLibraries.Register();

    [LibraryImport(DistributedLibraries.Gloo, EntryPoint = "algoperf_gloo_connect", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Connect(
        int rank, int size, string storeHost, int storePort, string keyPrefix, string bindHost, long timeoutMs,
        out GlooContextHandle context, byte* error, nuint errorLength);

    [LibraryImport(DistributedLibraries.Gloo, EntryPoint = "algoperf_gloo_allreduce_f32")]
    public static partial int AllReduceF32(GlooContextHandle context, float* data, nuint count, float scale, byte* error, nuint errorLength);

    [LibraryImport(DistributedLibraries.Gloo, EntryPoint = "algoperf_gloo_allgather")]
    public static partial int AllGather(GlooContextHandle context, void* input, void* output, nuint bytes, byte* error, nuint errorLength);

    [LibraryImport(DistributedLibraries.Gloo, EntryPoint = "algoperf_gloo_broadcast")]
    public static partial int Broadcast(GlooContextHandle context, void* data, nuint bytes, int root, byte* error, nuint errorLength);

    [LibraryImport(DistributedLibraries.Gloo, EntryPoint = "algoperf_gloo_free")]
    public static partial void Free(IntPtr context);

    /// <summary>The NUL-terminated message in an error buffer.</summary>
    public static string Message(byte* error)
    {
        var span = new ReadOnlySpan<byte>(error, ErrorBytes);
        var end = span.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }
}

/// <summary>A connected Gloo context of <c>libalgoperf_gloo.so</c>; released by <c>algoperf_gloo_free</c>.</summary>
internal sealed class GlooContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Created by the marshaller.</summary>
    public GlooContextHandle()
        : base(ownsHandle: true)
    {
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        GlooNative.Free(handle);
        return true;
    }
}
