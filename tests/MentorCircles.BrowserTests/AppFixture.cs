using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MentorCircles.Core.Data;
using Microsoft.Playwright;

namespace MentorCircles.BrowserTests;

[CollectionDefinition("app")]
public sealed class AppCollection : ICollectionFixture<AppFixture>;

/// <summary>
/// Starts the real app from its build output, in local mode (its own private PostgreSQL in a temp folder,
/// demo data seeded), on a free port, and stops it at the end. One app for the whole browser-test run.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    private AppProcess? app;
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), $"mc-browser-{Guid.NewGuid():N}");

    public const string ChromiumPath = "/usr/bin/chromium";
    private IPlaywright? playwright;

    public string BaseUrl { get; private set; } = "";
    /// <summary>The app's local-mode data folder: a test that needs rows of its own can reach the app's database through it.</summary>
    public string DataDirectory => dataDir;
    /// <summary>One headless Chromium for the run; each test person gets a context of their own.</summary>
    public IBrowser Browser { get; private set; } = null!;
    public static string RepoRoot { get; } = FindRepoRoot();
    public string Log => app?.Log ?? "";

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Chromium is not installed at {ChromiumPath}. Install it with: sudo apt-get install -y chromium");
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Without the background-networking flags Chromium keeps dialling out, which this closed network refuses.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run"],
        });

        app = await AppProcess.StartAsync(WebDll(), new Dictionary<string, string>
        {
            ["LocalDatabase__DataDirectory"] = dataDir,
            ["ConnectionStrings__MentorCircles"] = "",
        });
        BaseUrl = app.BaseUrl;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.CloseAsync();
        playwright?.Dispose();
        if (app is not null) await app.DisposeAsync();
        await LocalPostgres.StopIfRunningAsync(dataDir);
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>
    /// The app's own database, for a test that sets up rows no page creates (sessions, a second circle for a person).
    /// Finds the cluster the app started (it is reused, not started again); the caller disposes the data source only.
    /// </summary>
    public async Task<Npgsql.NpgsqlDataSource> DatabaseAsync()
    {
        var cluster = await LocalPostgres.StartAsync(new LocalPostgresOptions { DataDirectory = dataDir },
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        // The cluster object is not disposed: that would stop PostgreSQL under the running app.
        return Database.CreateDataSource(cluster.ConnectionString);
    }

    /// <summary>The app built beside these tests: bin/&lt;Configuration&gt;/net10.0 in the project, or the same leaf under an --artifacts-path.</summary>
    public static string WebDll()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("MENTORCIRCLES_WEB_DLL") is { Length: > 0 } set) candidates.Add(set);
        // Classic layout: tests/MentorCircles.BrowserTests/bin/<Configuration>/net10.0/
        candidates.Add(Path.Combine(RepoRoot, "src", "MentorCircles.Web", "bin", here.Parent!.Name, here.Name, "MentorCircles.Web.dll"));
        // Artifacts layout: <artifacts>/bin/MentorCircles.BrowserTests/<leaf>/
        if (here.Parent?.Name == "MentorCircles.BrowserTests")
            candidates.Add(Path.Combine(here.Parent.Parent!.FullName, "MentorCircles.Web", here.Name, "MentorCircles.Web.dll"));
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException($"The app is not built (looked at {string.Join(", ", candidates)}): run dotnet build MentorCircles.sln first.");
    }

    /// <summary>Above the build output, or (when built with --artifacts-path elsewhere) above this source file.</summary>
    private static string FindRepoRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
            for (var d = new DirectoryInfo(start); d is not null && start.Length > 0; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "MentorCircles.sln"))) return d.FullName;
        throw new InvalidOperationException("Cannot find the repository root (MentorCircles.sln) above " + AppContext.BaseDirectory);
    }
}
