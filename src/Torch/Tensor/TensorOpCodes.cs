namespace AlgoPerf.Torch;

// Op codes of the shim's op families; the values are the `case` labels of src/Torch/native/src/*.cpp.
// Internal: the public API is the named methods of Tensor.

/// <summary>ats_tensor_unary / ats_tensor_unary_.</summary>
internal enum UnaryOp
{
    Neg = 0, Abs = 1, Sign = 2, Sqrt = 3, Rsqrt = 4, Exp = 5, Log = 6, Relu = 7, Sigmoid = 8, Tanh = 9, Silu = 10,
    Gelu = 11, GeluTanh = 12, Square = 13, Reciprocal = 14, Sin = 15, Cos = 16, Floor = 17, Ceil = 18, Round = 19,
    Log1p = 20, Expm1 = 21, Erf = 22, LogicalNot = 23, IsNan = 24, IsFinite = 25, Log2 = 26, Trunc = 27, Softplus = 28,
    Zero = 99,
}

/// <summary>ats_tensor_binary / ats_tensor_binary_.</summary>
internal enum BinaryOp
{
    Add = 0, Sub = 1, Mul = 2, Div = 3, Pow = 4, Maximum = 5, Minimum = 6, Eq = 7, Ne = 8, Lt = 9, Le = 10, Gt = 11,
    Ge = 12, Remainder = 13, LogicalAnd = 14, LogicalOr = 15, Atan2 = 16, FloorDivide = 17, MatMul = 20, Mm = 21,
    Bmm = 22, Outer = 23, Dot = 24, Mv = 25, Copy = 30,
}

/// <summary>ats_tensor_scalar / ats_tensor_scalar_.</summary>
internal enum ScalarOp
{
    Add = 0, Sub = 1, Mul = 2, Div = 3, Pow = 4, ClampMin = 5, ClampMax = 6, Eq = 7, Ne = 8, Lt = 9, Le = 10, Gt = 11,
    Ge = 12, Remainder = 13, RSub = 40, RDiv = 41, RPow = 42, Fmod = 43, Fill = 50,
}

/// <summary>ats_tensor_reduce.</summary>
internal enum ReduceOp
{
    Sum = 0, Mean = 1, Amax = 2, Amin = 3, Norm = 4, Var = 5, Std = 6, LogSumExp = 7, All = 8, Any = 9, Prod = 10,
    ArgMax = 11, ArgMin = 12,
}

/// <summary>ats_tensor_shape_op (ops taking a list of ints).</summary>
internal enum ShapeOp
{
    View = 0, Reshape = 1, Permute = 2, Expand = 3, Repeat = 4, Flip = 5, SumToSize = 6,
}

/// <summary>ats_tensor_dim_op (ops taking up to two ints).</summary>
internal enum DimOp
{
    Transpose = 0, Flatten = 1, Squeeze = 2, Unsqueeze = 3, Contiguous = 4, T = 5, Triu = 6, Tril = 7, Select = 8,
    Diag = 9, Diagonal = 10, MoveDim = 11,
}

/// <summary>ats_tensor_ternary.</summary>
internal enum TernaryOp
{
    LerpTensor = 0, LerpScalar = 1, Addcmul = 2, Addcdiv = 3,
}

/// <summary>ats_tensor_scatter.</summary>
internal enum ScatterOp
{
    ScatterAdd = 0, IndexAdd = 1, Scatter = 2, IndexCopy = 3,
}
