namespace AlgoPerf.Torch;

/// <summary>Where a tensor lives; values are c10's <c>DeviceType</c> codes.</summary>
public enum DeviceType
{
    /// <summary>Host memory.</summary>
    Cpu = 0,

    /// <summary>An NVIDIA GPU (needs a CUDA build of libtorch).</summary>
    Cuda = 1,
}
