using Dapper;
using MentorCircles.Core.Data;
using MentorCircles.Core.Demo;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MentorCircles.BrowserTests.Live;

/// <summary>
/// Two app processes on different ports sharing one PostgreSQL act as one room: what the facilitator does on one
/// reaches a member's page on the other, killing a process loses no event, and the people whose pages were only on the
/// dead node are shown as gone once its heartbeat is stale.
/// </summary>
public sealed class TwoNodeTests(AppFixture app, ITestOutputHelper output) : BrowserTest(app, output), IAsyncLifetime
{
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), $"mc-two-nodes-{Guid.NewGuid():N}");
    private LocalPostgres? postgres;
    private AppProcess? nodeA, nodeB;

    async Task IAsyncLifetime.InitializeAsync()
    {
        postgres = await LocalPostgres.StartAsync(new LocalPostgresOptions { DataDirectory = dataDir }, NullLogger.Instance);
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__MentorCircles"] = postgres.ConnectionString,
            // A dead node's people are walked out after 4 s here (45 s by default), so the test can see it happen.
            ["Live__NodeHeartbeat"] = "00:00:01",
            ["Live__NodeTimeout"] = "00:00:04",
        };
        nodeA = await AppProcess.StartAsync(AppFixture.WebDll(), settings);   // migrates the shared database
        await using (var db = Database.CreateDataSource(postgres.ConnectionString))
            await new DemoSeeder(db, TimeProvider.System, NullLogger<DemoSeeder>.Instance).SeedAsync(CancellationToken.None);
        nodeB = await AppProcess.StartAsync(AppFixture.WebDll(), settings);
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        if (nodeA is not null) await nodeA.DisposeAsync();
        if (nodeB is not null) await nodeB.DisposeAsync();
        if (postgres is not null) await postgres.DisposeAsync();
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task A_change_on_one_node_reaches_a_page_on_the_other_and_killing_a_node_loses_no_event_and_walks_out_its_people()
    {
        // Helen runs the room on node A; Marco follows it on node B.
        var helen = await PageOnAsync(nodeA!, "helen.carter@example.org");
        await GoAsync(helen, $"{nodeA!.BaseUrl}/circles/2/sessions");
        await helen.GetByRole(AriaRole.Button, new() { Name = "Start a session now" }).ClickAsync();
        await helen.WaitForURLAsync("**/room");
        await helen.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var roomPath = new Uri(helen.Url).PathAndQuery;
        await helen.GetByRole(AriaRole.Button, new() { Name = "I am ready" }).ClickAsync();

        var marco = await PageOnAsync(nodeB!, "marco.rossi@example.org");
        await GoAsync(marco, $"{nodeB!.BaseUrl}{roomPath}");
        await marco.GetByRole(AriaRole.Button, new() { Name = "I am ready" }).ClickAsync();
        await Expect(helen.Locator(".mc-room-status")).ToContainTextAsync("2 of 8 here");   // B's join reached A

        await helen.GetByRole(AriaRole.Button, new() { Name = "Start the session" }).ClickAsync();
        await Expect(marco.Locator(".mc-status")).ToHaveTextAsync("Live");
        await Expect(marco.GetByRole(AriaRole.Heading, new() { Name = "Check-in round" })).ToBeVisibleAsync();
        await helen.GetByLabel("Turn-taking for this item").SelectOptionAsync(new SelectOptionValue { Label = "open queue" });
        await Expect(marco.GetByRole(AriaRole.Button, new() { Name = "Raise hand" })).ToBeVisibleAsync();
        await marco.GetByRole(AriaRole.Button, new() { Name = "Raise hand" }).ClickAsync();
        await Expect(helen.Locator(".mc-queue")).ToContainTextAsync("Marco Rossi");        // B's hand reached A
        await helen.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(marco.Locator(".mc-status")).ToHaveTextAsync("Paused");               // A's pause reached B
        // Node B can show the pause (through NOTIFY) before Helen's own page does: read her page once it has it too.
        await Expect(helen.Locator(".mc-status")).ToHaveTextAsync("Paused");
        var seqBeforeKill = long.Parse(await helen.Locator(".mc-room").GetAttributeAsync("data-seq") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

        // Node A dies. Everything it accepted is in the log: node B rebuilds the same room, and Helen carries on there.
        await nodeA.KillAsync();
        await using (var db = Database.CreateDataSource(postgres!.ConnectionString))
        await using (var conn = await db.OpenConnectionAsync())
        {
            var later = (await conn.QueryAsync<string>(new CommandDefinition(
                "SELECT seq || ': ' || body::text FROM mentor.room_event WHERE seq > @seqBeforeKill ORDER BY seq", new { seqBeforeKill }))).ToList();
            Assert.True(later.Count == 0, $"Helen's page showed seq {seqBeforeKill}, but the log has more: {string.Join("; ", later)}");
            Assert.Equal(seqBeforeKill, await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT max(seq) FROM mentor.room_event")));
        }
        await marco.ReloadAsync();
        await marco.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await marco.GetByRole(AriaRole.Button, new() { Name = "I am ready" }).ClickAsync();
        await Expect(marco.Locator(".mc-status")).ToHaveTextAsync("Paused");
        await Expect(marco.Locator(".mc-queue-me")).ToContainTextAsync("you are 1st");
        // Helen's page was on node A only: once A's heartbeat is stale, node B's sweep walks her out of the room.
        await Expect(marco.Locator(".mc-room-people li", new() { HasText = "Helen Carter" })).ToContainTextAsync("left", new() { Timeout = 30_000 });

        var helenOnB = await PageOnAsync(nodeB, "helen.carter@example.org");
        await GoAsync(helenOnB, $"{nodeB.BaseUrl}{roomPath}");
        await helenOnB.GetByRole(AriaRole.Button, new() { Name = "I am ready" }).ClickAsync();
        await Expect(marco.Locator(".mc-room-people li", new() { HasText = "Helen Carter" })).Not.ToContainTextAsync("left");
        await helenOnB.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Expect(marco.Locator(".mc-status")).ToHaveTextAsync("Live");
        await helenOnB.GetByRole(AriaRole.Button, new() { Name = "Next speaker" }).ClickAsync();
        await Expect(marco.Locator("#room-urgent")).ToHaveTextAsync("It is your turn to speak.");
    }

    /// <summary>Opens a page and waits until its circuit is up, so buttons answer.</summary>
    private static async Task GoAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    /// <summary>A person signed in on the given node, in a browser context of their own.</summary>
    private async Task<IPage> PageOnAsync(AppProcess node, string email)
    {
        var page = await NewPageAsync();
        await page.GotoAsync($"{node.BaseUrl}/signin");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(u => !u.Contains("/signin", StringComparison.Ordinal));
        return page;
    }
}
