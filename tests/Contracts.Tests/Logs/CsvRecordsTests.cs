using AlgoPerf.Contracts.Logs;

namespace AlgoPerf.Contracts.Tests.Logs;

public sealed class CsvRecordsTests
{
    [Fact]
    public void Read_QuotedFieldsAndMixedLineEnds_GivesFieldsAndStartLines()
    {
        var records = CsvRecords.Read("m.csv", "a,b\r\n\"x,\"\"y\"\"\nz\",2\n\n3,\r4,5");

        Assert.Equal([1, 2, 5, 6], records.Select(r => r.Line));
        Assert.Equal(["a", "b"], records[0].Fields);
        Assert.Equal(["x,\"y\"\nz", "2"], records[1].Fields);
        Assert.Equal(["3", ""], records[2].Fields);
        Assert.Equal(["4", "5"], records[3].Fields);
    }

    [Fact]
    public void Read_UnterminatedQuote_ThrowsNamingFileAndLineItOpened()
    {
        var e = Assert.Throws<InvalidDataException>(() => CsvRecords.Read("m.csv", "a,b\n1,\"open\n2,3\n"));

        Assert.Equal("m.csv:2: unterminated quoted field", e.Message);
    }

    [Fact]
    public void Read_Empty_IsNoRecord() => Assert.Empty(CsvRecords.Read("m.csv", "\n\r\n"));
}
