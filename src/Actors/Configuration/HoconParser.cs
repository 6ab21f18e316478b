using System.Text;

namespace AlgoPerf.Actors.Configuration;

/// <summary>
/// A recursive-descent reader for the HOCON subset we use: objects and nesting, dotted keys, <c>=</c> and <c>:</c>
/// (or none before <c>{</c>), <c>#</c> and <c>//</c> comments, commas or newlines between fields, includes of
/// relative files, <c>${a.b}</c> and <c>${?X}</c> substitutions, arrays, value concatenation, quoted and
/// triple-quoted strings. Every node remembers its file:line:column.
/// </summary>
internal sealed partial class HoconParser
{
    private const int MaxIncludeDepth = 16;
    private readonly string _text;
    private readonly string _file;
    private readonly string? _directory;
    private readonly int _includeDepth;
    private int _pos;
    private int _line = 1;
    private int _column = 1;

    private HoconParser(string text, string file, string? directory, int includeDepth)
    {
        _text = text;
        _file = file;
        _directory = directory;
        _includeDepth = includeDepth;
    }

    /// <summary>Parses a document; includes are resolved relative to <paramref name="directory"/> (none when null).</summary>
    public static HoconObject Parse(string text, string file, string? directory, int includeDepth = 0)
    {
        var parser = new HoconParser(text, file, directory, includeDepth);
        return parser.ParseDocument();
    }

    private HoconOrigin Here => new(_file, _line, _column);

    private bool AtEnd => _pos >= _text.Length;

    private char Peek(int ahead = 0) => _pos + ahead < _text.Length ? _text[_pos + ahead] : '\0';

    private HoconObject ParseDocument()
    {
        SkipWhitespaceAndComments(newlines: true);
        HoconObject root;
        if (Peek() == '{')
        {
            root = ParseObject();
        }
        else
        {
            root = new HoconObject(Here);
            ParseFields(root, closing: '\0');
        }

        SkipWhitespaceAndComments(newlines: true);
        if (!AtEnd)
        {
            throw Error($"unexpected '{Peek()}' after the end of the document");
        }

        return root;
    }

    private HoconObject ParseObject()
    {
        var obj = new HoconObject(Here);
        Expect('{');
        ParseFields(obj, closing: '}');
        Expect('}');
        return obj;
    }

    private void ParseFields(HoconObject target, char closing)
    {
        while (true)
        {
            SkipWhitespaceAndComments(newlines: true);
            if (AtEnd)
            {
                if (closing != '\0')
                {
                    throw Error($"missing '{closing}' at the end of the file");
                }

                return;
            }

            if (Peek() == closing)
            {
                return;
            }

            if (IsInclude())
            {
                ParseInclude(target);
            }
            else
            {
                ParseField(target);
            }

            SkipWhitespaceAndComments(newlines: false);
            if (Peek() == ',')
            {
                Advance();
            }
            else if (!AtEnd && Peek() != '\n' && Peek() != closing)
            {
                throw Error($"expected a newline, ',' or '{(closing == '\0' ? "end of file" : closing)}' after a field but found '{Peek()}'");
            }
        }
    }

    private void ParseField(HoconObject target)
    {
        var path = ParseKey(out var segmentOrigins);
        SkipWhitespaceAndComments(newlines: false);
        HoconNode value;
        if (Peek() == '{')
        {
            value = ParseValue();
        }
        else if (Peek() is '=' or ':')
        {
            Advance();
            SkipWhitespaceAndComments(newlines: true);
            value = ParseValue();
        }
        else
        {
            throw Error($"expected '=', ':' or '{{' after key '{string.Join('.', path)}' but found {Describe(Peek())}");
        }

        // a.b.c = v is a { b { c = v } }: the object under a segment is placed where that segment is written.
        for (var i = path.Count - 1; i > 0; i--)
        {
            var wrapper = new HoconObject(segmentOrigins[i - 1]);
            wrapper.Set(path[i], value);
            value = wrapper;
        }

        target.Set(path[0], value);
    }

    private List<string> ParseKey(out List<HoconOrigin> origins)
    {
        var segments = new List<string>();
        origins = [Here];
        var current = new StringBuilder();
        var any = false;
        while (!AtEnd)
        {
            var c = Peek();
            if (c == '"')
            {
                current.Append(ParseQuotedString());
                any = true;
            }
            else if (c == '.')
            {
                if (!any)
                {
                    throw Error("empty key segment (a key cannot start with '.', end with '.', or contain '..')");
                }

                segments.Add(current.ToString());
                current.Clear();
                any = false;
                Advance();
                origins.Add(Here);
            }
            else if (IsUnquotedChar(c) && !(c == '/' && Peek(1) == '/'))
            {
                current.Append(c);
                any = true;
                Advance();
            }
            else
            {
                break;
            }
        }

        if (!any)
        {
            throw Error(segments.Count == 0 ? $"expected a key but found {Describe(Peek())}" : "empty key segment (a key cannot end with '.')");
        }

        segments.Add(current.ToString().Trim());
        return segments;
    }

    private bool IsInclude()
    {
        if (string.CompareOrdinal(_text, _pos, "include", 0, 7) != 0)
        {
            return false;
        }

        var next = Peek(7);
        return next is ' ' or '\t';
    }

    private void ParseInclude(HoconObject target)
    {
        var origin = Here;
        for (var i = 0; i < 7; i++)
        {
            Advance();
        }

        SkipWhitespaceAndComments(newlines: false);
        var required = false;
        if (string.CompareOrdinal(_text, _pos, "required(", 0, 9) == 0)
        {
            required = true;
            for (var i = 0; i < 9; i++)
            {
                Advance();
            }
        }

        if (Peek() != '"')
        {
            throw Error("include needs a quoted file name: include \"other.conf\"");
        }

        var name = ParseQuotedString();
        if (required)
        {
            Expect(')');
        }

        if (_includeDepth >= MaxIncludeDepth)
        {
            throw new HoconException(origin, $"includes nested deeper than {MaxIncludeDepth} (an include cycle?) at \"{name}\"");
        }

        if (_directory is null)
        {
            throw new HoconException(origin, $"include \"{name}\" is only possible in a file");
        }

        var path = Path.GetFullPath(Path.Combine(_directory, name));
        if (!File.Exists(path))
        {
            if (required)
            {
                throw new HoconException(origin, $"included file not found: {path}");
            }

            return;
        }

        var included = Parse(File.ReadAllText(path), path, Path.GetDirectoryName(path), _includeDepth + 1);
        foreach (var key in included.Order)
        {
            target.Set(key, included.Fields[key]);
        }
    }

    private void SkipWhitespaceAndComments(bool newlines)
    {
        while (!AtEnd)
        {
            var c = Peek();
            if (c == '#' || (c == '/' && Peek(1) == '/'))
            {
                while (!AtEnd && Peek() != '\n')
                {
                    Advance();
                }
            }
            else if (c == '\n' ? newlines : IsWhitespace(c))
            {
                Advance();
            }
            else
            {
                return;
            }
        }
    }

    private void Expect(char c)
    {
        if (Peek() != c || AtEnd)
        {
            throw Error($"expected '{c}' but found {Describe(Peek())}");
        }

        Advance();
    }

    private void Advance()
    {
        if (_text[_pos] == '\n')
        {
            _line++;
            _column = 1;
        }
        else
        {
            _column++;
        }

        _pos++;
    }

    private string Describe(char c) => AtEnd ? "the end of the file" : c == '\n' ? "a newline" : $"'{c}'";

    private HoconException Error(string message) => new(Here, message);

    private static bool IsWhitespace(char c) => c != '\n' && (char.IsWhiteSpace(c) || c == '\uFEFF');

    private static bool IsUnquotedChar(char c) =>
        !char.IsWhiteSpace(c) && c != '\uFEFF' && "$\"{}[]:=,+#`^?!@*&\\".IndexOf(c, StringComparison.Ordinal) < 0;
}
