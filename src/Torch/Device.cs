namespace AlgoPerf.Torch;

/// <summary>A device: a type and, for accelerators, an index (-1: the current one), as <c>torch.device</c>.</summary>
/// <param name="Type">The device type.</param>
/// <param name="Index">The device index; -1 for "current"/none.</param>
public readonly record struct Device(DeviceType Type, int Index = -1)
{
    /// <summary>The CPU.</summary>
    public static Device Cpu => new(DeviceType.Cpu);

    /// <summary>CUDA device <paramref name="index"/>.</summary>
    public static Device Cuda(int index = 0) => new(DeviceType.Cuda, index);

    /// <inheritdoc />
    public override string ToString() => Type switch
    {
        DeviceType.Cpu => "cpu",
        _ => Index < 0 ? "cuda" : $"cuda:{Index}",
    };
}
