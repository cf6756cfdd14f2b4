using Dapper;
using MentorCircles.Core.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MentorCircles.Benchmarks.SchedulingLoad;

/// <summary>
/// A throwaway PostgreSQL for one run: a private cluster from the server binaries on the machine (LocalPostgres finds
/// them and, as root, runs the server as the postgres OS user), or a fresh database on MENTORCIRCLES_TEST_DB's server.
/// Migrated with the app's MigrationRunner; dropped or stopped and deleted on dispose.
/// </summary>
internal sealed class SchedulingDatabase : IAsyncDisposable
{
    private readonly LocalPostgres? cluster;
    private readonly string? externalAdmin, externalName;
    private readonly string folder;
    private int disposed;

    private SchedulingDatabase(string connectionString, string description, LocalPostgres? cluster, string? externalAdmin, string? externalName, string folder)
    {
        ConnectionString = connectionString;
        Description = description;
        this.cluster = cluster;
        this.externalAdmin = externalAdmin;
        this.externalName = externalName;
        this.folder = folder;
    }

    public string ConnectionString { get; }
    public string Description { get; }

    /// <summary>The private cluster's postmaster, so the CPU its backends use can be told apart (null on an external server).</summary>
    public int? PostmasterPid =>
        cluster is not null && File.Exists(Path.Combine(cluster.ClusterDirectory, "postmaster.pid"))
            ? int.Parse(File.ReadLines(Path.Combine(cluster.ClusterDirectory, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture)
            : null;

    public static async Task<SchedulingDatabase> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"mc-scheduling-load-db-{Guid.NewGuid():N}");
        SchedulingDatabase db;
        if (Environment.GetEnvironmentVariable("MENTORCIRCLES_TEST_DB") is { Length: > 0 } external)
        {
            var name = $"mc_scheduling_load_{DateTime.UtcNow:yyyyMMddHHmmss}";
            await using (var c = new NpgsqlConnection(external))
            {
                await c.OpenAsync();
                await c.ExecuteAsync($"CREATE DATABASE \"{name}\"");
            }
            db = new SchedulingDatabase(new NpgsqlConnectionStringBuilder(external) { Database = name }.ConnectionString,
                $"database {name} on MENTORCIRCLES_TEST_DB's server", null, external, name, folder);
        }
        else
        {
            var cluster = await LocalPostgres.StartAsync(new LocalPostgresOptions { DataDirectory = folder, Database = "scheduling_load" }, NullLogger.Instance);
            db = new SchedulingDatabase(cluster.ConnectionString, $"private cluster on port {cluster.Port} in {folder}", cluster, null, null, folder);
        }
        await using var source = Database.CreateDataSource(db.ConnectionString);
        await new MigrationRunner(source, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
        return db;
    }

    public async Task<string> ServerVersionAsync()
    {
        await using var c = new NpgsqlConnection(ConnectionString);
        await c.OpenAsync();
        return await c.ExecuteScalarAsync<string>("SHOW server_version") ?? "?";
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return; // by the run, or by Teardown on Ctrl+C
        NpgsqlConnection.ClearAllPools();
        if (cluster is not null)
        {
            await cluster.StopAsync();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        else if (externalAdmin is not null)
        {
            await using var c = new NpgsqlConnection(externalAdmin);
            await c.OpenAsync();
            await c.ExecuteAsync($"DROP DATABASE IF EXISTS \"{externalName}\" WITH (FORCE)");
        }
    }
}
