using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace MentorCircles.Benchmarks.RoomLoad;

/// <summary>What PostgreSQL's log says happened in a stretch of time: statements that took 50 ms or more, the
/// slowest of them, checkpoints, autovacuum and autoanalyze runs, and lock waits of 20 ms or more; and from
/// pg_stat_wal, how many times the WAL was flushed to disk (each commit waits for one) and how long that took on average.</summary>
internal sealed record PostgresAccount(int SlowStatements, double SlowestMs, string? Slowest, int Checkpoints, int Autovacuums, int LockWaits,
    long WalSyncs = 0, double WalSyncMs = 0)
{
    public double WalSyncMeanMs => WalSyncs > 0 ? WalSyncMs / WalSyncs : 0;

    public string Brief => string.Create(CultureInfo.InvariantCulture,
        $"{SlowStatements}{(SlowStatements > 0 ? $" (max {SlowestMs:0} ms: {Slowest})" : "")}; {Checkpoints}; {Autovacuums}; {LockWaits}; {WalSyncs} × {WalSyncMeanMs:0.00} ms");
}

/// <summary>
/// Reads the private cluster's server.log from where the previous read stopped. The cluster is started with the
/// <see cref="Settings"/>, so a round in which the app's commands stall shows whether PostgreSQL was slow, and why.
/// </summary>
internal sealed partial class PostgresLog(string path, string connectionString)
{
    /// <summary>Server settings that make the log say enough (log_lock_waits reports waits longer than deadlock_timeout).</summary>
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["log_min_duration_statement"] = "50",
        ["log_checkpoints"] = "on",
        ["log_autovacuum_min_duration"] = "0",
        ["log_lock_waits"] = "on",
        ["deadlock_timeout"] = "'20ms'",
        ["track_wal_io_timing"] = "on",
    };

    private long offset;
    private (long Syncs, double Ms) wal;

    /// <summary>Lines logged and WAL flushes since <see cref="SkipAsync"/>.</summary>
    public async Task<PostgresAccount> SinceAsync()
    {
        var (syncs, syncMs) = await WalAsync();
        var lines = ReadNew();
        int slow = 0, checkpoints = 0, vacuums = 0, waits = 0;
        double slowest = 0;
        string? slowestText = null;
        foreach (var line in lines)
        {
            if (Duration().Match(line) is { Success: true } d)
            {
                slow++;
                var ms = double.Parse(d.Groups[1].Value, CultureInfo.InvariantCulture);
                if (ms > slowest) (slowest, slowestText) = (ms, Squash(d.Groups[2].Value));
            }
            else if (line.Contains("checkpoint starting", StringComparison.Ordinal)) checkpoints++;
            else if (line.Contains("automatic vacuum of table", StringComparison.Ordinal) || line.Contains("automatic analyze of table", StringComparison.Ordinal)) vacuums++;
            else if (line.Contains("still waiting for", StringComparison.Ordinal)) waits++;
        }
        return new PostgresAccount(slow, slowest, slowestText, checkpoints, vacuums, waits, syncs - wal.Syncs, syncMs - wal.Ms);
    }

    /// <summary>Skips what is logged so far, and starts counting WAL flushes afresh.</summary>
    public async Task SkipAsync()
    {
        ReadNew();
        wal = await WalAsync();
    }

    private async Task<(long Syncs, double Ms)> WalAsync()
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT wal_sync, wal_sync_time FROM pg_stat_wal", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetDouble(1));
    }

    private List<string> ReadNew()
    {
        var lines = new List<string>();
        if (!File.Exists(path)) return lines;
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (f.Length < offset) offset = 0;
        f.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(f);
        while (reader.ReadLine() is { } line) lines.Add(line);
        offset = f.Length;
        return lines;
    }

    /// <summary>The statement's first words, enough to tell which one it was.</summary>
    private static string Squash(string statement)
    {
        var s = Whitespace().Replace(statement, " ").Trim();
        return s.Length <= 60 ? s : s[..60] + "…";
    }

    [GeneratedRegex(@"duration: ([0-9.]+) ms\s+(?:statement|execute [^:]*|bind [^:]*|parse [^:]*):\s*(.*)$")]
    private static partial Regex Duration();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
