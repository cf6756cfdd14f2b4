using Dapper;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MentorCircles.BrowserTests.Scheduling;

/// <summary>
/// Priya Raman (America/Chicago) enters her weekly availability by dragging and with the keyboard; Prof. Amara Okafor
/// (America/New_York), a mentor of the same demo circle, sees it on the circle's heatmap an hour later, in her own zone.
/// </summary>
public sealed class AvailabilityTests(AppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private readonly ITestOutputHelper log = output;
    private static ILocator Cell(IPage page, string day, string from, string to) =>
        page.GetByRole(AriaRole.Button, new() { Name = $"{day} {from}–{to}", Exact = true });

    /// <summary>A heatmap cell: its label starts with the weekday and names the half hour ("Monday 23 November 10:00–10:30: ...").</summary>
    private static ILocator HeatCell(IPage page, string day, string from, string to) =>
        page.Locator($"button.mc-cell[aria-label^='{day} '][aria-label*=' {from}–{to}:']");

    [Fact]
    public async Task A_member_enters_availability_in_her_zone_and_a_mentor_in_another_zone_sees_it_at_the_right_hours()
    {
        var priya = await NewPageAsync();
        await SignInAsync(priya, "priya.raman@example.org");
        await VisitAsync(priya, "/availability");
        await Expect(priya.Locator(".mc-zone-note")).ToContainTextAsync("America/Chicago");

        // Drag down Monday from 09:00 to 10:30 (Chicago): three half hours.
        var first = Cell(priya, "Monday", "09:00", "09:30");
        var last = Cell(priya, "Monday", "10:00", "10:30");
        // The week scrolls inside its own box: bring the rows into the middle so the whole drag stays on the grid.
        await first.EvaluateAsync("e => e.scrollIntoView({ block: 'center' })");
        await first.HoverAsync();
        await priya.Mouse.DownAsync();
        var box = await last.BoundingBoxAsync() ?? throw new InvalidOperationException("The Monday 10:00 cell is not on screen.");
        await priya.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2, new() { Steps = 12 });
        await priya.Mouse.UpAsync();
        foreach (var (from, to) in new[] { ("09:00", "09:30"), ("09:30", "10:00"), ("10:00", "10:30") })
            await Expect(Cell(priya, "Monday", from, to)).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(Cell(priya, "Monday", "10:30", "11:00")).ToHaveAttributeAsync("aria-pressed", "false");

        // Right after the drag, the keyboard still toggles: Space on Tuesday 14:00, Enter on Tuesday 14:30, Space again undoes.
        var tuesday14 = Cell(priya, "Tuesday", "14:00", "14:30");
        await tuesday14.FocusAsync();
        await priya.Keyboard.PressAsync("Space");
        await Expect(tuesday14).ToHaveAttributeAsync("aria-pressed", "true");
        var tuesday1430 = Cell(priya, "Tuesday", "14:30", "15:00");
        await tuesday1430.FocusAsync();
        await priya.Keyboard.PressAsync("Enter");
        await Expect(tuesday1430).ToHaveAttributeAsync("aria-pressed", "true");
        await priya.Keyboard.PressAsync("Space");
        await Expect(tuesday1430).ToHaveAttributeAsync("aria-pressed", "false");

        await priya.GetByRole(AriaRole.Button, new() { Name = "Save weekly availability" }).ClickAsync();
        await Expect(priya.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved 2 weekly windows.");
        await Expect(Cell(priya, "Monday", "09:00", "09:30")).ToHaveAttributeAsync("aria-pressed", "true");

        // Amara, in New York, sees Priya free an hour later by her clock: Monday 10:00–11:30 and Tuesday 15:00–15:30.
        long circleId;
        await using (var db = await App.DatabaseAsync())
        await using (var conn = await db.OpenConnectionAsync())
            circleId = await conn.ExecuteScalarAsync<long>("SELECT id FROM mentor.circle WHERE name = 'New Faculty Launch Group'");
        var amara = await NewPageAsync();
        await SignInAsync(amara, "amara.okafor@example.org");
        await VisitAsync(amara, $"/circles/{circleId}/availability");
        await Expect(amara.Locator(".mc-zone-note")).ToContainTextAsync("your time zone: America/New York");

        foreach (var (day, from, to) in new[] { ("Monday", "10:00", "10:30"), ("Monday", "10:30", "11:00"), ("Monday", "11:00", "11:30"), ("Tuesday", "15:00", "15:30") })
        {
            var label = await HeatCell(amara, day, from, to).GetAttributeAsync("aria-label") ?? "";
            log.WriteLine(label);
            Assert.DoesNotContain("Priya Raman", label);
            Assert.DoesNotContain(": 0 of", label);
        }
        foreach (var (day, from, to) in new[] { ("Monday", "09:30", "10:00"), ("Monday", "11:30", "12:00"), ("Tuesday", "14:30", "15:00"), ("Tuesday", "15:30", "16:00") })
            Assert.Contains("Priya Raman", await HeatCell(amara, day, from, to).GetAttributeAsync("aria-label") ?? "");

        // Choosing a cell says who is missing then.
        await HeatCell(amara, "Monday", "09:30", "10:00").ClickAsync();
        await Expect(amara.Locator(".mc-heat-detail")).ToContainTextAsync("Priya Raman");
        await SettleAndCheckAsync(amara);
        Directory.CreateDirectory(ConflictQueueTests.ShotsDirectory);
        await priya.ScreenshotAsync(new() { Path = Path.Combine(ConflictQueueTests.ShotsDirectory, "availability-priya.png"), FullPage = true });
        await amara.ScreenshotAsync(new() { Path = Path.Combine(ConflictQueueTests.ShotsDirectory, "heatmap-amara.png"), FullPage = true });
    }
}
