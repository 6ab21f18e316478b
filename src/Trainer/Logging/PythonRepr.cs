using System.Globalization;
using System.Text;

namespace AlgoPerf.Trainer.Logging;

/// <summary>
/// Python's text forms of floats and strings, so our logs are byte-compatible with the reference's
/// (<c>json.dumps</c>, and pandas' <c>to_csv</c>, which prints float64 the way <c>repr</c> does).
/// </summary>
public static class PythonRepr
{
    /// <summary>
    /// <c>repr(float)</c>: the shortest round-trip digits; positional notation when the decimal exponent is in
    /// [-4, 16) (<c>0.0001</c>, <c>1000000000000000.0</c>), otherwise <c>1e-05</c> / <c>1e+16</c>; integral values
    /// keep <c>.0</c>; <c>nan</c>, <c>inf</c>, <c>-inf</c>.
    /// </summary>
    public static string Float(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        var (negative, digits, decpt) = ShortestDigits(value);
        var sign = negative ? "-" : string.Empty;
        if (digits.Length == 0)
        {
            return sign + "0.0";
        }

        if (decpt <= -4 || decpt > 16)
        {
            var exponent = decpt - 1;
            var mantissa = digits.Length == 1 ? digits : digits[..1] + "." + digits[1..];
            var expText = Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture);
            return $"{sign}{mantissa}e{(exponent < 0 ? '-' : '+')}{expText}";
        }

        if (decpt <= 0)
        {
            return sign + "0." + new string('0', -decpt) + digits;
        }

        if (decpt >= digits.Length)
        {
            return sign + digits + new string('0', decpt - digits.Length) + ".0";
        }

        return sign + digits[..decpt] + "." + digits[decpt..];
    }

    /// <summary><c>json.dumps</c> of a string (with the default <c>ensure_ascii=True</c>), quotes included.</summary>
    public static string JsonString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || c > 0x7e)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary>
    /// The shortest round-trip decimal digits of a finite double (no leading/trailing zeros) and the position of the
    /// decimal point: value = 0.<c>digits</c> × 10^<c>decpt</c>.
    /// </summary>
    private static (bool Negative, string Digits, int Decpt) ShortestDigits(double value)
    {
        // .NET's "R" is the shortest round-trippable form, e.g. "1E-05", "0.001308209823469072", "-123.5".
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = text.StartsWith('-');
        if (negative)
        {
            text = text[1..];
        }

        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot >= 0 ? text[..dot] : text;
        var fracPart = dot >= 0 ? text[(dot + 1)..] : string.Empty;
        var digits = intPart + fracPart;
        var decpt = intPart.Length + exponent;
        var lead = 0;
        while (lead < digits.Length && digits[lead] == '0')
        {
            lead++;
        }

        digits = digits[lead..].TrimEnd('0');
        return (negative, digits, decpt - lead);
    }
}
