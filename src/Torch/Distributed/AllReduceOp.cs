namespace AlgoPerf.Torch.Distributed;

/// <summary>How <see cref="ProcessGroup.AllReduce(Tensor, AllReduceOp, TimeSpan?)"/> combines the ranks' tensors; values cross the ABI unchanged.</summary>
public enum AllReduceOp
{
    /// <summary>Elementwise sum over ranks.</summary>
    Sum = 0,

    /// <summary>Elementwise sum over ranks divided by the group size (floating-point tensors only).</summary>
    Average = 1,
}
