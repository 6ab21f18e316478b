using Xunit.Abstractions;
using Xunit.Sdk;

using AlgoPerf.Tests.Shared;

namespace AlgoPerf.Actors.Tests.Persistence.Journal;

/// <summary>
/// A fact of the journal conformance suite. It runs like <see cref="FactAttribute"/>, except in a test class marked
/// <see cref="RequiresPostgresAttribute"/> when no PostgreSQL server is configured: then it is reported as skipped
/// with the reason, unless <c>ALGOPERF_REQUIRE_SERVICES=1</c> (CI), where it runs and fails naming the variable.
/// </summary>
[XunitTestCaseDiscoverer("AlgoPerf.Actors.Tests.Persistence.Journal.StoreFactDiscoverer", "AlgoPerf.Actors.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>Marks a conformance-suite subclass that needs the PostgreSQL server of <c>ALGOPERF_TEST_PG</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class RequiresPostgresAttribute : Attribute;

/// <summary>Discovers <see cref="StoreFactAttribute"/> tests, skipping those that need an absent service.</summary>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : IXunitTestCaseDiscoverer
{
    /// <inheritdoc />
    public IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
    {
        var display = discoveryOptions.MethodDisplayOrDefault();
        var displayOptions = discoveryOptions.MethodDisplayOptionsOrDefault();
        var needsPostgres = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute)).Any();
        var skip = needsPostgres ? PostgresEnvironment.SkipReason : null;
        yield return skip is null
            ? new XunitTestCase(diagnosticMessageSink, display, displayOptions, testMethod)
            : new XunitSkippedDataRowTestCase(diagnosticMessageSink, display, displayOptions, testMethod, skip);
    }
}
