using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Contracts.Persistence;

namespace AlgoPerf.Contracts.Tests.Persistence;

public sealed class JournalStoreFromConfigTests
{
    [Fact]
    public void FromConfig_Reference_IsTheRunDirectorysSqliteFile()
    {
        var store = JournalStore.FromConfig(AlgoPerfConfig.Reference, "reference.conf", "/runs/x", null);

        Assert.Equal((JournalKind.Sqlite, "/runs/x/journal.db", "SQLite.MS"), (store.Kind, store.SqliteFile, store.ProviderName));
    }

    [Fact]
    public void FromConfig_ConnectionOverride_IsPostgresWhateverTheConfigSays()
    {
        var store = JournalStore.FromConfig(AlgoPerfConfig.Reference, "reference.conf", "/runs/x", "Host=db;Username=u");

        Assert.Equal((JournalKind.Postgres, "Host=db;Username=u", "PostgreSQL.15", null), (store.Kind, store.ConnectionString, store.ProviderName, store.SqliteFile));
    }

    [Fact]
    public void FromConfig_PostgresWithItsConnectionString_UsesIt()
    {
        var config = AlgoPerfConfig.Parse("algoperf.journal { store = postgres, connection-string = \"Host=db\" }");

        Assert.Equal(JournalStore.Postgres("Host=db"), JournalStore.FromConfig(config, "c.conf", "/runs/x", null));
    }

    [Fact]
    public void FromConfig_PostgresWithoutConnectionString_NamesFileKeyAndWhereToGiveIt()
    {
        var config = AlgoPerfConfig.Parse("algoperf.journal.store = postgres");

        var e = Assert.Throws<InvalidDataException>(() => JournalStore.FromConfig(config, "c.conf", "/runs/x", null));

        Assert.StartsWith("c.conf: algoperf.journal.connection-string: missing: the PostgreSQL journal needs a connection string (give --journal or ALGOPERF_JOURNAL", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromConfig_UnknownStore_NamesFileAndKey()
    {
        var e = Assert.Throws<InvalidDataException>(() => JournalStore.FromConfig(AlgoPerfConfig.Parse("algoperf.journal.store = mysql"), "c.conf", "/r", null));

        Assert.Equal("c.conf: algoperf.journal.store: must be sqlite or postgres (got mysql)", e.Message);
    }
}
