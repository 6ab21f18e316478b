using AlgoPerf.Torch.PInvoke;

namespace AlgoPerf.Torch;

public sealed partial class Tensor
{
    /// <summary>Uniform samples in [0, 1) (<c>torch.rand</c>); a null generator uses libtorch's default one.</summary>
    public static Tensor Rand(long[] shape, Generator? generator = null, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        Random(0, shape, generator, dtype, device);

    /// <summary>Standard normal samples (<c>torch.randn</c>).</summary>
    public static Tensor Randn(long[] shape, Generator? generator = null, ScalarType dtype = ScalarType.Float32, Device? device = null) =>
        Random(1, shape, generator, dtype, device);

    /// <summary>Uniform integers in [<paramref name="low"/>, <paramref name="high"/>) (<c>torch.randint</c>).</summary>
    public static unsafe Tensor Randint(long low, long high, long[] shape, Generator? generator = null, ScalarType dtype = ScalarType.Int64, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var d = device ?? Device.Cpu;
        fixed (long* s = shape)
        {
            var status = NativeMethods.ats_tensor_randint(low, high, s, shape.Length, Generator.HandleOf(generator), (int)dtype, (int)d.Type, d.Index, out var h);
            return FromHandle(status, h, nameof(NativeMethods.ats_tensor_randint));
        }
    }

    /// <summary>A random permutation of 0..n-1 (<c>torch.randperm</c>).</summary>
    public static Tensor Randperm(long n, Generator? generator = null, ScalarType dtype = ScalarType.Int64, Device? device = null)
    {
        var d = device ?? Device.Cpu;
        var status = NativeMethods.ats_tensor_randperm(n, Generator.HandleOf(generator), (int)dtype, (int)d.Type, d.Index, out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_randperm));
    }

    /// <summary>0/1 draws with this tensor's elements as probabilities (<c>torch.bernoulli(t)</c>).</summary>
    public Tensor Bernoulli(Generator? generator = null)
    {
        var status = NativeMethods.ats_tensor_bernoulli(Handle, -1, Generator.HandleOf(generator), out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_bernoulli));
    }

    /// <summary>0/1 draws with probability <paramref name="p"/>, shaped and typed like this tensor.</summary>
    public Tensor Bernoulli(double p, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1.0);
        var status = NativeMethods.ats_tensor_bernoulli(Handle, p, Generator.HandleOf(generator), out var h);
        return FromHandle(status, h, nameof(NativeMethods.ats_tensor_bernoulli));
    }

    /// <summary>In place: fills with normal samples (<c>normal_</c>). Returns this.</summary>
    public Tensor Normal_(double mean = 0, double std = 1, Generator? generator = null)
    {
        NativeError.Check(NativeMethods.ats_tensor_fill_random_(0, Handle, mean, std, Generator.HandleOf(generator)));
        return this;
    }

    /// <summary>In place: fills with uniform samples in [from, to) (<c>uniform_</c>). Returns this.</summary>
    public Tensor Uniform_(double from = 0, double to = 1, Generator? generator = null)
    {
        NativeError.Check(NativeMethods.ats_tensor_fill_random_(1, Handle, from, to, Generator.HandleOf(generator)));
        return this;
    }

    private static unsafe Tensor Random(int kind, long[] shape, Generator? generator, ScalarType dtype, Device? device)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var d = device ?? Device.Cpu;
        fixed (long* s = shape)
        {
            var status = NativeMethods.ats_tensor_random(kind, s, shape.Length, Generator.HandleOf(generator), (int)dtype, (int)d.Type, d.Index, out var h);
            return FromHandle(status, h, nameof(NativeMethods.ats_tensor_random));
        }
    }
}
