using AlgoPerf.Trainer.Logging;

namespace AlgoPerf.Trainer.Tests.Logging;

public sealed class PythonReprTests
{
    // Expected strings are Python 3.11's repr() of the same doubles.
    [Theory]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(1.0, "1.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00012345, "0.00012345")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(123456789012345678.0, "1.2345678901234568e+17")]
    [InlineData(1.5e-300, "1.5e-300")]
    [InlineData(2.5e+300, "2.5e+300")]
    [InlineData(0.001308209823469072, "0.001308209823469072")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(100.0, "100.0")]
    [InlineData(1e22, "1e+22")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(1.0 / 3.0, "0.3333333333333333")]
    [InlineData(946684806.5, "946684806.5")]
    [InlineData(12345.678, "12345.678")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void Float_Value_MatchesPythonRepr(double value, string expected)
    {
        Assert.Equal(expected, PythonRepr.Float(value));
    }

    [Fact]
    public void JsonString_SpecialAndNonAsciiCharacters_EscapedAsJsonDumps()
    {
        Assert.Equal("\"x\\\"y\\\\z\\u00e9\\n\\u0001\"", PythonRepr.JsonString("x\"y\\z\u00e9\n\u0001"));
    }
}
