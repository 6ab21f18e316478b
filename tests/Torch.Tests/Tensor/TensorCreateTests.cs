namespace AlgoPerf.Torch.Tests.Tensor;

using Tensor = AlgoPerf.Torch.Tensor;

[Collection("Sequential")]
public sealed class TensorCreateTests
{
    [Fact]
    public void Factories_ConstantFills_HaveShapeDtypeAndValues()
    {
        using var scope = TorchRuntime.NewDisposeScope();

        Assert.Equal([0f, 0f, 0f, 0f, 0f, 0f], Tensor.Zeros([2, 3]).ToArray<float>());
        Assert.Equal([1.0, 1.0], Tensor.Ones([2], ScalarType.Float64).ToArray<double>());
        Assert.Equal([7L, 7L, 7L], Tensor.Full([3], 7, ScalarType.Int64).ToArray<long>());
        Assert.Equal([2L, 3L], Tensor.Empty([2, 3]).Shape);
        Assert.Equal(ScalarType.Int32, Tensor.Zeros([1], ScalarType.Int32).Dtype);
        Assert.Equal(2.5, Tensor.Scalar(2.5, ScalarType.Float64).ToDouble());
        Assert.Equal(0L, Tensor.Scalar(2.5).Dim);
    }

    [Fact]
    public void Factories_Ranges_MatchPyTorch()
    {
        using var scope = TorchRuntime.NewDisposeScope();

        Assert.Equal([0L, 1L, 2L, 3L], Tensor.Arange(4).ToArray<long>());
        Assert.Equal([1.0, 1.5, 2.0, 2.5], Tensor.Arange(1, 3, 0.5, ScalarType.Float64).ToArray<double>());
        Assert.Equal([0.0, 0.25, 0.5, 0.75, 1.0], Tensor.Linspace(0, 1, 5, ScalarType.Float64).ToArray<double>());
        Assert.Equal([1f, 0f, 0f, 0f, 1f, 0f], Tensor.Eye(2, 3).ToArray<float>());
        // torch.triu_indices(3, 3, 1) == [[0, 0, 1], [1, 2, 2]]
        Assert.Equal([0L, 0L, 1L, 1L, 2L, 2L], Tensor.TriuIndices(3, 3, 1).ToArray<long>());
        Assert.Equal([1L, 2L, 2L, 0L, 0L, 1L], Tensor.TrilIndices(3, 3, -1).ToArray<long>());
    }

    [Fact]
    public void LikeFactories_CopyShapeAndDtype()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.FromArray([1.0, 2.0, 3.0], 3);

        Assert.Equal([0.0, 0.0, 0.0], x.ZerosLike().ToArray<double>());
        Assert.Equal([1.0, 1.0, 1.0], x.OnesLike().ToArray<double>());
        Assert.Equal([4L, 4L, 4L], x.FullLike(4, ScalarType.Int64).ToArray<long>());
        Assert.Equal([3L], x.EmptyLike().Shape);
    }

    [Fact]
    public void To_EveryDtype_RoundTripsExactValues()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.FromArray([1.5f, -2f, 0.25f], 3);

        Assert.Equal([1.5, -2.0, 0.25], x.To(ScalarType.Float64).ToArray<double>());
        Assert.Equal([(Half)1.5f, (Half)(-2f), (Half)0.25f], x.To(ScalarType.Float16).ToArray<Half>());
        // bfloat16 keeps the top 16 bits of the float32 pattern for these exactly representable values.
        Assert.Equal([(ushort)0x3FC0, (ushort)0xC000, (ushort)0x3E80], x.To(ScalarType.BFloat16).ToArray<ushort>());
        Assert.Equal([1.5f, -2f, 0.25f], x.To(ScalarType.BFloat16).To(ScalarType.Float32).ToArray<float>());
        Assert.Equal([1L, -2L, 0L], x.To(ScalarType.Int64).ToArray<long>());
        Assert.Equal([1, -2, 0], x.To(ScalarType.Int32).ToArray<int>());
        Assert.Equal([true, true, true], x.To(ScalarType.Bool).ToArray<bool>());
    }

    [Fact]
    public void ToArray_WrongElementType_ThrowsArgumentException()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.Zeros([2]);

        Assert.Throws<ArgumentException>(() => x.ToArray<double>());
    }

    [Fact]
    public void Item_OneElement_ReadsExactly()
    {
        using var scope = TorchRuntime.NewDisposeScope();

        Assert.Equal(3.25f, Tensor.FromArray([3.25f], 1).Item<float>());
        Assert.Equal(9007199254740993L, Tensor.FromArray([9007199254740993L], 1).ToInt64());
        Assert.True(Tensor.FromArray([true], 1).ToBoolean());
        Assert.Throws<InvalidOperationException>(() => Tensor.Zeros([2]).Item<float>());
    }

    [Fact]
    public void Device_CpuTensor_ReportsCpuAndCudaMatchesAvailability()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.Zeros([2]);

        Assert.Equal(DeviceType.Cpu, x.Device.Type);
        Assert.Equal(DeviceType.Cpu, x.To(Device.Cpu).Device.Type);
        if (TorchRuntime.CudaIsAvailable)
        {
            Assert.Equal(DeviceType.Cuda, x.To(Device.Cuda()).Device.Type);
        }
        else
        {
            var e = Assert.Throws<TorchException>(() => x.To(Device.Cuda()));
            Assert.Equal("ats_tensor_to_device", e.Export);
        }
    }

    [Fact]
    public void Metadata_TransposedView_HasStridesAndIsNotContiguous()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.Zeros([2, 3]);
        var t = x.T();

        Assert.Equal([3L, 1L], x.Strides);
        Assert.Equal([1L, 3L], t.Strides);
        Assert.True(x.IsContiguous);
        Assert.False(t.IsContiguous);
        Assert.True(t.Contiguous().IsContiguous);
        Assert.Equal(3, t.Size(0));
        Assert.Equal(2, t.Size(-1));
    }
}
