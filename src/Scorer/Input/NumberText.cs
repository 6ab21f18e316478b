using System.Globalization;

namespace AlgoPerf.Scorer.Input;

/// <summary>Number spellings written by Python, NumPy and pandas.</summary>
public static class NumberText
{
    /// <summary>Parses decimal/exponent numbers and <c>inf</c>, <c>infinity</c>, <c>nan</c> (any case, optional sign).</summary>
    public static bool TryParse(string text, out double value)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        var body = s.TrimStart('+', '-');
        var negative = s.StartsWith('-');
        if (body.Length == s.Length - 1 || body.Length == s.Length)
        {
            if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
            {
                value = negative ? double.NegativeInfinity : double.PositiveInfinity;
                return true;
            }

            if (body.Equals("nan", StringComparison.OrdinalIgnoreCase))
            {
                value = double.NaN;
                return true;
            }
        }

        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Formats as the shortest round-trip text, with <c>inf</c>/<c>-inf</c>/<c>nan</c> as Python prints them.</summary>
    public static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "inf"
        : double.IsNegativeInfinity(value) ? "-inf"
        : double.IsNaN(value) ? "nan"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
