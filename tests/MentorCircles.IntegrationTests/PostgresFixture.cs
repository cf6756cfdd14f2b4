using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Dapper;
using MentorCircles.Core.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MentorCircles.IntegrationTests;

/// <summary>Tests that need PostgreSQL join this collection: <c>[Collection(PostgresCollection.Name)]</c>, and take a <see cref="PostgresFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}

/// <summary>
/// One throwaway PostgreSQL cluster per test run, started from the server binaries on the machine with
/// <see cref="LocalPostgres"/> (the same code the app uses in local mode), in a time zone far from UTC so
/// UTC assumptions break loudly. A test asks for a database of its own (<see cref="CreateDatabaseAsync"/>,
/// <see cref="CreateMigratedDatabaseAsync"/>) or for its class's migrated database, emptied (<see cref="EmptiedDatabaseAsync"/>).
/// Set MENTORCIRCLES_TEST_DB to a connection string of a server where the user may CREATE DATABASE to use
/// that server instead; nothing is started then, and the databases made on it are dropped at the end.
/// </summary>
public sealed partial class PostgresFixture : IAsyncLifetime
{
    public const string ServerVariable = "MENTORCIRCLES_TEST_DB";
    /// <summary>UTC+12:45 (+13:45 in summer): any code that confuses server-local time with UTC shows it.</summary>
    public const string ServerTimeZone = "Pacific/Chatham";

    private static readonly ConcurrentDictionary<string, LocalPostgres?> privateClusters = new();

    private readonly ConcurrentBag<string> createdDatabases = [];
    private readonly ConcurrentDictionary<string, Lazy<Task<SharedDatabase>>> sharedDatabases = new();
    private LocalPostgres? cluster;
    private string? clusterFolder;
    private NpgsqlDataSource? admin;

    static PostgresFixture() => AppDomain.CurrentDomain.ProcessExit += (_, _) => CleanUpPrivateClusters();

    /// <summary>A connection string to the server's maintenance database (not one a test should write to).</summary>
    public string ServerConnectionString { get; private set; } = "";

    /// <summary>True when the tests run against MENTORCIRCLES_TEST_DB rather than a cluster of their own.</summary>
    public bool UsesExternalServer => cluster is null;

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable(ServerVariable);
        if (!string.IsNullOrWhiteSpace(external))
        {
            ServerConnectionString = external;
        }
        else
        {
            clusterFolder = NewTempFolder("run");
            try
            {
                cluster = await StartClusterAsync(clusterFolder, CancellationToken.None);
            }
            catch
            {
                TryDeleteFolder(clusterFolder);
                throw;
            }
            ServerConnectionString = new NpgsqlConnectionStringBuilder(cluster.ConnectionString) { Database = "postgres" }.ConnectionString;
        }
        admin = NpgsqlDataSource.Create(ServerConnectionString);
    }

    /// <summary>A fresh, empty database with a unique name (starting with <paramref name="name"/> when given); returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null, CancellationToken ct = default)
    {
        var db = UniqueName(name);
        await using (var conn = await Admin.OpenConnectionAsync(ct))
        {
            await conn.ExecuteAsync(new CommandDefinition($"CREATE DATABASE \"{db}\"", cancellationToken: ct));
            createdDatabases.Add(db);
            // An external server keeps its own default; the odd zone is set per database so the tests behave alike everywhere.
            await conn.ExecuteAsync(new CommandDefinition($"ALTER DATABASE \"{db}\" SET timezone = '{ServerTimeZone}'", cancellationToken: ct));
        }
        return new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = db }.ConnectionString;
    }

    /// <summary>A fresh database brought up to date by the production migrations. The caller disposes the data source.</summary>
    public async Task<NpgsqlDataSource> CreateMigratedDatabaseAsync(string? name = null, CancellationToken ct = default)
    {
        var db = Database.CreateDataSource(await CreateDatabaseAsync(name, ct));
        try
        {
            await new MigrationRunner(db, NullLogger<MigrationRunner>.Instance).MigrateAsync(ct);
            return db;
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The migrated database that belongs to <paramref name="owner"/> (e.g. a test class's full name: its tests run one at a time),
    /// emptied of every row but the migration journal. Emptying takes milliseconds where a new database takes a good
    /// part of a second. The fixture owns and disposes the data source.
    /// </summary>
    public async Task<NpgsqlDataSource> EmptiedDatabaseAsync(string owner, CancellationToken ct = default)
    {
        var shared = await sharedDatabases.GetOrAdd(owner, o => new(() => SharedDatabase.CreateAsync(this, o))).Value;
        await shared.EmptyAsync(ct);
        return shared.DataSource;
    }

    /// <summary>
    /// Starts a second, independent cluster in a temporary folder, e.g. for a test that stops the database under
    /// a running app. Needs the server binaries even when MENTORCIRCLES_TEST_DB is set. The caller disposes it (which
    /// stops it); <see cref="DestroyPrivateClusterAsync"/> also deletes its folder, and whatever is left is cleaned up
    /// when the test process exits.
    /// </summary>
    public static async Task<LocalPostgres> StartPrivateClusterAsync(CancellationToken ct = default)
    {
        var folder = NewTempFolder("private");
        privateClusters[folder] = null;
        var pg = await StartClusterAsync(folder, ct);
        privateClusters[folder] = pg;
        return pg;
    }

    /// <summary>Stops a cluster from <see cref="StartPrivateClusterAsync"/> and deletes its folder.</summary>
    public static async Task DestroyPrivateClusterAsync(LocalPostgres pg)
    {
        await pg.StopAsync();
        var folder = Path.GetDirectoryName(pg.ClusterDirectory)!;
        privateClusters.TryRemove(folder, out _);
        TryDeleteFolder(folder);
    }

    /// <summary>The options the test clusters use: a fast, non-durable server in <see cref="ServerTimeZone"/>.</summary>
    public static LocalPostgresOptions ClusterOptions(string dataDirectory) => new()
    {
        DataDirectory = dataDirectory,
        // Written raw into postgresql.conf: strings need their quotes.
        Settings = new Dictionary<string, string>
        {
            ["timezone"] = $"'{ServerTimeZone}'",
            ["fsync"] = "off",
            ["synchronous_commit"] = "off",
            ["full_page_writes"] = "off",
            // Web tests start an app (pool, Hangfire workers, room LISTEN) per case; the default 100 runs out.
            ["max_connections"] = "300",
        },
    };

    /// <summary>A new empty folder under the system temp folder, for a cluster.</summary>
    public static string NewTempFolder(string purpose) =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"mentorcircles-tests-{purpose}-{Guid.NewGuid():N}")).FullName;

    public async Task DisposeAsync()
    {
        foreach (var shared in sharedDatabases.Values.Where(s => s.IsValueCreated && s.Value.IsCompletedSuccessfully))
            await shared.Value.Result.DataSource.DisposeAsync();
        if (admin is not null)
        {
            if (cluster is null) await DropCreatedDatabasesAsync();
            await admin.DisposeAsync();
        }
        if (cluster is not null) await cluster.DisposeAsync();
        if (clusterFolder is not null) TryDeleteFolder(clusterFolder);
    }

    private NpgsqlDataSource Admin => admin ?? throw new InvalidOperationException("The PostgreSQL fixture has not been initialised.");

    private static async Task<LocalPostgres> StartClusterAsync(string folder, CancellationToken ct)
    {
        try
        {
            return await LocalPostgres.StartAsync(ClusterOptions(folder), NullLogger.Instance, ct);
        }
        catch (PostgresNotInstalledException ex)
        {
            throw new InvalidOperationException(
                $"The integration tests need PostgreSQL. {ex.Message}\n" +
                $"  or run them against a server of yours:  set {ServerVariable}=\"Host=...;Username=...;Password=...;Database=postgres\" (the user needs CREATEDB)",
                ex);
        }
    }

    private async Task DropCreatedDatabasesAsync()
    {
        // Connections the tests forgot to close would block DROP DATABASE; FORCE ends them.
        NpgsqlConnection.ClearAllPools();
        await using var conn = await Admin.OpenConnectionAsync();
        foreach (var db in createdDatabases)
            await conn.ExecuteAsync(new CommandDefinition($"DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)"));
    }

    private sealed class SharedDatabase(NpgsqlDataSource dataSource, string? emptyAll)
    {
        public NpgsqlDataSource DataSource => dataSource;

        public static async Task<SharedDatabase> CreateAsync(PostgresFixture fixture, string owner)
        {
            var db = await fixture.CreateMigratedDatabaseAsync(owner.Split('.')[^1]);
            await using var conn = await db.OpenConnectionAsync();
            var tables = (await conn.QueryAsync<string>(new CommandDefinition("""
                SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
                WHERE schemaname = 'mentor' AND tablename <> 'schema_migration' ORDER BY 1
                """))).AsList();
            // One statement deletes from every table: foreign keys (NO ACTION) are checked at its end, so order does not matter.
            // TRUNCATE would do too, but costs as much as a new database.
            var emptyAll = tables.Count == 0 ? null
                : "WITH " + string.Join(", ", tables.Select((t, i) => $"d{i} AS (DELETE FROM {t})")) + " SELECT 1";
            return new SharedDatabase(db, emptyAll);
        }

        public async Task EmptyAsync(CancellationToken ct)
        {
            if (emptyAll is null) return;
            await using var conn = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            // Permanent-record tables (e.g. agreement acceptances) refuse deletes unless a purge is declared.
            await conn.ExecuteAsync(new CommandDefinition("SET LOCAL mentor.allow_record_purge = 'on'", transaction: tx, cancellationToken: ct));
            await conn.ExecuteAsync(new CommandDefinition(emptyAll, transaction: tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
    }

    private static string UniqueName(string? name)
    {
        var prefix = string.IsNullOrWhiteSpace(name) ? "test" : NotNameChars().Replace(name.ToLowerInvariant(), "_");
        if (prefix.Length > 40) prefix = prefix[..40];
        return $"mc_{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 3 + 1 + 12)];
    }

    private static void CleanUpPrivateClusters()
    {
        foreach (var (folder, pg) in privateClusters)
        {
            try
            {
                pg?.StopAsync().Wait(TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
                // Best effort at exit: a server whose folder is gone shuts itself down within a minute.
            }
            TryDeleteFolder(folder);
        }
    }

    private static void TryDeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    [GeneratedRegex("[^a-z0-9_]")]
    private static partial Regex NotNameChars();
}
