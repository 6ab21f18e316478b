using AlgoPerf.Trainer.Logging;

namespace AlgoPerf.Trainer.Tests.Logging;

public sealed class MeasurementsTableTests
{
    [Fact]
    public void Append_FirstRow_ColumnsSortedLaterColumnsAppendedInRowOrder()
    {
        var table = new MeasurementsTable();
        table.Append([new("loss", 2.0), new("global_step", 0)]);
        table.Append([new("z", 1.0), new("a", 1.0), new("global_step", 1)]);

        Assert.Equal(["global_step", "loss", "z", "a"], table.Columns);
    }

    [Fact]
    public void ToCsv_IntColumnWithMissingCell_BecomesFloatWithEmptyCell()
    {
        var table = new MeasurementsTable();
        table.Append([new("n", 5), new("global_step", 1)]);
        table.Append([new("global_step", 2)]);

        Assert.Equal("global_step,n\n1,5.0\n2,\n", table.ToCsv());
    }

    [Fact]
    public void ToCsv_CompleteIntColumn_PrintsInts_FloatsPrintRepr_NaNEmpty()
    {
        var table = new MeasurementsTable();
        table.Append([new("a", 3), new("b", 1e-05), new("c", double.NaN), new("d", double.PositiveInfinity)]);
        table.Append([new("a", 4), new("b", 2.0), new("c", 0.5), new("d", 1.0)]);

        Assert.Equal("a,b,c,d\n3,1e-05,,inf\n4,2.0,0.5,1.0\n", table.ToCsv());
    }

    [Fact]
    public void ToCsv_StringWithComma_Quoted()
    {
        var table = new MeasurementsTable();
        table.Append([new("note", "a,\"b\""), new("x", 1)]);

        Assert.Equal("note,x\n\"a,\"\"b\"\"\",1\n", table.ToCsv());
        Assert.Equal("a,\"b\"", MeasurementsTable.Parse("m.csv", table.ToCsv()).Get(0, "note")?.Text);
    }

    [Fact]
    public void Parse_WrittenTable_RoundTripsTextAndValues()
    {
        var table = new MeasurementsTable();
        table.Append([new("score", 1.5), new("global_step", 1), new("validation/accuracy", 0.25)]);
        table.Append([new("score", 3.0), new("global_step", 2)]);
        var text = table.ToCsv();

        var parsed = MeasurementsTable.Parse("m.csv", text);

        Assert.Equal(text, parsed.ToCsv());
        Assert.Equal(table.Columns, parsed.Columns);
        Assert.Equal(LogValue.Of(2), parsed.Get(1, "global_step"));
        Assert.Null(parsed.Get(1, "validation/accuracy"));
        Assert.Equal(0.25, parsed.Get(0, "validation/accuracy")?.AsDouble);
    }

    [Fact]
    public void Parse_RowWithWrongFieldCount_NamesFileAndLine()
    {
        var e = Assert.Throws<InvalidDataException>(() => MeasurementsTable.Parse("/t/eval_measurements.csv", "a,b\n1,2\n3\n"));
        Assert.Equal("/t/eval_measurements.csv:3: 1 fields, the header has 2", e.Message);
    }

    [Fact]
    public void Parse_DuplicateColumn_NamesColumn()
    {
        var e = Assert.Throws<InvalidDataException>(() => MeasurementsTable.Parse("m.csv", "a,a\n1,2\n"));
        Assert.Equal("m.csv:1: column 2 is a duplicate of 'a'", e.Message);
    }

    [Fact]
    public void Parse_UnterminatedQuote_NamesLine()
    {
        var e = Assert.Throws<InvalidDataException>(() => MeasurementsTable.Parse("m.csv", "a\n\"x\n"));
        Assert.Equal("m.csv:2: unterminated quoted field", e.Message);
    }

    [Fact]
    public void Load_MissingFile_EmptyTable()
    {
        var table = MeasurementsTable.Load(Path.Combine(Path.GetTempPath(), "missing-" + Guid.NewGuid() + ".csv"));
        Assert.Equal(0, table.RowCount);
        Assert.Empty(table.Columns);
    }
}
