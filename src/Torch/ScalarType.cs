namespace AlgoPerf.Torch;

/// <summary>Tensor element types; values are c10's <c>ScalarType</c> codes, passed through the ABI unchanged.</summary>
public enum ScalarType
{
    /// <summary>uint8.</summary>
    Byte = 0,

    /// <summary>int8.</summary>
    Int8 = 1,

    /// <summary>int16.</summary>
    Int16 = 2,

    /// <summary>int32.</summary>
    Int32 = 3,

    /// <summary>int64.</summary>
    Int64 = 4,

    /// <summary>IEEE half precision.</summary>
    Float16 = 5,

    /// <summary>float32.</summary>
    Float32 = 6,

    /// <summary>float64.</summary>
    Float64 = 7,

    /// <summary>bool.</summary>
    Bool = 11,

    /// <summary>bfloat16.</summary>
    BFloat16 = 15,
}
