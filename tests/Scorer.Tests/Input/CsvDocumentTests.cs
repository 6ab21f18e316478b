using AlgoPerf.Scorer.Input;

namespace AlgoPerf.Scorer.Tests.Input;

public sealed class CsvDocumentTests
{
    [Fact]
    public void Parse_QuotedFieldsWithCommasQuotesAndNewlines_Unquoted()
    {
        var csv = CsvDocument.Parse("f.csv", "a,b\n\"x,1\",\"say \"\"hi\"\"\"\n\"multi\nline\",2\r\n3,4\n");

        Assert.Equal(["a", "b"], csv.Header);
        Assert.Equal(3, csv.Records.Count);
        Assert.Equal(["x,1", "say \"hi\""], csv.Records[0].Fields);
        Assert.Equal("multi\nline", csv.Records[1].Fields[0]);
        Assert.Equal(3, csv.Records[1].Line);
        Assert.Equal(5, csv.Records[2].Line);
    }

    [Fact]
    public void Parse_EmptyFields_Kept()
    {
        var csv = CsvDocument.Parse("f.csv", "a,b,c\n,,\n1,,3\n");

        Assert.Equal(["", "", ""], csv.Records[0].Fields);
        Assert.Equal(["1", "", "3"], csv.Records[1].Fields);
    }

    [Fact]
    public void Parse_BlankLines_Skipped()
    {
        var csv = CsvDocument.Parse("f.csv", "a\n\n1\n\n");

        Assert.Single(csv.Records);
        Assert.Equal(3, csv.Records[0].Line);
    }

    [Fact]
    public void Parse_WrongFieldCount_ErrorNamesFileLineColumn()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvDocument.Parse("f.csv", "a,b,c\n1,2,3\n1,2\n"));

        Assert.StartsWith("f.csv:3:3: 2 fields, but the header has 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnterminatedQuote_Error()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvDocument.Parse("f.csv", "a\n\"open\n"));

        Assert.StartsWith("f.csv:2: unterminated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Empty_Error()
    {
        Assert.Throws<InvalidDataException>(() => CsvDocument.Parse("f.csv", ""));
    }

    [Fact]
    public void RequireColumn_Missing_ErrorNamesColumn()
    {
        var csv = CsvDocument.Parse("f.csv", "a,b\n");

        var e = Assert.Throws<InvalidDataException>(() => csv.RequireColumn("score"));
        Assert.Contains("missing column 'score'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("-inf", double.NegativeInfinity)]
    [InlineData("Infinity", double.PositiveInfinity)]
    [InlineData("+INF", double.PositiveInfinity)]
    [InlineData("1e3", 1000.0)]
    [InlineData(" 0.25 ", 0.25)]
    public void Number_PythonSpellings_Parsed(string text, double expected)
    {
        var csv = CsvDocument.Parse("f.csv", "x\n\"" + text + "\"\n");

        Assert.Equal(expected, csv.Records[0].Number(0, empty: double.NaN));
    }

    [Theory]
    [InlineData("nan")]
    [InlineData("NaN")]
    [InlineData("")]
    public void Number_NaNOrEmpty_IsNaN(string text)
    {
        var csv = CsvDocument.Parse("f.csv", "x,y\n" + text + ",1\n");

        Assert.True(double.IsNaN(csv.Records[0].Number(0, empty: double.NaN)));
    }

    [Fact]
    public void Number_Garbage_ErrorNamesFileLineColumnAndName()
    {
        var csv = CsvDocument.Parse("f.csv", "a,score\n1,abc\n");

        var e = Assert.Throws<InvalidDataException>(() => csv.Records[0].Number(1, double.NaN));
        Assert.Equal("f.csv:2:2: score: 'abc' is not a number", e.Message);
    }

    [Fact]
    public void Integer_PandasFloatSpelling_Accepted()
    {
        var csv = CsvDocument.Parse("f.csv", "a,b\n12.0,1.5\n");

        Assert.Equal(12, csv.Records[0].Integer(0, allowEmpty: false));
        Assert.Throws<InvalidDataException>(() => csv.Records[0].Integer(1, allowEmpty: false));
    }
}
