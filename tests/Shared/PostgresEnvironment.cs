namespace AlgoPerf.Tests.Shared;

/// <summary>
/// The PostgreSQL server for tests: <c>ALGOPERF_TEST_PG</c> holds its connection string (<c>scripts/postgres.sh
/// start</c> prints one). When it is unset, tests needing it skip locally and fail when <c>ALGOPERF_REQUIRE_SERVICES=1</c>.
/// </summary>
public static class PostgresEnvironment
{
    /// <summary>The environment variable holding the connection string.</summary>
    public const string Variable = "ALGOPERF_TEST_PG";

    /// <summary>The connection string, or null.</summary>
    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    /// <summary>Whether services are mandatory (CI).</summary>
    public static bool Required => Environment.GetEnvironmentVariable("ALGOPERF_REQUIRE_SERVICES") == "1";

    /// <summary>Why PostgreSQL tests are skipped, or null when they run (configured, or required and then failing).</summary>
    public static string? SkipReason => ConnectionString is null && !Required
        ? $"{Variable} is not set (run scripts/postgres.sh start and export its connection string); set ALGOPERF_REQUIRE_SERVICES=1 to make this a failure"
        : null;

    /// <summary>The connection string, or an exception naming the variable (only reached when required).</summary>
    /// <returns>The connection string.</returns>
    public static string RequireConnectionString()
        => ConnectionString ?? throw new InvalidOperationException($"{Variable} is not set but ALGOPERF_REQUIRE_SERVICES=1: PostgreSQL tests must run (scripts/postgres.sh start prints the connection string)");
}
