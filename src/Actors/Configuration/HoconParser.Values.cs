using System.Globalization;
using System.Text;

namespace AlgoPerf.Actors.Configuration;

internal sealed partial class HoconParser
{
    /// <summary>A value: one or more simple values on one line (a concatenation), up to a newline, ',', '}', ']' or comment.</summary>
    private HoconNode ParseValue()
    {
        var origin = Here;
        var parts = new List<HoconNode>();
        while (!AtEnd)
        {
            var c = Peek();
            if (c is '\n' or ',' or '}' or ']' or '#' || (c == '/' && Peek(1) == '/'))
            {
                break;
            }

            if (IsWhitespace(c))
            {
                var wsOrigin = Here;
                var start = _pos;
                while (!AtEnd && IsWhitespace(Peek()))
                {
                    Advance();
                }

                parts.Add(new HoconScalar(wsOrigin, _text[start.._pos], quoted: true) { IsWhitespace = true });
                continue;
            }

            parts.Add(ParseSimpleValue());
        }

        while (parts.Count > 0 && parts[^1] is HoconScalar { IsWhitespace: true })
        {
            parts.RemoveAt(parts.Count - 1);
        }

        return parts.Count switch
        {
            0 => throw new HoconException(origin, $"expected a value but found {Describe(Peek())}"),
            1 => parts[0],
            _ => new HoconConcat(origin, parts),
        };
    }

    private HoconNode ParseSimpleValue()
    {
        var origin = Here;
        var c = Peek();
        switch (c)
        {
            case '{':
                return ParseObject();
            case '[':
                return ParseArray();
            case '"':
                if (Peek(1) == '"' && Peek(2) == '"')
                {
                    return new HoconScalar(origin, ParseTripleQuotedString(), quoted: true);
                }

                return new HoconScalar(origin, ParseQuotedString(), quoted: true);
            case '$':
                return ParseSubstitution();
            default:
                var start = _pos;
                while (!AtEnd && IsUnquotedChar(Peek()) && !(Peek() == '/' && Peek(1) == '/'))
                {
                    Advance();
                }

                if (_pos == start)
                {
                    throw Error($"unexpected {Describe(c)} in a value (quote strings that contain special characters)");
                }

                return new HoconScalar(origin, _text[start.._pos], quoted: false);
        }
    }

    private HoconArray ParseArray()
    {
        var origin = Here;
        Expect('[');
        var items = new List<HoconNode>();
        while (true)
        {
            SkipWhitespaceAndComments(newlines: true);
            if (Peek() == ']')
            {
                Advance();
                return new HoconArray(origin, items);
            }

            if (AtEnd)
            {
                throw new HoconException(origin, "array is not closed with ']'");
            }

            items.Add(ParseValue());
            var lineAfterValue = _line;
            SkipWhitespaceAndComments(newlines: true);
            if (Peek() == ',')
            {
                Advance();
            }
            else if (Peek() != ']' && !AtEnd && _line == lineAfterValue)
            {
                throw Error($"expected ',' or ']' in an array but found {Describe(Peek())}");
            }
        }
    }

    private HoconSubstitution ParseSubstitution()
    {
        var origin = Here;
        Advance();
        if (Peek() != '{')
        {
            throw Error("expected '{' after '$' (substitutions are written ${path} or ${?path})");
        }

        Advance();
        var optional = false;
        if (Peek() == '?')
        {
            optional = true;
            Advance();
        }

        var start = _pos;
        while (!AtEnd && Peek() != '}' && Peek() != '\n')
        {
            Advance();
        }

        if (Peek() != '}')
        {
            throw new HoconException(origin, "substitution is not closed with '}'");
        }

        var path = _text[start.._pos].Trim();
        Advance();
        if (path.Length == 0)
        {
            throw new HoconException(origin, "empty substitution");
        }

        return new HoconSubstitution(origin, path, optional);
    }

    private string ParseQuotedString()
    {
        var origin = Here;
        Expect('"');
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd || Peek() == '\n')
            {
                throw new HoconException(origin, "string is not closed with '\"' on the same line (use \"\"\" for multi-line strings)");
            }

            var c = Peek();
            Advance();
            if (c == '"')
            {
                return sb.ToString();
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            var escapeOrigin = Here;
            var e = Peek();
            Advance();
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    var hex = _pos + 4 <= _text.Length ? _text.Substring(_pos, 4) : string.Empty;
                    if (!int.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw new HoconException(escapeOrigin, $"bad unicode escape \\u{hex}");
                    }

                    sb.Append((char)code);
                    for (var i = 0; i < 4; i++)
                    {
                        Advance();
                    }

                    break;
                default:
                    throw new HoconException(escapeOrigin, $"unknown escape \\{e}");
            }
        }
    }

    private string ParseTripleQuotedString()
    {
        var origin = Here;
        Advance();
        Advance();
        Advance();
        var start = _pos;
        while (true)
        {
            if (AtEnd)
            {
                throw new HoconException(origin, "triple-quoted string is not closed with \"\"\"");
            }

            if (Peek() == '"' && Peek(1) == '"' && Peek(2) == '"')
            {
                while (Peek(3) == '"')
                {
                    Advance();
                }

                var text = _text[start.._pos];
                Advance();
                Advance();
                Advance();
                return text;
            }

            Advance();
        }
    }
}
