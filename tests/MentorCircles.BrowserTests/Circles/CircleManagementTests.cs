using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MentorCircles.BrowserTests.Circles;

/// <summary>The demo coordinator forms a circle of their own (demo circles are left alone for the other tests).</summary>
public sealed class CircleManagementTests(AppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    /// <summary>Opens a Radzen drop-down by its label, optionally types into its filter, and picks an option, as a person would.</summary>
    private static async Task ChooseAsync(IPage page, string label, string option, string? filter = null)
    {
        var id = await page.Locator("label", new() { HasText = label }).First.GetAttributeAsync("for");
        await page.Locator(".rz-dropdown").Filter(new() { Has = page.Locator($"[id='{id}']") }).ClickAsync();
        if (filter is not null)
            await page.Locator(".rz-dropdown-filter:visible").FillAsync(filter);
        await page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }

    private static ILocator Status(IPage page) => page.GetByRole(AriaRole.Status);
    private static ILocator Members(IPage page) => page.GetByRole(AriaRole.Grid, new() { Name = "Members" });
    private static ILocator Warnings(IPage page) => page.GetByRole(AriaRole.List, new() { Name = "Format warnings" });

    private async Task AddAsync(IPage page, string filter, string person, string role)
    {
        await ChooseAsync(page, "Person", person, filter);
        await ChooseAsync(page, "Role", role);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add member" }).ClickAsync();
    }

    [Fact]
    public async Task Coordinator_creates_a_one_to_one_adds_a_pair_is_refused_a_third_person_and_removes_the_mentee()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "coordinator@example.org");
        await page.GetByRole(AriaRole.Link, new() { Name = "Manage people and circles" }).ClickAsync();
        await page.WaitForURLAsync("**/programs/*");
        await SettleAndCheckAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "New circle" }).ClickAsync();
        await page.WaitForURLAsync("**/circles/new");
        await SettleAndCheckAsync(page);

        // Nothing typed yet: a clear message, nothing saved.
        await page.GetByRole(AriaRole.Button, new() { Name = "Create circle" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Give the circle a name.");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Say where the circle meets");
        await AssertAccessibleAsync(page);
        Assert.EndsWith("/circles/new", page.Url);

        var form = page.GetByRole(AriaRole.Form, new() { Name = "New circle" });
        await form.GetByLabel("Name").FillAsync("Grant Writing Pair");
        await form.GetByLabel("Purpose (optional)").FillAsync("A first NIH grant, from aims to submission.");
        await ChooseAsync(page, "Format", "One-to-one");
        await ChooseAsync(page, "Meets", "Distance");
        await form.GetByLabel("Meeting link or place").FillAsync("https://meet.example.org/grant-pair");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create circle" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("A distance circle needs a fallback");
        await form.GetByLabel("Fallback if the link fails", new() { Exact = false }).FillAsync("Dial-in +1 555 0199, code 2026");
        await ScreenshotAsync(page, "coordinator-new-circle");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create circle" }).ClickAsync();

        // Waits for the address, not for a load event: "Create circle" navigates inside the page (Blazor's router), and
        // in two CI runs the waiter, waiting for "load", timed out while the page already showed the members page with
        // "The circle was created" (the END line of the test's output). SettleAndCheckAsync then waits for the network.
        await page.WaitForURLAsync("**/circles/*/members?created=1", new() { WaitUntil = WaitUntilState.Commit });
        await SettleAndCheckAsync(page);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Grant Writing Pair", Level = 1 })).ToBeVisibleAsync();
        await Expect(Status(page)).ToContainTextAsync("The circle was created");

        await AddAsync(page, "lucas", "Dr. Lucas Bergström (lucas.bergstrom@example.org)", "Mentor");
        await Expect(Status(page)).ToContainTextAsync("Dr. Lucas Bergström joined the circle as mentor.");
        await Expect(Warnings(page)).ToContainTextAsync("This one-to-one is not complete yet: it has no mentee.");
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "coordinator-one-to-one-incomplete");

        await AddAsync(page, "okonkwo", "Sam Okonkwo (sam.okonkwo@example.org)", "Mentee");
        await Expect(Status(page)).ToContainTextAsync("Sam Okonkwo joined the circle as mentee.");
        await Expect(Warnings(page)).ToHaveCountAsync(0);
        await Expect(page.GetByText("The members fit the one-to-one format.")).ToBeVisibleAsync();

        var before = await Members(page).InnerTextAsync();
        await AddAsync(page, "kwame", "Kwame Mensah (kwame.mensah@example.org)", "Mentee");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Nothing was saved");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("no room for a third");
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "coordinator-one-to-one-third-refused");
        Assert.Equal(before, await Members(page).InnerTextAsync());
        await Expect(Members(page)).Not.ToContainTextAsync("Kwame");

        await page.GetByRole(AriaRole.Button, new() { Name = "Remove Sam Okonkwo" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, remove Sam Okonkwo" }).ClickAsync();
        await Expect(Status(page)).ToContainTextAsync("Sam Okonkwo is no longer a member of this circle.");
        await Expect(Members(page)).Not.ToContainTextAsync("Sam Okonkwo");
        await Expect(Members(page)).ToContainTextAsync("Dr. Lucas Bergström");
        await Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("Sam Okonkwo");   // former members keep their history
        await Expect(Warnings(page)).ToContainTextAsync("it has no mentee");
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "coordinator-one-to-one-mentee-removed");
        var circleUrl = page.Url.Replace("/members?created=1", "", StringComparison.Ordinal);

        // The mentor leaves the new circle himself; it is gone from his circles and its page refuses him.
        var lucas = await NewPageAsync();
        await SignInAsync(lucas, "lucas.bergstrom@example.org");
        await VisitAsync(lucas, circleUrl);
        await Expect(lucas.GetByRole(AriaRole.Heading, new() { Name = "Grant Writing Pair", Level = 1 })).ToBeVisibleAsync();
        await lucas.GetByRole(AriaRole.Button, new() { Name = "Leave this circle" }).ClickAsync();
        await lucas.GetByRole(AriaRole.Button, new() { Name = "Yes, leave this circle" }).ClickAsync();
        await lucas.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/");
        await SettleAndCheckAsync(lucas);
        await Expect(lucas.GetByRole(AriaRole.Main)).Not.ToContainTextAsync("Grant Writing Pair");
        await VisitAsync(lucas, circleUrl);
        await Expect(lucas.GetByRole(AriaRole.Heading, new() { Name = "Circle not available" })).ToBeVisibleAsync();
    }
}
