using AlgoPerf.Trainer.Logging;

namespace AlgoPerf.Trainer.Tests.Logging;

public sealed class PythonJsonTests
{
    [Fact]
    public void Serialize_MixedValues_ExactlyJsonDumpsIndent2()
    {
        var json = PythonJson.Serialize(
        [
            new("a", 1), new("b", 0.5), new("c", "x\"y\\z\u00e9\n"), new("d", true), new("e", double.NaN), new("f", double.PositiveInfinity),
        ]);

        // Python: json.dumps({...}, indent=2) of the same dict.
        Assert.Equal("{\n  \"a\": 1,\n  \"b\": 0.5,\n  \"c\": \"x\\\"y\\\\z\\u00e9\\n\",\n  \"d\": true,\n  \"e\": NaN,\n  \"f\": Infinity\n}", json);
    }

    [Fact]
    public void Serialize_Empty_Braces()
    {
        Assert.Equal("{}", PythonJson.Serialize([]));
    }

    [Fact]
    public void Parse_Serialized_SameKeysOrderAndKinds()
    {
        KeyValuePair<string, LogValue>[] items = [new("z", 3), new("a", 3.0), new("m", "s"), new("b", false), new("n", 1e-05)];
        var parsed = PythonJson.Parse("h.json", PythonJson.Serialize(items));
        Assert.Equal(items, parsed);
    }

    [Fact]
    public void Parse_InvalidJson_NamesFileAndLine()
    {
        var e = Assert.Throws<InvalidDataException>(() => PythonJson.Parse("/x/hparams.json", "{\n  \"a\": 1,\n  \"b\": }"));
        Assert.StartsWith("/x/hparams.json: invalid JSON at line 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestedValue_NamesField()
    {
        var e = Assert.Throws<InvalidDataException>(() => PythonJson.Parse("h.json", "{\"lr\": [1, 2]}"));
        Assert.Equal("h.json: field 'lr' is a Array, expected a number, string or boolean", e.Message);
    }
}
