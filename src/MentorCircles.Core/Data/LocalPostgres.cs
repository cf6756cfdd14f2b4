using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MentorCircles.Core.Data;

public sealed record LocalPostgresOptions
{
    /// <summary>The folder that holds the cluster (pgdata/) and its generated password.</summary>
    public required string DataDirectory { get; init; }
    /// <summary>Where initdb and pg_ctl live; looked up when not given.</summary>
    public string? BinDirectory { get; init; }
    /// <summary>A fixed port; a free one is picked at each start when not given.</summary>
    public int? Port { get; init; }
    public string Database { get; init; } = "mentorcircles";
    /// <summary>Extra server settings (name, value) written to postgresql.conf, e.g. an odd time zone for tests.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

/// <summary>Thrown when no PostgreSQL server binaries are on the machine; its message says how to fix it.</summary>
public sealed class PostgresNotInstalledException(string message) : Exception(message);

/// <summary>
/// A private PostgreSQL cluster in a folder of its own, run from the server binaries on the machine:
/// created on first start, reused afterwards, stopped cleanly on dispose. As root it runs the server
/// as the unprivileged postgres OS user, because PostgreSQL refuses to run as root.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    public const string InstallHint =
        "PostgreSQL server binaries (initdb, pg_ctl) were not found on this machine.\n" +
        "  Install them:            sudo apt-get install -y postgresql\n" +
        "  or use your own server:  set ConnectionStrings__MentorCircles=\"Host=...;Database=...;Username=...;Password=...\"\n" +
        "  or point at the folder:  set LocalDatabase__BinDirectory=/usr/lib/postgresql/<version>/bin";

    private readonly LocalPostgresOptions options;
    private readonly ILogger log;
    private readonly string binDir;
    private bool stopped;

    private LocalPostgres(LocalPostgresOptions options, string binDir, int port, string password, ILogger log)
    {
        this.options = options;
        this.binDir = binDir;
        this.log = log;
        Port = port;
        ConnectionString = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = "postgres",
            Password = password,
            Database = options.Database,
        }.ConnectionString;
    }

    public int Port { get; }
    public string ConnectionString { get; }
    public string ClusterDirectory => Path.Combine(options.DataDirectory, "pgdata");
    /// <summary>True when this process runs the server as the postgres OS user (it is root), so that user must reach the cluster's folder.</summary>
    public static bool RunsAsPostgresUser => Environment.IsPrivilegedProcess;

    /// <summary>Finds a folder with initdb and pg_ctl: the configured one, pg_config --bindir, PATH, then /usr/lib/postgresql/*/bin (newest first).</summary>
    public static string? FindBinDirectory(string? configured = null)
    {
        static bool Has(string? dir) => !string.IsNullOrEmpty(dir)
            && File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")) && File.Exists(Path.Combine(dir, "postgres"));

        if (!string.IsNullOrWhiteSpace(configured)) return Has(configured) ? configured : null;

        var fromPgConfig = TryRun("pg_config", "--bindir");
        if (Has(fromPgConfig)) return fromPgConfig;

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var initdb = Path.Combine(dir, "initdb");
            if (!File.Exists(initdb)) continue;
            var real = new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb;
            var realDir = Path.GetDirectoryName(real);
            if (Has(realDir)) return realDir;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            return Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: double.TryParse(Path.GetFileName(d), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(x => Has(x.Dir))
                .OrderByDescending(x => x.Version)
                .Select(x => x.Dir)
                .FirstOrDefault();
        }
        return null;
    }

    /// <summary>
    /// The first folder on the way to <paramref name="folder"/> (itself included) that users other than its owner
    /// cannot pass through (no execute bit for others), or null when every one of them is open: as root the server
    /// runs as the postgres user, and a home folder such as /root (mode 700) keeps it out.
    /// </summary>
    public static string? ClosedFolderOnTheWay(string folder)
    {
        if (OperatingSystem.IsWindows()) return null;
        for (var d = new DirectoryInfo(Path.GetFullPath(folder)); d is not null; d = d.Parent)
            if (d.Exists && (File.GetUnixFileMode(d.FullName) & UnixFileMode.OtherExecute) == 0) return d.FullName;
        return null;
    }

    public static async Task<LocalPostgres> StartAsync(LocalPostgresOptions options, ILogger log, CancellationToken ct = default)
    {
        var binDir = FindBinDirectory(options.BinDirectory) ?? throw new PostgresNotInstalledException(
            options.BinDirectory is { Length: > 0 } b ? $"LocalDatabase:BinDirectory '{b}' does not hold initdb, pg_ctl and postgres.\n{InstallHint}" : InstallHint);

        Directory.CreateDirectory(options.DataDirectory);
        if (RunsAsPostgresUser && ClosedFolderOnTheWay(options.DataDirectory) is { } closed)
            throw new InvalidOperationException(
                $"As root, the local PostgreSQL runs as the postgres user, which cannot reach {options.DataDirectory}: {closed} is closed to other users.\n" +
                "  Put the cluster where it can:  set LocalDatabase__DataDirectory=/var/lib/mentorcircles/db\n" +
                "  or run the app as a normal user.");
        var pgdata = Path.Combine(options.DataDirectory, "pgdata");
        var passwordFile = Path.Combine(options.DataDirectory, "password");

        if (!File.Exists(Path.Combine(pgdata, "PG_VERSION")))
            await InitAsync(binDir, options, pgdata, passwordFile, log, ct);
        var password = (await File.ReadAllTextAsync(passwordFile, ct)).Trim();

        int port;
        var running = RunningPort(pgdata);
        if (running is { } p)
        {
            log.LogInformation("Reusing the local PostgreSQL already running on port {Port} ({Dir})", p, pgdata);
            port = p;
        }
        else
        {
            port = options.Port ?? FreePort();
            var logFile = Path.Combine(pgdata, "server.log");
            await RunAsync(binDir, "pg_ctl", ["-D", pgdata, "-l", logFile, "-w", "-t", "60", "-o", $"-p {port}", "start"], ct);
            log.LogInformation("Started local PostgreSQL on port {Port} ({Dir})", port, pgdata);
        }

        var pg = new LocalPostgres(options, binDir, port, password, log);
        await pg.EnsureDatabaseAsync(ct);
        return pg;
    }

    private static async Task InitAsync(string binDir, LocalPostgresOptions options, string pgdata, string passwordFile, ILogger log, CancellationToken ct)
    {
        log.LogInformation("Creating a private PostgreSQL cluster in {Dir}", pgdata);
        if (Directory.Exists(pgdata)) Directory.Delete(pgdata, recursive: true); // a half-made cluster from an interrupted first start
        Directory.CreateDirectory(pgdata);

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(18)).ToLowerInvariant();
        await File.WriteAllTextAsync(passwordFile, password, ct);
        SetMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // initdb reads the password from a file; as root that file must be readable by the postgres user.
        var pwfile = Path.Combine(options.DataDirectory, $"initdb-pw-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(pwfile, password, ct);
        try
        {
            if (RunsAsPostgresUser)
            {
                await RunRawAsync("chown", ["postgres:postgres", pgdata, pwfile], ct);
                SetMode(pwfile, UnixFileMode.UserRead);
            }
            SetMode(pgdata, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            await RunAsync(binDir, "initdb", ["-D", pgdata, "-U", "postgres", $"--pwfile={pwfile}", "--auth=scram-sha-256", "-E", "UTF8", "--no-locale"], ct);
        }
        finally
        {
            File.Delete(pwfile);
        }

        var settings = new Dictionary<string, string>
        {
            ["listen_addresses"] = "'127.0.0.1'",
            ["unix_socket_directories"] = "''",
            ["max_connections"] = "200",
        };
        foreach (var (k, v) in options.Settings) settings[k] = v;
        var conf = string.Concat(settings.Select(kv => $"{kv.Key} = {kv.Value}\n"));
        var confPath = Path.Combine(pgdata, "postgresql.conf");
        if (RunsAsPostgresUser)
            await RunRawAsync("runuser", ["-u", "postgres", "--", "sh", "-c", $"printf '%s' \"$0\" >> \"$1\"", "\n# MentorCircles local mode\n" + conf, confPath], ct);
        else
            await File.AppendAllTextAsync(confPath, "\n# MentorCircles local mode\n" + conf, ct);
    }

    /// <summary>The port of a server already running on this cluster, or null; removes a stale postmaster.pid.</summary>
    private static int? RunningPort(string pgdata)
    {
        var pidFile = Path.Combine(pgdata, "postmaster.pid");
        if (!File.Exists(pidFile)) return null;
        var lines = File.ReadAllLines(pidFile);
        if (lines.Length >= 4 && int.TryParse(lines[0], out var pid) && int.TryParse(lines[3], out var port) && IsPostmasterOf(pid, pgdata))
            return port;
        // Left behind by a server that died (power cut, kill -9): the server itself would refuse to start
        // if the PID now belongs to some other process, so remove it.
        File.Delete(pidFile);
        return null;
    }

    /// <summary>True when <paramref name="pid"/> is a running postmaster serving this very cluster folder (not merely some postgres).</summary>
    private static bool IsPostmasterOf(int pid, string pgdata)
    {
        try
        {
            var comm = File.ReadAllText($"/proc/{pid}/comm").Trim();
            if (comm is not ("postgres" or "postmaster")) return false;
            var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            var i = Array.IndexOf(args, "-D");
            if (i < 0 || i + 1 >= args.Length) return false;
            return string.Equals(Path.GetFullPath(args[i + 1]).TrimEnd('/'), Path.GetFullPath(pgdata).TrimEnd('/'), StringComparison.Ordinal);
        }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }

    private async Task EnsureDatabaseAsync(CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var conn = new NpgsqlConnection(admin);
        await conn.OpenAsync(ct);
        var exists = await conn.ExecuteScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = @name)", new { name = options.Database });
        if (!exists) await conn.ExecuteAsync($"CREATE DATABASE \"{options.Database.Replace("\"", "\"\"")}\"");
    }

    /// <summary>A fresh database on this cluster, e.g. one per test run.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct = default)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        await using var conn = new NpgsqlConnection(admin);
        await conn.OpenAsync(ct);
        await conn.ExecuteAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        await conn.ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    public async Task StopAsync(CancellationToken ct = default)
    {
        if (stopped) return;
        stopped = true;
        NpgsqlConnection.ClearAllPools();
        if (RunningPort(ClusterDirectory) is null) return;
        await RunAsync(binDir, "pg_ctl", ["-D", ClusterDirectory, "-m", "fast", "-w", "-t", "60", "stop"], ct);
        log.LogInformation("Stopped local PostgreSQL ({Dir})", ClusterDirectory);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>Stops a cluster some other process left running (e.g. an app that was killed), if any.</summary>
    public static async Task StopIfRunningAsync(string dataDirectory, string? binDirectory = null, CancellationToken ct = default)
    {
        var pgdata = Path.Combine(dataDirectory, "pgdata");
        if (RunningPort(pgdata) is null || FindBinDirectory(binDirectory) is not { } bin) return;
        await RunAsync(bin, "pg_ctl", ["-D", pgdata, "-m", "immediate", "-w", "-t", "60", "stop"], ct);
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, mode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunAsync(string binDir, string tool, IReadOnlyList<string> args, CancellationToken ct)
    {
        var exe = Path.Combine(binDir, tool);
        return RunsAsPostgresUser
            ? RunRawAsync("runuser", ["-u", "postgres", "--", exe, .. args], ct)
            : RunRawAsync(exe, args, ct);
    }

    private static async Task RunRawAsync(string file, IReadOnlyList<string> args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Run from a folder every user can enter: runuser keeps the working directory, and postgres may not read ours.
        psi.WorkingDirectory = "/";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0)
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} {string.Join(' ', args)} exited with {p.ExitCode}:\n{await stderr}\n{await stdout}".Trim());
    }

    private static string? TryRun(string file, string arg)
    {
        try
        {
            var psi = new ProcessStartInfo(file, arg) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi);
            if (p is null) return null;
            var output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            return p.ExitCode == 0 ? output : null;
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }
}
