using System.Net.Sockets;
using Dapper;
using MentorCircles.Core.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MentorCircles.IntegrationTests.Data;

/// <summary>
/// Runs clusters of its own beside the database tests. Creating a cluster takes seconds (initdb syncs every file),
/// so the tests share one that each finds stopped and leaves stopped.
/// </summary>
public sealed class LocalPostgresTests(LocalPostgresTests.StoppedCluster cluster) : IClassFixture<LocalPostgresTests.StoppedCluster>, IAsyncLifetime
{
    private readonly string folder = cluster.Folder;
    private readonly List<LocalPostgres> started = [];

    private LocalPostgresOptions Options => PostgresFixture.ClusterOptions(folder);
    private string PidFile => Path.Combine(folder, "pgdata", "postmaster.pid");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Newest first: an older handle would otherwise stop the server a newer one started.
        for (var i = started.Count - 1; i >= 0; i--) await started[i].StopAsync();
        File.Delete(PidFile);
    }

    /// <summary>A cluster created once for the class with the fixture's own helper, and stopped.</summary>
    public sealed class StoppedCluster : IAsyncLifetime
    {
        private LocalPostgres? pg;

        public string Folder => Path.GetDirectoryName(pg?.ClusterDirectory) ?? throw new InvalidOperationException("No cluster yet.");

        public async Task InitializeAsync()
        {
            pg = await PostgresFixture.StartPrivateClusterAsync();
            await pg.StopAsync();
        }

        public async Task DisposeAsync()
        {
            if (pg is not null) await PostgresFixture.DestroyPrivateClusterAsync(pg);
        }
    }

    [Fact]
    public async Task A_cluster_is_created_with_the_given_settings()
    {
        var pg = await StartAsync();

        await using var conn = await OpenAsync(pg.ConnectionString);
        Assert.Equal(PostgresFixture.ServerTimeZone, await conn.ExecuteScalarAsync<string>(new CommandDefinition("SHOW timezone")));
        Assert.Equal("off", await conn.ExecuteScalarAsync<string>(new CommandDefinition("SHOW fsync")));
        Assert.Equal("mentorcircles", await conn.ExecuteScalarAsync<string>(new CommandDefinition("SELECT current_database()")));
    }

    [Fact]
    public async Task A_stopped_cluster_is_reused_on_the_next_start_with_its_data()
    {
        var first = await StartAsync();
        var note = $"written before the stop {Guid.NewGuid()}";
        await using (var conn = await OpenAsync(first.ConnectionString))
            await conn.ExecuteAsync(new CommandDefinition("CREATE TABLE IF NOT EXISTS kept (note text); INSERT INTO kept VALUES (@note)", new { note }));
        await first.StopAsync();

        var second = await StartAsync();

        Assert.Equal(first.ClusterDirectory, second.ClusterDirectory);
        await using var again = await OpenAsync(second.ConnectionString);
        Assert.Equal(1, await again.ExecuteScalarAsync<int>(new CommandDefinition("SELECT count(*)::int FROM kept WHERE note = @note", new { note })));
    }

    [Fact]
    public async Task A_second_start_while_running_reuses_the_running_server()
    {
        var first = await StartAsync();

        var second = await StartAsync();

        Assert.Equal(first.Port, second.Port);
        await using var conn = await OpenAsync(second.ConnectionString);
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1")));
    }

    [Fact]
    public async Task A_stale_postmaster_pid_of_a_process_that_is_gone_does_not_prevent_a_start()
    {
        const int deadPid = 999999;
        Assert.False(Directory.Exists($"/proc/{deadPid}"), $"PID {deadPid} happens to be running; the test needs a PID that is not.");
        await WriteStalePidFileAsync(deadPid, port: 5999);

        var second = await StartAsync();

        await using var conn = await OpenAsync(second.ConnectionString);
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1")));
    }

    [Fact]
    public async Task A_stale_postmaster_pid_whose_number_now_belongs_to_another_program_does_not_prevent_a_start()
    {
        // The test process itself: alive, and not PostgreSQL.
        await WriteStalePidFileAsync(Environment.ProcessId, port: 5999);

        var second = await StartAsync();

        await using var conn = await OpenAsync(second.ConnectionString);
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1")));
    }

    [Fact]
    public async Task A_stale_postmaster_pid_whose_number_now_belongs_to_another_PostgreSQL_does_not_prevent_a_start()
    {
        var other = await PostgresFixture.StartPrivateClusterAsync();
        try
        {
            // After a reboot the old PID may be taken by some other cluster's server, e.g. the system PostgreSQL.
            var otherPid = int.Parse(File.ReadLines(Path.Combine(other.ClusterDirectory, "postmaster.pid")).First());
            await WriteStalePidFileAsync(otherPid, port: 5999);

            var second = await StartAsync();

            await using var conn = await OpenAsync(second.ConnectionString);
            Assert.Equal("mentorcircles", await conn.ExecuteScalarAsync<string>(new CommandDefinition("SELECT current_database()")));
        }
        finally
        {
            await PostgresFixture.DestroyPrivateClusterAsync(other);
        }
    }

    [Fact]
    public void A_folder_closed_to_other_users_on_the_way_is_found()
    {
        if (OperatingSystem.IsWindows()) return; // folder modes are a Unix matter
        var root = Path.Combine(Path.GetTempPath(), $"mc-closed-{Guid.NewGuid():N}");
        var inner = Path.Combine(root, "home", "db");
        Directory.CreateDirectory(inner);
        try
        {
            File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            Assert.Null(LocalPostgres.ClosedFolderOnTheWay(inner));

            var home = Path.Combine(root, "home");
            File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // like /root
            Assert.Equal(home, LocalPostgres.ClosedFolderOnTheWay(inner));
            Assert.Equal(home, LocalPostgres.ClosedFolderOnTheWay(Path.Combine(inner, "not-made-yet")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task As_root_a_cluster_folder_the_postgres_user_cannot_reach_is_refused_with_the_fix()
    {
        if (OperatingSystem.IsWindows() || !LocalPostgres.RunsAsPostgresUser) return; // only root hands the server to the postgres user (CI runs as root)
        var home = Path.Combine(Path.GetTempPath(), $"mc-home-{Guid.NewGuid():N}");
        Directory.CreateDirectory(home);
        File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            var dataDir = Path.Combine(home, "db");
            var ex = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                LocalPostgres.StartAsync(new LocalPostgresOptions { DataDirectory = dataDir }, NullLogger.Instance));
            Assert.Contains($"cannot reach {dataDir}: {home} is closed to other users", ex.Message);
            Assert.Contains("LocalDatabase__DataDirectory=", ex.Message);
            Assert.False(Directory.Exists(Path.Combine(dataDir, "pgdata")), "Nothing of a cluster is made before the refusal.");
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [Fact]
    public async Task Stop_stops_the_server_so_connections_are_refused()
    {
        var pg = await StartAsync();
        await using (var conn = await OpenAsync(pg.ConnectionString))
            Assert.Equal(1, await conn.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1")));

        await pg.StopAsync();

        var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => OpenAsync(pg.ConnectionString));
        Assert.Equal(SocketError.ConnectionRefused, Assert.IsType<SocketException>(refused.InnerException).SocketErrorCode);
        Assert.False(File.Exists(PidFile));
        await pg.StopAsync(); // a second stop is harmless
    }

    private async Task<LocalPostgres> StartAsync()
    {
        var pg = await LocalPostgres.StartAsync(Options, NullLogger.Instance);
        started.Add(pg);
        return pg;
    }

    /// <summary>What a server killed without warning leaves behind: a lock file naming its PID and port.</summary>
    private Task WriteStalePidFileAsync(int pid, int port) =>
        File.WriteAllTextAsync(PidFile, $"{pid}\n{Path.Combine(folder, "pgdata")}\n{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}\n{port}\n\n127.0.0.1\n  5432001  0\nready   \n");

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5 }.ConnectionString);
        try
        {
            await conn.OpenAsync();
            return conn;
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }
}
