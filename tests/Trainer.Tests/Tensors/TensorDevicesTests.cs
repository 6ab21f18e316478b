using AlgoPerf.Trainer.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace AlgoPerf.Trainer.Tests.Tensors;

public sealed class TensorDevicesTests
{
    [Fact]
    public void IsOn_CpuTensor_OnEveryCpuDeviceAndNoCudaOne()
    {
        using var t = ones(2);

        Assert.True(t.IsOn(CPU));
        Assert.True(t.IsOn(new Device(DeviceType.CPU, 0)));
        Assert.False(t.IsOn(new Device(DeviceType.CUDA, 0)));
        Assert.False(t.IsOn(new Device(DeviceType.CUDA)));
    }
}
