namespace AlgoPerf.Torch.Tests.Tensor;

using Tensor = AlgoPerf.Torch.Tensor;

[Collection("Sequential")]
public sealed class TensorShapeTests
{
    private static Tensor Range(long n, params long[] shape) => Tensor.Arange(n).Reshape(shape);

    [Fact]
    public void ViewsAndReshapes_KeepRowMajorOrder()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Range(6, 2, 3);

        Assert.Equal([3L, 2L], x.View(3, -1).Shape);
        Assert.Equal([0L, 3L, 1L, 4L, 2L, 5L], x.Transpose(0, 1).Contiguous().ToArray<long>());
        Assert.Equal([0L, 3L, 1L, 4L, 2L, 5L], x.T().Reshape(6).ToArray<long>());
        Assert.Equal([3L, 2L, 1L], Range(6, 1, 2, 3).Permute(2, 1, 0).Shape);
        Assert.Equal([6L], x.Flatten().Shape);
        Assert.Equal([2L, 12L], Range(24, 2, 3, 4).Flatten(1).Shape);
        Assert.Equal([2L, 3L], Range(6, 1, 2, 1, 3).Squeeze().Shape);
        Assert.Equal([2L, 1L, 3L], Range(6, 1, 2, 1, 3).Squeeze(0).Shape);
        Assert.Equal([2L, 1L, 3L], x.Unsqueeze(1).Shape);
        Assert.Equal([2L, 4L, 5L, 3L], Range(120, 2, 3, 4, 5).MoveDim(1, 3).Shape);
    }

    [Fact]
    public void ExpandRepeatFlip_ProduceExpectedValues()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var v = Tensor.FromArray([1L, 2L], 2, 1);

        Assert.Equal([1L, 1L, 1L, 2L, 2L, 2L], v.Expand(2, 3).Contiguous().ToArray<long>());
        Assert.Equal([1L, 2L, 1L, 2L], v.Repeat(2, 1).ToArray<long>());
        Assert.Equal([2L, 1L, 0L], Tensor.Arange(3).Flip(0).ToArray<long>());
    }

    [Fact]
    public void CatStackSplitChunk_JoinAndPartition()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var a = Range(4, 2, 2);
        var b = Range(4, 2, 2).Add(10L);

        Assert.Equal([0L, 1L, 2L, 3L, 10L, 11L, 12L, 13L], Tensor.Cat([a, b]).ToArray<long>());
        Assert.Equal([0L, 1L, 10L, 11L, 2L, 3L, 12L, 13L], Tensor.Cat([a, b], 1).ToArray<long>());
        Assert.Equal([2L, 2L, 2L], Tensor.Stack([a, b], 1).Shape);

        var parts = Tensor.Arange(7).Split(3);
        Assert.Equal(3, parts.Length);
        Assert.Equal([6L], parts[2].ToArray<long>());
        var sized = Tensor.Arange(7).Split([2L, 5L]);
        Assert.Equal([2L, 3L, 4L, 5L, 6L], sized[1].ToArray<long>());
        var chunks = Tensor.Arange(5).Chunk(2);
        Assert.Equal([3L, 4L], chunks[1].ToArray<long>());
        var rows = Range(6, 3, 2).Unbind();
        Assert.Equal([4L, 5L], rows[2].ToArray<long>());
    }

    [Fact]
    public void SlicingAndNarrow_AreViewsOfTheData()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.Arange(10, ScalarType.Float32);

        Assert.Equal([2f, 4f, 6f], x.Slice(0, 2, 8, 2).ToArray<float>());
        Assert.Equal([8f, 9f], x.Slice(0, 8, 100).ToArray<float>());
        Assert.Equal([3f, 4f], x.Narrow(0, 3, 2).ToArray<float>());
        Assert.Equal(5f, x[5].Item<float>());
        Assert.Equal([1L, 4L], Range(6, 2, 3).Select(1, 1).ToArray<long>());

        x.Narrow(0, 0, 2).Fill_(-1);
        Assert.Equal([-1f, -1f, 2f], x.Slice(0, 0, 3).ToArray<float>());
    }

    [Fact]
    public void GatherAndScatter_MatchPyTorchSemantics()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);

        // torch.gather(x, 1, [[0, 0], [1, 0]]) == [[1, 1], [4, 3]]
        Assert.Equal([1f, 1f, 4f, 3f], x.Gather(1, Tensor.FromArray([0L, 0L, 1L, 0L], 2, 2)).ToArray<float>());
        Assert.Equal([3f, 4f, 1f, 2f], x.IndexSelect(0, Tensor.FromArray([1L, 0L], 2)).ToArray<float>());

        var target = Tensor.Zeros([3]);
        var added = target.ScatterAdd(0, Tensor.FromArray([0L, 2L, 0L], 3), Tensor.FromArray([1f, 2f, 3f], 3));
        Assert.Equal([4f, 0f, 2f], added.ToArray<float>());
        Assert.Equal([0f, 0f, 0f], target.ToArray<float>());
        target.ScatterAdd_(0, Tensor.FromArray([1L], 1), Tensor.FromArray([5f], 1));
        Assert.Equal([0f, 5f, 0f], target.ToArray<float>());

        var rows = Tensor.Zeros([3, 2]);
        var indexAdded = rows.IndexAdd(0, Tensor.FromArray([2L, 2L], 2), Tensor.Ones([2, 2]), alpha: 2);
        Assert.Equal([0f, 0f, 0f, 0f, 4f, 4f], indexAdded.ToArray<float>());
        rows.IndexAdd_(0, Tensor.FromArray([0L], 1), Tensor.Ones([1, 2]));
        Assert.Equal([1f, 1f, 0f, 0f, 0f, 0f], rows.ToArray<float>());
    }

    [Fact]
    public void AdvancedIndexing_PairsOfIndexTensors_PickElements()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var z = Range(18, 2, 3, 3);
        var iu = Tensor.TriuIndices(3, 3, 1);

        // z[:, iu[0], iu[1]]: the strict upper triangle of each 3x3 matrix.
        var picked = z.Index(null, iu[0], iu[1]);

        Assert.Equal([1L, 2L, 5L, 10L, 11L, 14L], picked.ToArray<long>());
        Assert.Equal([2L, 3L], picked.Shape);

        var m = Tensor.Zeros([2, 2]);
        m.IndexPut_([Tensor.FromArray([0L, 1L], 2), Tensor.FromArray([1L, 1L], 2)], Tensor.FromArray([5f, 6f], 2));
        Assert.Equal([0f, 5f, 0f, 6f], m.ToArray<float>());
    }

    [Fact]
    public void MaskingAndWhere_SelectElements()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.FromArray([1f, -2f, 3f, -4f], 4);
        var negative = x.Lt(0);

        Assert.Equal([1f, 0f, 3f, 0f], x.MaskedFill(negative, 0).ToArray<float>());
        Assert.Equal([-2f, -4f], x.MaskedSelect(negative).ToArray<float>());
        Assert.Equal([1f, 2f, 3f, 4f], Tensor.Where(negative, x.Neg(), x).ToArray<float>());
        var causal = Tensor.Ones([2, 2], ScalarType.Bool).Triu(1);
        Assert.Equal([0f, float.NegativeInfinity, 0f, 0f], Tensor.Zeros([2, 2]).MaskedFill(causal, double.NegativeInfinity).ToArray<float>());
        x.MaskedFill_(negative, 9);
        Assert.Equal([1f, 9f, 3f, 9f], x.ToArray<float>());
    }

    [Fact]
    public void TriangularParts_KeepTheirDiagonals()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.Ones([3, 3]);

        Assert.Equal([1f, 1f, 1f, 0f, 1f, 1f, 0f, 0f, 1f], x.Triu().ToArray<float>());
        Assert.Equal([0f, 0f, 0f, 1f, 0f, 0f, 1f, 1f, 0f], x.Tril(-1).ToArray<float>());
        Assert.Equal([1f, 1f, 1f], x.Diagonal().ToArray<float>());
        Assert.Equal([2f, 0f, 0f, 3f], Tensor.FromArray([2f, 3f], 2).Diag().ToArray<float>());
        x.Tril_();
        Assert.Equal(6f, x.Sum().Item<float>());
    }

    [Fact]
    public void View_IncompatibleShape_ThrowsWithOpName()
    {
        using var scope = TorchRuntime.NewDisposeScope();
        var x = Tensor.Zeros([2, 3]);

        var e = Assert.Throws<TorchException>(() => x.View(4, 2));

        Assert.Equal("ats_tensor_shape_op(View)", e.Export);
        Assert.Contains("invalid for input of size 6", e.NativeMessage, StringComparison.Ordinal);
    }
}
