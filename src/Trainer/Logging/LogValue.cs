using System.Globalization;

namespace AlgoPerf.Trainer.Logging;

/// <summary>
/// A scalar as the reference logs it (a Python int, float, str or bool), so that ints and floats are written the way
/// Python and pandas write them (<c>3</c> versus <c>3.0</c>).
/// </summary>
public readonly record struct LogValue
{
    private LogValue(LogValueKind kind, long integer, double number, string? text)
    {
        Kind = kind;
        Integer = integer;
        Number = number;
        Text = text;
    }

    /// <summary>The value's Python type.</summary>
    public LogValueKind Kind { get; }

    /// <summary>The value of an <see cref="LogValueKind.Integer"/> (1/0 for a boolean).</summary>
    public long Integer { get; }

    /// <summary>The value of a <see cref="LogValueKind.Float"/>.</summary>
    public double Number { get; }

    /// <summary>The value of a <see cref="LogValueKind.String"/>.</summary>
    public string? Text { get; }

    /// <summary>The value as a double (ints and bools converted; NaN for a string).</summary>
    public double AsDouble => Kind switch
    {
        LogValueKind.Float => Number,
        LogValueKind.Integer or LogValueKind.Boolean => Integer,
        _ => double.NaN,
    };

    /// <summary>An integer value.</summary>
    public static LogValue Of(long value) => new(LogValueKind.Integer, value, value, null);

    /// <summary>A float value.</summary>
    public static LogValue Of(double value) => new(LogValueKind.Float, 0, value, null);

    /// <summary>A string value.</summary>
    public static LogValue Of(string value) => new(LogValueKind.String, 0, double.NaN, value ?? throw new ArgumentNullException(nameof(value)));

    /// <summary>A boolean value.</summary>
    public static LogValue Of(bool value) => new(LogValueKind.Boolean, value ? 1 : 0, value ? 1 : 0, null);

    /// <summary>Converts an integer.</summary>
    public static implicit operator LogValue(long value) => Of(value);

    /// <summary>Converts an integer.</summary>
    public static implicit operator LogValue(int value) => Of(value);

    /// <summary>Converts a float.</summary>
    public static implicit operator LogValue(double value) => Of(value);

    /// <summary>Converts a string.</summary>
    public static implicit operator LogValue(string value) => Of(value);

    /// <summary>Converts a boolean.</summary>
    public static implicit operator LogValue(bool value) => Of(value);

    /// <summary>The value as Python's <c>repr</c>/<c>str</c> would print it.</summary>
    public override string ToString() => Kind switch
    {
        LogValueKind.Integer => Integer.ToString(CultureInfo.InvariantCulture),
        LogValueKind.Float => PythonRepr.Float(Number),
        LogValueKind.Boolean => Integer != 0 ? "True" : "False",
        _ => Text ?? string.Empty,
    };
}
