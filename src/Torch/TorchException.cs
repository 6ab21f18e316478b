namespace AlgoPerf.Torch;

/// <summary>An error raised inside libtorch, surfaced with libtorch's own message and the failing export.</summary>
public sealed class TorchException : Exception
{
    /// <summary>Creates the exception for a failed export.</summary>
    public TorchException(string export, string nativeMessage)
        : base($"{export}: {nativeMessage}")
    {
        Export = export;
        NativeMessage = nativeMessage;
    }

    /// <summary>Creates an exception with a message only.</summary>
    public TorchException(string message)
        : base(message)
    {
        Export = string.Empty;
        NativeMessage = message;
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public TorchException(string message, Exception innerException)
        : base(message, innerException)
    {
        Export = string.Empty;
        NativeMessage = message;
    }

    /// <summary>Creates an empty exception.</summary>
    public TorchException()
    {
        Export = string.Empty;
        NativeMessage = string.Empty;
    }

    /// <summary>The shim export that failed, e.g. <c>ats_tensor_matmul</c>.</summary>
    public string Export { get; }

    /// <summary>libtorch's message, without the C++ backtrace.</summary>
    public string NativeMessage { get; }
}
