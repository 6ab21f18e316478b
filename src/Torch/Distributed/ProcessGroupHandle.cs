using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch.Distributed;

/// <summary>Owns a native <c>c10::intrusive_ptr&lt;c10d::ProcessGroup&gt;*</c>.</summary>
internal sealed class ProcessGroupHandle : NativeHandle
{
    protected override void Free(IntPtr native) => NativeMethods.ats_dist_pg_free(native);
}
