using Dapper;
using MentorCircles.Core.Accounts;
using MentorCircles.Core.Circles;
using MentorCircles.Core.Data;
using MentorCircles.Core.Sessions;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MentorCircles.Benchmarks.RoomLoad;

/// <summary>One person of a load room: index 0 is the circle's facilitator, 1–9 are mentees.</summary>
internal sealed record LoadPerson(int Room, int Index, long Id, string Email)
{
    public bool IsFacilitator => Index == 0;
}

/// <summary>A seeded circle with a live session started by its facilitator.</summary>
internal sealed record LoadRoom(int Number, long CircleId, long SessionId, IReadOnlyList<LoadPerson> People)
{
    public string Path => $"/circles/{CircleId}/sessions/{SessionId}/room";
}

/// <summary>
/// A throwaway PostgreSQL for the run (a private cluster, or a fresh database on MENTORCIRCLES_TEST_DB's server),
/// migrated, then seeded with plain SQL: one program, and per room a circle of 10 people who all accepted its agreement.
/// </summary>
internal sealed class LoadDatabase : IAsyncDisposable
{
    public const string Password = "room load password";

    private readonly LocalPostgres? cluster;
    private readonly string? externalAdmin, externalName;
    private readonly string folder;

    private LoadDatabase(string connectionString, LocalPostgres? cluster, string? externalAdmin, string? externalName, string folder)
    {
        ConnectionString = connectionString;
        this.cluster = cluster;
        this.externalAdmin = externalAdmin;
        this.externalName = externalName;
        this.folder = folder;
        Log = cluster is null ? null : new PostgresLog(Path.Combine(cluster.ClusterDirectory, "server.log"), connectionString);
    }

    public string ConnectionString { get; }

    /// <summary>The private cluster's server log, set up to say which statements were slow and why (null on an external server).</summary>
    public PostgresLog? Log { get; }

    /// <summary>The private cluster's postmaster, so the CPU its backends use can be told apart (null on an external server).</summary>
    public int? PostmasterPid =>
        cluster is not null && File.Exists(Path.Combine(cluster.ClusterDirectory, "postmaster.pid"))
            ? int.Parse(File.ReadLines(Path.Combine(cluster.ClusterDirectory, "postmaster.pid")).First(), System.Globalization.CultureInfo.InvariantCulture)
            : null;

    public static async Task<LoadDatabase> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"mc-room-load-db-{Guid.NewGuid():N}");
        string conn;
        LocalPostgres? cluster = null;
        string? admin = null, name = null;
        if (Environment.GetEnvironmentVariable("MENTORCIRCLES_TEST_DB") is { Length: > 0 } external)
        {
            admin = external;
            name = $"mc_room_load_{DateTime.UtcNow:yyyyMMddHHmmss}";
            await using var c = new NpgsqlConnection(admin);
            await c.OpenAsync();
            await c.ExecuteAsync($"CREATE DATABASE \"{name}\"");
            conn = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
            Console.WriteLine($"PostgreSQL: database {name} on MENTORCIRCLES_TEST_DB's server");
        }
        else
        {
            cluster = await LocalPostgres.StartAsync(new LocalPostgresOptions { DataDirectory = folder, Database = "room_load", Settings = PostgresLog.Settings }, NullLogger.Instance);
            conn = cluster.ConnectionString;
            Console.WriteLine($"PostgreSQL: private cluster on port {cluster.Port} in {folder}");
        }
        var db = new LoadDatabase(conn, cluster, admin, name, folder);
        await using var source = Database.CreateDataSource(conn);
        await new MigrationRunner(source, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
        return db;
    }

    /// <summary>Seeds <paramref name="rooms"/> circles of 10 and starts a session in each (as its facilitator would).</summary>
    public async Task<IReadOnlyList<LoadRoom>> SeedAsync(int rooms)
    {
        await using var source = Database.CreateDataSource(ConnectionString);
        var hash = AccountService.HashPassword(Password);
        await using var conn = await source.OpenConnectionAsync();
        var programId = await conn.ExecuteScalarAsync<long>("""
            INSERT INTO mentor.program (name, time_zone, term_start, term_end)
            VALUES ('Room load', 'Europe/London', DATE '2026-01-12', DATE '2026-12-20') RETURNING id
            """);
        var result = new List<(int Number, long CircleId, List<LoadPerson> People)>();
        for (var r = 1; r <= rooms; r++)
        {
            var circleId = await conn.ExecuteScalarAsync<long>("""
                INSERT INTO mentor.circle (program_id, name, format, modality, time_zone, cadence, session_minutes, min_size, max_size)
                VALUES (@programId, @name, 'group', 'distance', 'Europe/London', 'weekly', 60, 2, 10) RETURNING id
                """, new { programId, name = $"Load room {r}" });
            var versionId = await conn.ExecuteScalarAsync<long>("""
                INSERT INTO mentor.agreement_version (circle_id, version, body, reason)
                VALUES (@circleId, 1, 'What is said in the circle stays in the circle.', 'created') RETURNING id
                """, new { circleId });
            var people = new List<LoadPerson>();
            for (var i = 0; i < 10; i++)
            {
                var email = $"room{r:00}.person{i}@load.example.org";
                var name = i == 0 ? $"Facilitator {r}" : $"Member {r}.{i}";
                var personId = await conn.ExecuteScalarAsync<long>("""
                    INSERT INTO mentor.person (email, display_name, time_zone, password_hash)
                    VALUES (@email, @name, 'Europe/London', @hash) RETURNING id
                    """, new { email, name, hash });
                await conn.ExecuteAsync("INSERT INTO mentor.program_person (program_id, person_id, role) VALUES (@programId, @personId, 'participant')",
                    new { programId, personId });
                await conn.ExecuteAsync("INSERT INTO mentor.membership (circle_id, person_id, role) VALUES (@circleId, @personId, @role)",
                    new { circleId, personId, role = i == 0 ? "facilitator" : "mentee" });
                await conn.ExecuteAsync("""
                    INSERT INTO mentor.agreement_acceptance (agreement_version_id, person_id, signed_name) VALUES (@versionId, @personId, @name)
                    """, new { versionId, personId, name });
                people.Add(new LoadPerson(r, i, personId, email));
            }
            result.Add((r, circleId, people));
        }

        var sessions = new SessionService(source, new CircleAccess(source), TimeProvider.System);
        var started = new List<LoadRoom>();
        foreach (var (number, circleId, people) in result)
            started.Add(new LoadRoom(number, circleId, await sessions.StartNowAsync(circleId, people[0].Id, CancellationToken.None), people));
        return started;
    }

    private int disposed;

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
