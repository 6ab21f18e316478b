using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Tensors;

/// <summary>Where a tensor lives. TorchSharp's <see cref="Device"/> has no value equality.</summary>
public static class TensorDevices
{
    /// <summary>
    /// Whether <paramref name="tensor"/> is on <paramref name="device"/>: the same device type and, for an indexed
    /// device (<c>cuda:1</c>), the same index; an index below 0 means the type's current device.
    /// </summary>
    public static bool IsOn(this Tensor tensor, Device device)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentNullException.ThrowIfNull(device);
        return tensor.device_type == device.type && (device.type == DeviceType.CPU || device.index < 0 || tensor.device_index == device.index);
    }
}
