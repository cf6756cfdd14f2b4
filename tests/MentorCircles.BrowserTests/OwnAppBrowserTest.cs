namespace MentorCircles.BrowserTests;

/// <summary>
/// For a test class whose story changes the demo data in ways others rely on (an agreement version, a schedule, a
/// live session): it runs against an app of its own, in local mode with a fresh private database and the demo seeded,
/// so the order test classes run in cannot change what it sees. The shared browser is still used.
/// </summary>
public abstract class OwnAppBrowserTest(AppFixture app, Xunit.Abstractions.ITestOutputHelper output) : BrowserTest(app, output)
{
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), $"mc-browser-own-{Guid.NewGuid():N}");
    private AppProcess? own;

    protected override string BaseUrl => own?.BaseUrl ?? throw new InvalidOperationException("The test's own app has not started.");

    /// <summary>The test's own app process, e.g. to read its log.</summary>
    protected AppProcess OwnApp => own ?? throw new InvalidOperationException("The test's own app has not started.");

    /// <summary>The own app's database, for a story that needs something no page does (e.g. a membership ended elsewhere).</summary>
    protected async Task<Npgsql.NpgsqlDataSource> OwnDatabaseAsync()
    {
        var cluster = await MentorCircles.Core.Data.LocalPostgres.StartAsync(
            new MentorCircles.Core.Data.LocalPostgresOptions { DataDirectory = dataDir }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        return MentorCircles.Core.Data.Database.CreateDataSource(cluster.ConnectionString);
    }

    public override async Task InitializeAsync()
    {
        own = await AppProcess.StartAsync(AppFixture.WebDll(), new Dictionary<string, string>
        {
            ["LocalDatabase__DataDirectory"] = dataDir,
            ["ConnectionStrings__MentorCircles"] = "",
        });
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (own is not null) await own.DisposeAsync();
        await MentorCircles.Core.Data.LocalPostgres.StopIfRunningAsync(dataDir);
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
