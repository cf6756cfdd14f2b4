using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MentorCircles.BrowserTests.Accounts;

public sealed class SignInTests(AppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    [Fact]
    public async Task Demo_coordinator_signs_in_and_sees_the_three_circles()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "coordinator@example.org");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Dana Whitfield" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Junior Faculty Mentoring" })).ToBeVisibleAsync();
        foreach (var circle in new[] { "New Faculty Launch Group", "Research Writing Peer Circle", "Teaching Portfolio Pair" })
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = circle, Exact = true })).ToBeVisibleAsync();
        await ScreenshotAsync(page, "coordinator-home");
    }

    [Fact]
    public async Task Wrong_password_shows_a_clear_error_and_keeps_the_email()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "mei.lin@example.org", "not-her-password");

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Wrong email or password");
        await Expect(page.GetByLabel("Email")).ToHaveValueAsync("mei.lin@example.org");
        await ScreenshotAsync(page, "sign-in-wrong-password");
    }

    [Fact]
    public async Task Signed_out_visitor_is_sent_to_sign_in_and_back_afterwards()
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/circles/1");
        await page.WaitForURLAsync("**/signin**");
        await SettleAndCheckAsync(page);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in to MentorCircles" })).ToBeVisibleAsync();

        await page.GetByLabel("Email").FillAsync("amara.okafor@example.org");
        await page.GetByLabel("Password").FillAsync(DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/circles/1");
        await SettleAndCheckAsync(page);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New Faculty Launch Group" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "priya.raman@example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync("**/signin?signedOut=1");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("You are signed out");

        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/signin**");
    }
}
