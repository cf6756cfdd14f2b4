using Dapper;
using MentorCircles.Core.Accounts;
using MentorCircles.Core.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MentorCircles.BrowserTests.Programs;

public sealed class TermScheduleTests(AppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private const string Shots = "/tmp/programsched-shots";

    /// <summary>
    /// A program of its own (so the demo program other tests use is left alone), written straight into the app's
    /// database: a coordinator, nine people in London and New York free Monday to Thursday evenings on their own
    /// clocks, two circles that share people and a third whose facilitator has given no availability.
    /// </summary>
    private async Task<(long ProgramId, string Email)> SeedProgramAsync()
    {
        // The app's own server, reused (not started again); not disposed, which would stop it under the app.
        var pg = await LocalPostgres.StartAsync(new LocalPostgresOptions { DataDirectory = App.DataDirectory }, NullLogger.Instance);
        await using var db = Database.CreateDataSource(pg.ConnectionString);
        await using var conn = await db.OpenConnectionAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var programId = await conn.ExecuteScalarAsync<long>("""
            INSERT INTO mentor.program (name, time_zone, term_start, term_end)
            VALUES (@name, 'Europe/London', current_date, current_date + 83) RETURNING id
            """, new { name = $"Summer Research Circles {tag}" });
        async Task<long> PersonAsync(string name, string zone, string role, string? hash = null)
        {
            var id = await conn.ExecuteScalarAsync<long>("""
                INSERT INTO mentor.person (email, display_name, time_zone, password_hash) VALUES (@email, @name, @zone, @hash) RETURNING id
                """, new { email = $"{name.ToLowerInvariant().Replace(' ', '.')}.{tag}@example.org", name, zone, hash });
            await conn.ExecuteAsync("INSERT INTO mentor.program_person (program_id, person_id, role) VALUES (@programId, @id, @role)", new { programId, id, role });
            return id;
        }
        var email = $"coordinator.{tag}@example.org";
        await PersonAsync("Coordinator", "Europe/London", "coordinator", AccountService.HashPassword(DemoPassword));

        var london = new[] { "Amira Khan", "Ben Okafor", "Chloe Martin", "Dev Patel", "Ella Novak" };
        var newYork = new[] { "Frank Russo", "Grace Kim", "Hugo Silva", "Iris Chen" };
        var ids = new Dictionary<string, long>();
        foreach (var n in london) ids[n] = await PersonAsync(n, "Europe/London", "participant");
        foreach (var n in newYork) ids[n] = await PersonAsync(n, "America/New_York", "participant");
        ids["Dr. Noel Absent"] = await PersonAsync("Dr. Noel Absent", "Europe/London", "participant");
        await conn.ExecuteAsync("""
            INSERT INTO mentor.availability_window (person_id, day, start_time, end_time)
            SELECT p, d, time '13:00', time '21:00' FROM unnest(@people::bigint[]) p CROSS JOIN generate_series(1, 4) d
            """, new { people = ids.Where(i => i.Key != "Dr. Noel Absent").Select(i => i.Value).ToArray() });

        async Task CircleAsync(string name, params (string Person, string Role)[] members)
        {
            var circleId = await conn.ExecuteScalarAsync<long>("""
                INSERT INTO mentor.circle (program_id, name, format, modality, time_zone, cadence, session_minutes, min_size, max_size)
                VALUES (@programId, @name, 'group', 'distance', 'Europe/London', 'weekly', 60, 2, 10) RETURNING id
                """, new { programId, name });
            foreach (var (person, role) in members)
                await conn.ExecuteAsync("INSERT INTO mentor.membership (circle_id, person_id, role) VALUES (@circleId, @p, @role)", new { circleId, p = ids[person], role });
        }
        await CircleAsync("Grant Writing Circle", ("Amira Khan", "facilitator"), ("Ben Okafor", "mentee"), ("Frank Russo", "mentee"), ("Chloe Martin", "mentee"));
        await CircleAsync("Transatlantic Peers", ("Grace Kim", "facilitator"), ("Ben Okafor", "peer"), ("Hugo Silva", "peer"), ("Dev Patel", "peer"));
        await CircleAsync("Lab Leadership Group", ("Dr. Noel Absent", "mentor"), ("Ella Novak", "mentee"), ("Iris Chen", "mentee"));
        return (programId, email);
    }

    [Fact]
    public async Task Coordinator_schedules_the_term_watches_it_work_publishes_the_proposals_and_discards_a_second_run()
    {
        Directory.CreateDirectory(Shots);
        try
        {
            await ScheduleAsync();
        }
        finally
        {
            await File.WriteAllTextAsync($"{Shots}/app.log", App.Log);
        }
    }

    private async Task ScheduleAsync()
    {
        var (programId, email) = await SeedProgramAsync();
        var page = await NewPageAsync();
        await SignInAsync(page, email);
        await VisitAsync(page, $"/programs/{programId}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Schedule the term" }).ClickAsync();
        await page.WaitForURLAsync("**/schedule");
        await SettleAndCheckAsync(page);

        // A length outside 15–480 minutes is refused with the reason, and nothing starts.
        await page.GetByLabel("Session length (minutes)").FillAsync("5");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start scheduling" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("A session lasts from 15 to 480 minutes, not 5.");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Scheduling runs" })).ToHaveCountAsync(0);

        await page.GetByLabel("Session length (minutes)").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start scheduling" }).ClickAsync();
        // A Hangfire worker picks the run up; the page reads its progress every second until it is done.
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new("Run \\d+: ready to review") })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await SettleAndCheckAsync(page);

        var proposed = page.GetByRole(AriaRole.Table, new() { Name = "Proposed times" });
        await Expect(proposed).ToContainTextAsync("Grant Writing Circle");
        await Expect(proposed).ToContainTextAsync("Transatlantic Peers");
        await Expect(proposed).ToContainTextAsync("Europe/London time");
        var notPlaced = page.GetByRole(AriaRole.Table, new() { Name = "Circles not placed" });
        await Expect(notPlaced).ToContainTextAsync("Lab Leadership Group");
        await Expect(notPlaced).ToContainTextAsync("No weekly time where Dr. Noel Absent and 1 of 2 members are free.");
        await page.ScreenshotAsync(new() { Path = $"{Shots}/1-proposals.png", FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "Publish 2 circles" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Published 2 weekly series" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new("Run \\d+: published") })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = $"{Shots}/2-published.png", FullPage = true });

        // A second run leaves the circles that now meet alone and says so; it is discarded.
        await page.GetByRole(AriaRole.Button, new() { Name = "Start scheduling" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { NameRegex = new("Run \\d+: ready to review") })).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Circles not placed" })).ToContainTextAsync("It already has");
        await page.GetByRole(AriaRole.Button, new() { Name = "Discard" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "was discarded" })).ToBeVisibleAsync();
        var runs = page.GetByRole(AriaRole.Table, new() { Name = "Scheduling runs" });
        await Expect(runs).ToContainTextAsync("discarded");
        await Expect(runs).ToContainTextAsync("published");
        await AssertAccessibleAsync(page);
        await page.ScreenshotAsync(new() { Path = $"{Shots}/3-runs.png", FullPage = true });
    }
}
