using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace AlgoPerf.Trainer.Distributed;

/// <summary>NCCL (<c>libnccl.so.2</c>, 2.14 or later), the CUDA runtime and one LibTorchSharp export: extern declarations only.</summary>
internal static unsafe partial class NcclNative
{
    /// <summary>ncclSuccess.</summary>
    public const int Success = 0;

    /// <summary>ncclInProgress: a non-blocking communicator's call still runs.</summary>
    public const int InProgress = 7;

    /// <summary>ncclUint8.</summary>
    public const int Uint8 = 1;

    /// <summary>ncclInt64.</summary>
    public const int Int64 = 4;

    /// <summary>ncclFloat32.</summary>
    public const int Float32 = 7;

    /// <summary>ncclFloat64.</summary>
    public const int Float64 = 8;

    /// <summary>ncclAvg (NCCL 2.10+).</summary>
    public const int Avg = 4;

    /// <summary>cudaSuccess.</summary>
    public const int CudaSuccess = 0;

    /// <summary>cudaErrorNotReady: cudaStreamQuery's "still running".</summary>
    public const int CudaNotReady = 600;

    /// <summary>ncclConfig_t's magic (NCCL_CONFIG_INITIALIZER).</summary>
    public const uint ConfigMagic = 0xcafebeef;

    /// <summary>NCCL_VERSION(2, 14, 0): the config fields up to <c>blocking</c>; NCCL gives the later ones their defaults.</summary>
    public const uint ConfigVersion = 21400;

    /// <summary>NCCL_CONFIG_UNDEF_INT.</summary>
    public const int ConfigUndefined = int.MinValue;

    static NcclNative() => DistributedLibraries.Register();

    [LibraryImport(DistributedLibraries.Nccl, EntryPoint = "ncclGetVersion")]
    public static partial int GetVersion(int* version);

    [LibraryImport(DistributedLibraries.Nccl, EntryPoint = "ncclGetUniqueId")]
    public static partial int GetUniqueId(UniqueId* id);

    [LibraryImport(DistributedLibraries.Nccl, EntryPoint = "ncclCommInitRankConfig")]
    public static partial int CommInitRankConfig(IntPtr* comm, int nranks, UniqueId id, int rank, Config* config);

    [LibraryImport(DistributedLibraries.Nccl, EntryPoint = "ncclCommGetAsyncError")]
    public static partial int CommGetAsyncError(NcclCommHandle comm, int* asyncError);

    [LibraryImport(DistributedLibraries.Nccl, EntryPoint = "ncclCommGetAsyncError")]
    public static partial int CommGetAsyncError(IntPtr comm, int* asyncError);

    [LibraryImport(DistributedLibraries.Nccl, EntryPoint = "ncclCommAbort")]
    public static partial int CommAbort(IntPtr comm);

    [LibraryImport(DistributedLibraries.Nccl, EntryPoint = "ncclCommDestroy")]
    public static partial int CommDestroy(IntPtr comm);

    [LibraryImport(DistributedLibraries.Nccl, EntryPoint = "ncclGetErrorString")]
    public static partial IntPtr GetErrorString(int result);

    [LibraryImport(DistributedLibraries.Nccl, EntryPoint = "ncclGroupStart")]
    public static partial int GroupStart();

    [LibraryImport(DistributedLibraries.Nccl, EntryPoint = "ncclGroupEnd")]
    public static partial int GroupEnd();

    [LibraryImport(DistributedLibraries.Nccl, EntryPoint = "ncclAllReduce")]
    public static partial int AllReduce(IntPtr sendbuff, IntPtr recvbuff, nuint count, int datatype, int op, NcclCommHandle comm, IntPtr stream);

    [LibraryImport(DistributedLibraries.Nccl, EntryPoint = "ncclBroadcast")]
    public static partial int Broadcast(IntPtr sendbuff, IntPtr recvbuff, nuint count, int datatype, int root, NcclCommHandle comm, IntPtr stream);

    [LibraryImport(DistributedLibraries.Nccl, EntryPoint = "ncclAllGather")]
    public static partial int AllGather(IntPtr sendbuff, IntPtr recvbuff, nuint sendcount, int datatype, NcclCommHandle comm, IntPtr stream);

    [LibraryImport(DistributedLibraries.CudaRuntime, EntryPoint = "cudaSetDevice")]
    public static partial int CudaSetDevice(int device);

    [LibraryImport(DistributedLibraries.CudaRuntime, EntryPoint = "cudaStreamQuery")]
    public static partial int CudaStreamQuery(IntPtr stream);

    [LibraryImport(DistributedLibraries.CudaRuntime, EntryPoint = "cudaGetErrorString")]
    public static partial IntPtr CudaGetErrorString(int error);

    /// <summary>A tensor's data pointer (its storage's plus its offset), as TorchSharp reads it; device memory for CUDA tensors.</summary>
    [LibraryImport("LibTorchSharp", EntryPoint = "THSTensor_data")]
    public static partial IntPtr TensorData(IntPtr tensor);

    /// <summary>ncclUniqueId: 128 opaque bytes.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct UniqueId
    {
        /// <summary>The bytes.</summary>
        public fixed byte Bytes[NcclReducer.UniqueIdBytes];
    }

    /// <summary>The head of ncclConfig_t (NCCL reads <see cref="Size"/> bytes and defaults the fields its <see cref="Version"/> lacks).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Config
    {
        /// <summary>sizeof this struct.</summary>
        public nuint Size;

        /// <summary><see cref="ConfigMagic"/>.</summary>
        public uint Magic;

        /// <summary><see cref="ConfigVersion"/>.</summary>
        public uint Version;

        /// <summary>0: the communicator's calls return ncclInProgress instead of blocking, so a wait can time out and abort.</summary>
        public int Blocking;

        /// <summary>cgaClusterSize (ignored at version 2.14; <see cref="ConfigUndefined"/>).</summary>
        public int CgaClusterSize;
    }
}

/// <summary>An NCCL communicator; released by <c>ncclCommDestroy</c> (an aborted one is marked invalid instead).</summary>
internal sealed class NcclCommHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Wraps <paramref name="comm"/>.</summary>
    public NcclCommHandle(IntPtr comm)
        : base(ownsHandle: true) => SetHandle(comm);

    /// <summary>Aborts the communicator (its kernels stop, its connections close) and releases it.</summary>
    public void Abort()
    {
        if (!IsInvalid && !IsClosed)
        {
            _ = NcclNative.CommAbort(handle);
            SetHandleAsInvalid();
        }
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => NcclNative.CommDestroy(handle) == NcclNative.Success;
}
