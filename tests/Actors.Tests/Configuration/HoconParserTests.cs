using AlgoPerf.Actors.Configuration;

namespace AlgoPerf.Actors.Tests.Configuration;

public sealed class HoconParserTests
{
    private static Config Parse(string text, Func<string, string?>? env = null) =>
        ConfigFactory.ParseString(text, "test.conf").Resolve(env ?? (_ => null));

    [Fact]
    public void Parse_ObjectsNestingDottedKeysAndSeparators_AllReadTheSame()
    {
        var c = Parse("""
            a { b { c = 1 } }
            x.y.z : 2
            obj {
              p = 3, q = 4
            }
            """);
        Assert.Equal(1, c.GetInt("a.b.c"));
        Assert.Equal(2, c.GetInt("x.y.z"));
        Assert.Equal(3, c.GetInt("obj.p"));
        Assert.Equal(4, c.GetInt("obj.q"));
    }

    [Fact]
    public void Parse_BracedRoot_Works()
    {
        Assert.Equal("v", Parse("{ k = v }").GetString("k"));
    }

    [Fact]
    public void Parse_Comments_AreIgnored()
    {
        var c = Parse("""
            # hash comment
            a = 1 // trailing
            // slash comment
            b = "not // a comment" # but this is
            url = "http://host/x"
            """);
        Assert.Equal(1, c.GetInt("a"));
        Assert.Equal("not // a comment", c.GetString("b"));
        Assert.Equal("http://host/x", c.GetString("url"));
    }

    [Fact]
    public void Parse_DuplicateObjects_MergeAndLaterScalarsWin()
    {
        var c = Parse("""
            a { x = 1, y = 2 }
            a { y = 3, z = 4 }
            a.x = 5
            """);
        Assert.Equal(5, c.GetInt("a.x"));
        Assert.Equal(3, c.GetInt("a.y"));
        Assert.Equal(4, c.GetInt("a.z"));
        Assert.Equal(["a"], c.Keys);
    }

    [Fact]
    public void Parse_Substitutions_ResolveAgainstTheWholeTree()
    {
        var c = Parse("""
            base { dir = "/runs", timeout = 10s }
            run { dir = ${base.dir}"/quick", timeout = ${base.timeout} }
            copy = ${base}
            """);
        Assert.Equal("/runs/quick", c.GetString("run.dir"));
        Assert.Equal(TimeSpan.FromSeconds(10), c.GetDuration("run.timeout"));
        Assert.Equal("/runs", c.GetString("copy.dir"));
    }

    [Fact]
    public void Parse_ObjectConcatenation_MergesOverTheSubstitution()
    {
        var c = Parse("""
            defaults { a = 1, b = 2 }
            custom = ${defaults} { b = 3 }
            """);
        Assert.Equal(1, c.GetInt("custom.a"));
        Assert.Equal(3, c.GetInt("custom.b"));
    }

    [Fact]
    public void Parse_OptionalEnvSubstitution_OverridesWhenSetAndKeepsEarlierValueWhenUnset()
    {
        const string text = """
            db = "default"
            db = ${?ALGOPERF_DB}
            only = ${?ALGOPERF_NOT_SET}
            """;
        var unset = Parse(text);
        Assert.Equal("default", unset.GetString("db"));
        Assert.False(unset.HasPath("only"));

        var set = Parse(text, name => name == "ALGOPERF_DB" ? "postgres://x" : null);
        Assert.Equal("postgres://x", set.GetString("db"));
    }

    [Fact]
    public void Parse_RequiredSubstitutionMissing_ErrorNamesPosition()
    {
        var e = Assert.Throws<HoconException>(() => Parse("a = 1\nb = ${nope.here}"));
        Assert.Equal("test.conf:2:5: could not resolve substitution ${nope.here} (no such setting and no environment variable of that name)", e.Message);
    }

    [Fact]
    public void Parse_SubstitutionCycle_IsAnError()
    {
        var e = Assert.Throws<HoconException>(() => Parse("a = ${b}\nb = ${a}"));
        Assert.Contains("substitution cycle", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ArraysAndLists()
    {
        var c = Parse("""
            tags = [a, "b c", 3]
            multi = [
              x
              y,
              z
            ]
            joined = ${tags} [d]
            """);
        Assert.Equal(["a", "b c", "3"], c.GetStringList("tags"));
        Assert.Equal(["x", "y", "z"], c.GetStringList("multi"));
        Assert.Equal(["a", "b c", "3", "d"], c.GetStringList("joined"));
    }

    [Fact]
    public void Parse_QuotedAndTripleQuotedStrings()
    {
        var c = Parse("a = \"tab\\there \\u00e9\"\nb = \"\"\"line1\n  \"quoted\" line2\"\"\"\nc = foo bar  baz\n\"dotted.key\" = 7");
        Assert.Equal("tab\there é", c.GetString("a"));
        Assert.Equal("line1\n  \"quoted\" line2", c.GetString("b"));
        Assert.Equal("foo bar  baz", c.GetString("c"));
        Assert.Equal(["a", "b", "c", "dotted.key"], c.Keys);
    }

    [Theory]
    [InlineData("a = 1\nb = {\n", "test.conf:3:1: missing '}' at the end of the file")]
    [InlineData("a = 1\n  b 2", "test.conf:2:5: expected '=', ':' or '{' after key 'b' but found '2'")]
    [InlineData("a = \"open\n", "test.conf:1:5: string is not closed with '\"' on the same line (use \"\"\" for multi-line strings)")]
    [InlineData("x = [1, 2", "test.conf:1:5: array is not closed with ']'")]
    [InlineData("a..b = 1", "test.conf:1:3: empty key segment (a key cannot start with '.', end with '.', or contain '..')")]
    [InlineData("a = \"\\q\"", "test.conf:1:7: unknown escape \\q")]
    [InlineData("a = 1 }", "test.conf:1:7: expected a newline, ',' or 'end of file' after a field but found '}'")]
    public void Parse_SyntaxError_ReportsFileLineColumn(string text, string expected)
    {
        var e = Assert.Throws<HoconException>(() => ConfigFactory.ParseString(text, "test.conf"));
        Assert.Equal(expected, e.Message);
    }

    [Fact]
    public void Parse_Include_ReadsRelativeFileAndLaterFieldsWin()
    {
        var dir = Directory.CreateTempSubdirectory("hocon-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "base.conf"), "a = 1\nb = 2\nnested { x = 1 }\n");
            File.WriteAllText(Path.Combine(dir.FullName, "main.conf"), "include \"base.conf\"\nb = 3\nnested.y = 2\ninclude \"absent.conf\"\n");
            var c = ConfigFactory.ParseFile(Path.Combine(dir.FullName, "main.conf")).Resolve(_ => null);
            Assert.Equal(1, c.GetInt("a"));
            Assert.Equal(3, c.GetInt("b"));
            Assert.Equal(1, c.GetInt("nested.x"));
            Assert.Equal(2, c.GetInt("nested.y"));

            File.WriteAllText(Path.Combine(dir.FullName, "strict.conf"), "include required(\"absent.conf\")\n");
            var e = Assert.Throws<HoconException>(() => ConfigFactory.ParseFile(Path.Combine(dir.FullName, "strict.conf")));
            Assert.StartsWith(Path.Combine(dir.FullName, "strict.conf") + ":1:1: included file not found", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Parse_ErrorInIncludedFile_NamesThatFile()
    {
        var dir = Directory.CreateTempSubdirectory("hocon-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "bad.conf"), "ok = 1\nbroken = \n");
            File.WriteAllText(Path.Combine(dir.FullName, "main.conf"), "include \"bad.conf\"\n");
            var e = Assert.Throws<HoconException>(() => ConfigFactory.ParseFile(Path.Combine(dir.FullName, "main.conf")));
            Assert.StartsWith(Path.Combine(dir.FullName, "bad.conf") + ":3:1: ", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void WithFallback_UserOverReference_KeepsUnsetDefaults()
    {
        var reference = ConfigFactory.ParseString("s { a = 1, b = 2, deep { c = 3 } }", "reference.conf");
        var user = ConfigFactory.ParseString("s { b = 20, deep.d = 4 }", "user.conf");
        var c = user.WithFallback(reference).Resolve(_ => null);
        Assert.Equal(1, c.GetInt("s.a"));
        Assert.Equal(20, c.GetInt("s.b"));
        Assert.Equal(3, c.GetInt("s.deep.c"));
        Assert.Equal(4, c.GetInt("s.deep.d"));
        Assert.Equal("user.conf:1:9", c.OriginOf("s.b").ToString());
        Assert.Equal("reference.conf:1:9", c.OriginOf("s.a").ToString());
    }

    [Fact]
    public void WithFallback_UserSubstitutionSeesReferenceValues()
    {
        var reference = ConfigFactory.ParseString("root = /data", "reference.conf");
        var user = ConfigFactory.ParseString("runs = ${root}/runs", "user.conf");
        Assert.Equal("/data/runs", user.WithFallback(reference).Resolve(_ => null).GetString("runs"));
    }
}
