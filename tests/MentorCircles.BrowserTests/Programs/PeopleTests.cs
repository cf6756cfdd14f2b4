using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MentorCircles.BrowserTests.Programs;

public sealed class PeopleTests(AppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private static ILocator AddForm(IPage page) => page.GetByRole(AriaRole.Form, new() { Name = "Add a person" });

    private async Task<IPage> OpenPeopleTabAsync()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "coordinator@example.org");
        await page.GetByRole(AriaRole.Link, new() { Name = "Manage people and circles" }).ClickAsync();
        await page.WaitForURLAsync("**/programs/*");
        await SettleAndCheckAsync(page);
        await page.GetByRole(AriaRole.Tab, new() { Name = "People" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Add a person" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(page);
        return page;
    }

    [Fact]
    public async Task Coordinator_adds_a_person_whose_invitation_link_works_once()
    {
        var page = await OpenPeopleTabAsync();
        var email = $"noor.{Guid.NewGuid().ToString("N")[..8]}@example.org";
        await AddForm(page).GetByLabel("Display name").FillAsync("Noor Haddad");
        await AddForm(page).GetByLabel("Email").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add and create link" }).ClickAsync();

        var link = page.GetByTestId("invitation-link");
        await Expect(link).ToContainTextAsync("/invite/");
        var url = (await link.InnerTextAsync()).Trim();
        await Expect(page.GetByRole(AriaRole.Grid, new() { Name = "People" })).ToContainTextAsync("Noor Haddad");
        await ScreenshotAsync(page, "coordinator-added-person");

        // The new person opens the link in their own browser, sets a password, and is signed in.
        var noor = await NewPageAsync();
        await VisitAsync(noor, url);
        await Expect(noor.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Noor Haddad" })).ToBeVisibleAsync();
        await noor.GetByLabel("New password").FillAsync("a-good-long-password");
        await noor.GetByLabel("Type it again").FillAsync("a-good-long-password");
        await noor.GetByLabel("Your time zone").SelectOptionAsync("Asia/Tokyo");
        await noor.GetByRole(AriaRole.Button, new() { Name = "Set password and sign in" }).ClickAsync();
        await noor.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/");
        await SettleAndCheckAsync(noor);
        await Expect(noor.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Noor Haddad" })).ToBeVisibleAsync();

        // The same link a second time is refused.
        var again = await NewPageAsync();
        await VisitAsync(again, url);
        await Expect(again.GetByRole(AriaRole.Alert)).ToContainTextAsync("already been used");
    }

    [Fact]
    public async Task Bad_input_when_adding_a_person_gets_a_clear_message_and_saves_nothing()
    {
        var page = await OpenPeopleTabAsync();
        var grid = page.GetByRole(AriaRole.Grid, new() { Name = "People" });
        var before = await grid.InnerTextAsync();

        await AddForm(page).GetByLabel("Display name").FillAsync("Someone Else");
        await AddForm(page).GetByLabel("Email").FillAsync("PRIYA.RAMAN@example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add and create link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("already exists");

        await AddForm(page).GetByLabel("Display name").FillAsync("   ");
        await AddForm(page).GetByLabel("Email").FillAsync("not-an-email");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add and create link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Enter a display name");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("is not an email address");
        await AssertAccessibleAsync(page);
        await ScreenshotAsync(page, "coordinator-add-person-errors");

        Assert.Equal(before, await grid.InnerTextAsync());
        await Expect(page.GetByTestId("invitation-link")).ToHaveCountAsync(0);
    }
}
