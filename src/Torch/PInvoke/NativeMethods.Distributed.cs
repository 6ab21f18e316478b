using System.Runtime.InteropServices;
using AlgoPerf.Torch.Distributed;

namespace AlgoPerf.Torch.PInvoke;

/// <summary>Exports of <c>native/src/distributed.cpp</c>: the TCPStore and the Gloo process group.</summary>
internal static partial class NativeMethods
{
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ats_dist_store_create(string host, int port, int isServer, int worldSize, long timeoutMs, out int actualPort, out StoreHandle result);

    [LibraryImport(Lib)]
    internal static partial void ats_dist_store_free(IntPtr store);

    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int ats_dist_gloo_create(StoreHandle store, int rank, int size, string deviceHost, long timeoutMs, out ProcessGroupHandle result);

    [LibraryImport(Lib)]
    internal static partial void ats_dist_pg_free(IntPtr pg);

    [LibraryImport(Lib)]
    internal static partial int ats_dist_pg_rank(ProcessGroupHandle pg);

    [LibraryImport(Lib)]
    internal static partial int ats_dist_pg_size(ProcessGroupHandle pg);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_dist_allreduce(ProcessGroupHandle pg, IntPtr* tensors, long n, int op, long timeoutMs);

    [LibraryImport(Lib)]
    internal static unsafe partial int ats_dist_broadcast(ProcessGroupHandle pg, IntPtr* tensors, long n, int root, long timeoutMs);

    [LibraryImport(Lib)]
    internal static partial int ats_dist_barrier(ProcessGroupHandle pg, long timeoutMs);
}
