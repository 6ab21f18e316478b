using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch.Distributed;

/// <summary>Owns a native <c>c10::intrusive_ptr&lt;c10d::Store&gt;*</c>.</summary>
internal sealed class StoreHandle : NativeHandle
{
    protected override void Free(IntPtr native) => NativeMethods.ats_dist_store_free(native);
}
