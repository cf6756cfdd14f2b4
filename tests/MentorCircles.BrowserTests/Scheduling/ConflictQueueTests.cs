using System.Text.RegularExpressions;
using Dapper;
using MentorCircles.Core.Conflicts;
using MentorCircles.Core.Demo;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MentorCircles.BrowserTests.Scheduling;

/// <summary>
/// The demo coordinator finds a double booking in the conflict queue and resolves it by moving the session. The
/// people and circles are made for this test (the demo circles are left alone for the other tests).
/// </summary>
public sealed class ConflictQueueTests(AppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private readonly ITestOutputHelper log = output;
    public const string ShotsDirectory = "/tmp/conflictsui-shots";

    /// <summary>Opens a Radzen drop-down by its label and picks an option, as a person would.</summary>
    private static async Task ChooseAsync(IPage page, string label, string option)
    {
        var id = await page.Locator("label", new() { HasText = label }).First.GetAttributeAsync("for");
        await page.Locator(".rz-dropdown").Filter(new() { Has = page.Locator($"[id='{id}']") }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ShotsDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ShotsDirectory, name + ".png"), FullPage = true });
    }

    [Fact]
    public async Task A_double_booking_appears_in_the_queue_and_is_resolved_by_moving_the_session()
    {
        // Rosa Quinn is a mentee in two new circles of the demo program whose sessions tomorrow overlap by half an hour.
        await using var db = await App.DatabaseAsync();
        long programId, north, south;
        var tomorrow = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(1).AddHours(15), TimeSpan.Zero);
        await using (var conn = await db.OpenConnectionAsync())
        {
            programId = await conn.ExecuteScalarAsync<long>("SELECT id FROM mentor.program WHERE name = 'Junior Faculty Mentoring'");
            async Task<long> Person(string name, string email, string zone)
            {
                var id = await conn.ExecuteScalarAsync<long>(
                    "INSERT INTO mentor.person (email, display_name, time_zone) VALUES (@email, @name, @zone) RETURNING id", new { email, name, zone });
                await conn.ExecuteAsync("INSERT INTO mentor.program_person (program_id, person_id, role) VALUES (@programId, @id, 'participant')", new { programId, id });
                return id;
            }
            async Task<long> Circle(string name, string zone, params (long Person, string Role)[] members)
            {
                var id = await conn.ExecuteScalarAsync<long>("""
                    INSERT INTO mentor.circle (program_id, name, format, modality, time_zone, cadence, session_minutes, min_size, max_size)
                    VALUES (@programId, @name, 'group', 'distance', @zone, 'weekly', 60, 2, 10) RETURNING id
                    """, new { programId, name, zone });
                foreach (var (person, role) in members)
                    await conn.ExecuteAsync("INSERT INTO mentor.membership (circle_id, person_id, role) VALUES (@id, @person, @role)", new { id, person, role });
                return id;
            }
            var rosa = await Person("Rosa Quinn", "rosa.quinn@example.org", "Europe/Dublin");
            var nils = await Person("Nils Norberg", "nils.norberg@example.org", "Europe/London");
            var theo = await Person("Theo Park", "theo.park@example.org", "Europe/London");
            var sara = await Person("Sara Souza", "sara.souza@example.org", "America/New_York");
            var uma = await Person("Uma Sato", "uma.sato@example.org", "America/New_York");
            north = await Circle("Grant Writing North", "Europe/London", (nils, "facilitator"), (rosa, "mentee"), (theo, "mentee"));
            south = await Circle("Grant Writing South", "America/New_York", (sara, "mentor"), (rosa, "mentee"), (uma, "mentee"));
            foreach (var (circle, start) in new[] { (north, tomorrow), (south, tomorrow.AddMinutes(30)) })
                await conn.ExecuteAsync("INSERT INTO mentor.session (circle_id, starts_at, ends_at, status) VALUES (@circle, @start, @end, 'scheduled')",
                    new { circle, start, end = start.AddHours(1) });
        }
        await new ConflictDetectionJob(new ConflictStore(db), TimeProvider.System).RunAsync(programId, CancellationToken.None);

        // Dana (New York) opens the queue from the program page and narrows it to Rosa.
        var page = await NewPageAsync();
        await SignInAsync(page, DemoSeeder.CoordinatorEmail);
        await VisitAsync(page, $"/programs/{programId}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Scheduling conflicts" }).ClickAsync();
        await page.WaitForURLAsync($"**/programs/{programId}/conflicts");
        await SettleAndCheckAsync(page);
        await Expect(page.Locator(".mc-zone-note")).ToContainTextAsync("America/New York");
        await page.GetByLabel("Person name").FillAsync("rosa");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();

        var grid = page.GetByRole(AriaRole.Grid, new() { Name = "Conflicts" });
        var row = grid.GetByRole(AriaRole.Row).Filter(new() { HasText = "Rosa Quinn" });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Double-booked");
        await Expect(row).ToContainTextAsync("Rosa Quinn is expected at Grant Writing North and Grant Writing South at overlapping times.");
        // Times in Dana's zone, with each circle's own local time beside them.
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        await Expect(row).ToContainTextAsync(ConflictText.Span(tomorrow, tomorrow.AddHours(1), "America/New_York"));
        await Expect(row).ToContainTextAsync($"Circle time: {ConflictText.Span(tomorrow, tomorrow.AddHours(1), "Europe/London")} (Europe/London)");
        await Expect(row).Not.ToContainTextAsync("Person ");
        await SettleAndCheckAsync(page);
        await ShotAsync(page, "queue-open");

        // One click on a suggested move, with a note.
        await row.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Resolve") }).ClickAsync();
        var panel = page.GetByRole(AriaRole.Region, new() { Name = "Resolve: Double-booked — Rosa Quinn" });
        await panel.GetByLabel("Note").FillAsync("Rosa keeps South; North meets at the new time.");
        await SettleAndCheckAsync(page);
        await ShotAsync(page, "queue-resolve");
        var move = panel.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Move to ") });
        var moveText = (await move.TextContentAsync() ?? "").Trim();
        log.WriteLine($"chose: {moveText}");
        await move.ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Resolved" })).ToContainTextAsync(moveText);
        await Expect(grid).ToContainTextAsync("No conflicts match these filters.");

        // Under "Resolved" it keeps its history: who, how, the note.
        await ChooseAsync(page, "Status", "Resolved");
        var resolved = grid.GetByRole(AriaRole.Row).Filter(new() { HasText = "Rosa Quinn" });
        await Expect(resolved).ToHaveCountAsync(1);
        await Expect(resolved).ToContainTextAsync("by Dana Whitfield");
        await Expect(resolved).ToContainTextAsync("Moved to ");
        await Expect(resolved).ToContainTextAsync("Note: Rosa keeps South; North meets at the new time.");
        await SettleAndCheckAsync(page);
        await ShotAsync(page, "queue-resolved");

        // The session really moved, and nothing about Rosa is open any more.
        await using var check = await db.OpenConnectionAsync();
        var starts = (await check.QueryAsync<DateTime>("""
            SELECT s.starts_at FROM mentor.session s WHERE s.circle_id = ANY(@circles) ORDER BY s.circle_id
            """, new { circles = new[] { north, south } })).Select(d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc))).ToList();
        Assert.NotEqual(tomorrow, starts[0]);
        Assert.Equal(tomorrow.AddMinutes(30), starts[1]);
        var newStartInNewYork = TimeZoneInfo.ConvertTime(starts[0], newYork);
        Assert.Contains(newStartInNewYork.ToString("ddd d MMM yyyy, HH:mm", System.Globalization.CultureInfo.InvariantCulture), moveText);
        Assert.Equal(0, await check.ExecuteScalarAsync<long>("""
            SELECT count(*) FROM mentor.conflict c JOIN mentor.person p ON p.id = ANY(c.person_ids)
            WHERE p.display_name = 'Rosa Quinn' AND c.status = 'open'
            """));
    }
}
