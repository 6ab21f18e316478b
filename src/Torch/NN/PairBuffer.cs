using System.Runtime.InteropServices;

namespace AlgoPerf.Torch.NN;

/// <summary>Two longs laid out as a native <c>int64_t[2]</c> (kernel, stride, padding... pairs), kept on the stack.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PairBuffer
{
    public long H;
    public long W;

    public PairBuffer(long h, long w)
    {
        H = h;
        W = w;
    }
}
