using System.Runtime.InteropServices;
using AlgoPerf.Trainer.Distributed;

namespace AlgoPerf.Trainer.Tests.Distributed;

/// <summary>The NCCL reducer on a host without NCCL (every CPU host): its entry points say where it runs. Its collectives need CUDA hosts.</summary>
public sealed class NcclReducerTests
{
    private const string Unavailable = "NCCL is only available on CUDA hosts with the CUDA TorchSharp package (dotnet build -p:TorchBackend=cuda) and NCCL 2.14 or later";

    [WithoutNcclFact]
    public void CreateUniqueId_HostWithoutNccl_PlatformNotSupportedSayingWhereNcclRuns()
    {
        var e = Assert.Throws<PlatformNotSupportedException>(NcclReducer.CreateUniqueId);

        Assert.StartsWith(Unavailable, e.Message, StringComparison.Ordinal);
        Assert.IsType<DllNotFoundException>(e.InnerException);
    }

    [WithoutNcclFact]
    public void Connect_HostWithoutNccl_PlatformNotSupportedSayingWhereNcclRuns()
    {
        var e = Assert.Throws<PlatformNotSupportedException>(() => NcclReducer.Connect(0, 2, new byte[NcclReducer.UniqueIdBytes], TimeSpan.FromSeconds(1)));

        Assert.StartsWith(Unavailable, e.Message, StringComparison.Ordinal);
        Assert.IsType<DllNotFoundException>(e.InnerException);
    }

    /// <summary>A fact for hosts where libnccl.so.2 does not load; skipped where it does.</summary>
    private sealed class WithoutNcclFactAttribute : FactAttribute
    {
        public WithoutNcclFactAttribute()
        {
            if (NativeLibrary.TryLoad("libnccl.so.2", out var nccl))
            {
                NativeLibrary.Free(nccl);
                Skip = "libnccl.so.2 loads here: these tests are for hosts without NCCL";
            }
        }
    }
}
