using AlgoPerf.Actors.Configuration;

namespace AlgoPerf.Actors.Tests.Configuration;

public sealed class ConfigTests
{
    private static Config Parse(string text) => ConfigFactory.ParseString(text, "c.conf").Resolve(_ => null);

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("10 s", 10_000)]
    [InlineData("2 minutes", 120_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("1d", 86_400_000)]
    [InlineData("250", 250)]
    [InlineData("1000us", 1)]
    public void GetDuration_UnitsOfHocon(string text, long expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Parse($"d = {text}").GetDuration("d"));

    [Theory]
    [InlineData("10MiB", 10L * 1024 * 1024)]
    [InlineData("512 KiB", 512L * 1024)]
    [InlineData("1GB", 1_000_000_000L)]
    [InlineData("128000b", 128_000L)]
    [InlineData("2k", 2048L)]
    [InlineData("4096", 4096L)]
    public void GetBytes_UnitsOfHocon(string text, long expected) =>
        Assert.Equal(expected, Parse($"s = {text}").GetBytes("s"));

    [Theory]
    [InlineData("on", true)]
    [InlineData("yes", true)]
    [InlineData("true", true)]
    [InlineData("off", false)]
    [InlineData("no", false)]
    [InlineData("false", false)]
    public void GetBoolean_AcceptsHoconSpellings(string text, bool expected) =>
        Assert.Equal(expected, Parse($"b = {text}").GetBoolean("b"));

    [Fact]
    public void GetOptionalDuration_Off_IsNull()
    {
        var c = Parse("a = off\nb = 3s");
        Assert.Null(c.GetOptionalDuration("a"));
        Assert.Equal(TimeSpan.FromSeconds(3), c.GetOptionalDuration("b"));
    }

    [Fact]
    public void GetInt_WrongValue_ErrorNamesPositionAndPath()
    {
        var c = Parse("outer {\n  count = lots\n}");
        var e = Assert.Throws<HoconException>(() => c.GetConfig("outer").GetInt("count"));
        Assert.Equal("c.conf:2:11: outer.count: expected an integer but found 'lots'", e.Message);
    }

    [Fact]
    public void GetDuration_UnknownUnit_ErrorNamesPosition()
    {
        var e = Assert.Throws<HoconException>(() => Parse("t = 5 fortnights").GetDuration("t"));
        Assert.Equal("c.conf:1:5: t: expected a duration (e.g. 500ms, 10s, 2 minutes) but found '5 fortnights'", e.Message);
    }

    [Fact]
    public void GetString_Missing_ErrorNamesPath()
    {
        var e = Assert.Throws<HoconException>(() => Parse("a = 1").GetString("a.b"));
        Assert.Equal("c.conf: missing setting 'a.b'", e.Message);
    }

    [Fact]
    public void GetString_Object_ErrorSaysWhatWasFound()
    {
        var e = Assert.Throws<HoconException>(() => Parse("a { b = 1 }").GetString("a"));
        Assert.Equal("c.conf:1:3: a: expected a string but found an object", e.Message);
    }

    [Fact]
    public void Getters_UnresolvedConfig_Throw()
    {
        var c = ConfigFactory.ParseString("a = 1");
        Assert.Throws<InvalidOperationException>(() => c.GetInt("a"));
    }

    [Fact]
    public void HasPath_NullValue_IsFalse()
    {
        var c = Parse("a = null\nb = \"null\"");
        Assert.False(c.HasPath("a"));
        Assert.Equal("null", c.GetString("b"));
    }
}
