using AlgoPerf.Tuner.Plans;

namespace AlgoPerf.Tuner.Tests.Plans;

public sealed class StudyPointPoliciesTests
{
    [Theory]
    [InlineData(StudyPointPolicy.Reference, "reference")]
    [InlineData(StudyPointPolicy.Disjoint, "disjoint")]
    public void ToWireAndParse_EachPolicy_RoundTrips(StudyPointPolicy policy, string wire)
    {
        Assert.Equal(wire, policy.ToWire());
        Assert.Equal(policy, StudyPointPolicies.Parse(wire.ToUpperInvariant()));
    }

    [Fact]
    public void Parse_Unknown_ThrowsFormatException()
    {
        var e = Assert.Throws<FormatException>(() => StudyPointPolicies.Parse("random"));

        Assert.Equal("unknown study point policy 'random' (expected reference or disjoint)", e.Message);
    }
}
