using MentorCircles.Core.Data;
using MentorCircles.Core.Demo;
using Npgsql;

namespace MentorCircles.Web.Hosting;

/// <summary>Where the database comes from: the configured connection string, or (local mode) a private cluster started here.</summary>
public sealed record DatabaseMode(bool IsLocal, string ConnectionString, LocalPostgres? Cluster);

public static class DatabaseSetup
{
    public const string ConnectionStringName = "MentorCircles";

    /// <summary>Resolves the database before the host is built (Hangfire and Data Protection need it at start-up).</summary>
    public static async Task<DatabaseMode> AddMentorCirclesDatabaseAsync(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetConnectionString(ConnectionStringName);
        DatabaseMode mode;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            mode = new DatabaseMode(false, configured, null);
        }
        else
        {
            using var loggerFactory = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true));
            var dataDir = builder.Configuration["LocalDatabase:DataDirectory"] is { Length: > 0 } d
                ? Path.GetFullPath(d)
                : DefaultDataDirectory(builder.Environment.ContentRootPath);
            var cluster = await LocalPostgres.StartAsync(new LocalPostgresOptions
            {
                DataDirectory = dataDir,
                BinDirectory = builder.Configuration["LocalDatabase:BinDirectory"],
                Port = builder.Configuration.GetValue<int?>("LocalDatabase:Port"),
            }, loggerFactory.CreateLogger("LocalPostgres"));
            mode = new DatabaseMode(true, cluster.ConnectionString, cluster);
            builder.Services.AddHostedService(_ => new LocalPostgresLifetime(cluster));
        }

        builder.Services.AddSingleton(mode);
        builder.Services.AddSingleton(_ => Database.CreateDataSource(mode.ConnectionString));
        builder.Services.AddSingleton<MigrationRunner>();
        builder.Services.AddSingleton<DemoSeeder>();
        return mode;
    }

    /// <summary>Applies migrations, and in local mode seeds the demo program once.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await app.Services.GetRequiredService<MigrationRunner>().MigrateAsync(CancellationToken.None);
        var mode = app.Services.GetRequiredService<DatabaseMode>();
        if (mode.IsLocal && app.Configuration.GetValue("Demo:Seed", true))
        {
            await app.Services.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None);
            app.Logger.LogWarning("Local mode: sign in at {Url} as {Email} with password {Password}",
                app.Configuration["Urls"] ?? "http://localhost:5000", DemoSeeder.CoordinatorEmail, DemoSeeder.Password);
        }
    }

    /// <summary>Under the repository (.local/) when run from a checkout, else the user's data folder.</summary>
    private static string DefaultDataDirectory(string contentRoot)
    {
        var chosen = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "MentorCircles", "db");
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MentorCircles.sln")))
            {
                chosen = Path.Combine(dir.FullName, ".local", "db");
                break;
            }
        }
        // As root the server runs as the postgres user, which cannot enter a home folder such as /root (mode 700):
        // then the cluster lives under /var/lib, one per checkout or install.
        if (LocalPostgres.RunsAsPostgresUser && LocalPostgres.ClosedFolderOnTheWay(Path.GetDirectoryName(chosen)!) is not null)
        {
            var id = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(chosen)))[..12].ToLowerInvariant();
            chosen = Path.Combine("/var/lib/mentorcircles", id, "db");
        }
        return chosen;
    }

    /// <summary>Registered before Hangfire so it stops after it: the cluster goes down last.</summary>
    private sealed class LocalPostgresLifetime(LocalPostgres cluster) : IHostedService
    {
        public Task StartAsync(CancellationToken ct) => Task.CompletedTask;
        public Task StopAsync(CancellationToken ct)
        {
            NpgsqlConnection.ClearAllPools();
            return cluster.StopAsync(CancellationToken.None);
        }
    }
}
