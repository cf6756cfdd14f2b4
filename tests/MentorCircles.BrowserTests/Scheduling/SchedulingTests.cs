using System.Globalization;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MentorCircles.BrowserTests.Scheduling;

/// <summary>
/// The demo coordinator finds times for the demo group circle (America/New_York) and creates a weekly series across the
/// US clock change of 14 March 2027; every session stays at the same local time. A mentee then answers one of them.
/// </summary>
public sealed class SchedulingTests(AppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private const string Circle = "New Faculty Launch Group";
    private const string ShotsDir = "/tmp/schedule-shots";
    private static readonly DateTime UsChange = new(2027, 3, 14);

    private async Task ShotAsync(IPage page, string name)
    {
        var path = await ScreenshotAsync(page, name);
        Directory.CreateDirectory(ShotsDir);
        File.Copy(path, Path.Combine(ShotsDir, name + ".png"), overwrite: true);
    }

    [Fact]
    public async Task Coordinator_finds_times_and_creates_a_weekly_series_that_keeps_its_local_time_across_daylight_saving()
    {
        // Five agents share two cores here: the 5 s default for expectations is too tight when the machine is busy.
        SetDefaultExpectTimeout(30_000);
        var page = await NewPageAsync();
        await SignInAsync(page, "coordinator@example.org");
        await page.GetByRole(AriaRole.Link, new() { Name = Circle }).First.ClickAsync();
        await page.WaitForURLAsync("**/circles/*");
        await SettleAndCheckAsync(page);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "This circle" }).GetByRole(AriaRole.Link, new() { Name = "Schedule" }).ClickAsync();
        await page.WaitForURLAsync("**/circles/*/schedule");
        await SettleAndCheckAsync(page);
        await Expect(page.GetByText("The circle meets on America/New_York time")).ToBeVisibleAsync();

        // A ten-year window is refused with a clear message.
        var find = page.GetByRole(AriaRole.Form, new() { Name = "Find a time" });
        await find.GetByLabel("From date").FillAsync("2027-03-01");
        await find.GetByLabel("To date").FillAsync("2037-03-01");
        await find.GetByRole(AriaRole.Button, new() { Name = "Find times" }).ClickAsync();
        await Expect(find.GetByRole(AriaRole.Alert)).ToContainTextAsync("choose at most 26 weeks");

        await find.GetByLabel("To date").FillAsync("2027-03-28");
        await find.GetByLabel("How often").SelectOptionAsync("Weekly");
        await find.GetByLabel("Length (minutes)").FillAsync("60");
        await find.GetByRole(AriaRole.Button, new() { Name = "Find times" }).ClickAsync();
        var times = page.GetByRole(AriaRole.List, new() { Name = "Times found" });
        await Expect(times.GetByRole(AriaRole.Listitem).First).ToContainTextAsync("America/New_York");
        await Expect(times.GetByRole(AriaRole.Listitem).First).ToContainTextAsync("Your time:");
        await AssertAccessibleAsync(page);
        await ShotAsync(page, "schedule-found-times");

        await times.GetByRole(AriaRole.Button, new() { Name = "Use this time for a series" }).First.ClickAsync();
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Create a series" });
        await Expect(form.GetByLabel("Number of sessions")).ToHaveValueAsync("4");
        var time = await form.GetByLabel("Starts at (America/New_York)").InputValueAsync();
        var first = DateTime.ParseExact(await form.GetByLabel("First date").InputValueAsync(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.True(first < UsChange && first.AddDays(21) > UsChange, $"The series from {first:yyyy-MM-dd} should cross 14 March 2027.");
        await form.GetByRole(AriaRole.Button, new() { Name = "Create the series" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Created 4 weekly sessions" }))
            .ToContainTextAsync($"at {time[..5]} America/New_York");
        var table = page.GetByRole(AriaRole.Table, new() { Name = $"weekly at {time[..5]} America/New_York", Exact = false }).First;
        var rows = table.Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(4);
        // Each cell reads "Mon 8 Mar 2027, 11:00 UTC−05:00": the same wall-clock time, at the offset of its day.
        var starts = new List<(DateTime Local, string Offset)>();
        for (var i = 0; i < 4; i++)
        {
            var cell = (await rows.Nth(i).Locator("td").Nth(1).InnerTextAsync()).Trim();
            var at = cell.LastIndexOf(" UTC", StringComparison.Ordinal);
            starts.Add((DateTime.ParseExact(cell[..at], "ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture), cell[(at + 1)..]));
        }
        Assert.All(starts, s => Assert.Equal(time[..5], s.Local.ToString("HH:mm", CultureInfo.InvariantCulture)));
        Assert.Contains(starts, s => s.Local < UsChange && s.Offset == "UTC−05:00");
        Assert.Contains(starts, s => s.Local > UsChange && s.Offset == "UTC−04:00");
        await Expect(rows.First).ToContainTextAsync("0 yes · 0 no · 0 maybe · 8 not answered");
        await AssertAccessibleAsync(page);
        await table.ScrollIntoViewIfNeededAsync();
        await ShotAsync(page, "schedule-series-created");

        // Moving one occurrence: the page says who cannot come and marks it moved.
        await rows.Nth(3).GetByRole(AriaRole.Button, new() { Name = "Move", Exact = false }).ClickAsync();
        var move = page.GetByRole(AriaRole.Form, new() { Name = "Move the session", Exact = false });
        await move.GetByLabel("New time (America/New_York)").FillAsync("19:30");
        await move.GetByRole(AriaRole.Button, new() { Name = "Move the session" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Moved to" })).ToContainTextAsync("19:30 America/New_York");
        await Expect(rows.Nth(3)).ToContainTextAsync("(moved)");
        await ShotAsync(page, "schedule-occurrence-moved");

        // A mentee answers the first session on the Sessions page; the counts follow.
        var mentee = await NewPageAsync();
        await SignInAsync(mentee, "tomas.herrera@example.org");
        await mentee.GetByRole(AriaRole.Link, new() { Name = Circle }).First.ClickAsync();
        await mentee.WaitForURLAsync("**/circles/*");
        await SettleAndCheckAsync(mentee);
        await Expect(mentee.GetByRole(AriaRole.Navigation, new() { Name = "This circle" }).GetByRole(AriaRole.Link, new() { Name = "Schedule" })).ToHaveCountAsync(0);
        await mentee.GetByRole(AriaRole.Navigation, new() { Name = "This circle" }).GetByRole(AriaRole.Link, new() { Name = "Sessions" }).ClickAsync();
        await mentee.WaitForURLAsync("**/circles/*/sessions");
        await SettleAndCheckAsync(mentee);
        var firstWhen = starts.Min(s => s.Local).ToString("ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);
        var yes = mentee.GetByRole(AriaRole.Button, new() { Name = $"Yes for {firstWhen}" });
        await yes.ClickAsync();
        await Expect(yes).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(mentee.GetByRole(AriaRole.Row).Filter(new() { HasText = firstWhen })).ToContainTextAsync("1 yes · 0 no · 0 maybe · 7 not answered");
        await AssertAccessibleAsync(mentee);
        await Expect(mentee.GetByText("Tomás Herrera: yes")).ToHaveCountAsync(0);
        await ShotAsync(mentee, "sessions-rsvp");

        // A mentor sees who answered what.
        var mentor = await NewPageAsync();
        await SignInAsync(mentor, "amara.okafor@example.org");
        await mentor.GetByRole(AriaRole.Link, new() { Name = Circle }).First.ClickAsync();
        await mentor.WaitForURLAsync("**/circles/*");
        await mentor.GetByRole(AriaRole.Navigation, new() { Name = "This circle" }).GetByRole(AriaRole.Link, new() { Name = "Sessions" }).ClickAsync();
        await mentor.WaitForURLAsync("**/circles/*/sessions");
        await SettleAndCheckAsync(mentor);
        await Expect(mentor.GetByRole(AriaRole.Row).Filter(new() { HasText = firstWhen })).ToContainTextAsync("Tomás Herrera: yes");
        await ShotAsync(mentor, "sessions-rsvp-mentor");
    }
}
