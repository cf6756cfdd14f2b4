using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MentorCircles.BrowserTests.Circles;

public sealed class CircleAccessTests(AppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    [Fact]
    public async Task A_mentee_sees_only_their_own_circle()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "tomas.herrera@example.org");   // a group mentee who has accepted the agreement

        var main = page.GetByRole(AriaRole.Main);
        await Expect(main.GetByRole(AriaRole.Link, new() { Name = "New Faculty Launch Group" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Research Writing Peer Circle")).ToHaveCountAsync(0);
        await Expect(page.GetByText("Teaching Portfolio Pair")).ToHaveCountAsync(0);
        // Not a coordinator: no program or jobs in the navigation.
        await Expect(page.GetByText("Background jobs")).ToHaveCountAsync(0);

        await main.GetByRole(AriaRole.Link, new() { Name = "New Faculty Launch Group" }).ClickAsync();
        await page.WaitForURLAsync("**/circles/*");
        await SettleAndCheckAsync(page);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New Faculty Launch Group" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Grid, new() { Name = "Members" })).ToContainTextAsync("Prof. Amara Okafor");
        await ScreenshotAsync(page, "mentee-circle-page");
    }

    [Fact]
    public async Task A_member_of_one_circle_cannot_open_another_circle_by_url()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "grace.thompson@example.org");   // only in the one-to-one pair

        for (var id = 1; id <= 2; id++)
        {
            await VisitAsync(page, $"/circles/{id}");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Circle not available" })).ToBeVisibleAsync();
            var body = await page.ContentAsync();
            Assert.DoesNotContain("Prof. Amara Okafor", body);
            Assert.DoesNotContain("Research Writing", body);
            Assert.DoesNotContain("Launch Group", body);
        }
        // Every other page of the group circle refuses her too, by URL.
        foreach (var path in new[] { "/circles/1/agreement", "/circles/1/objectives", "/circles/1/members" })
        {
            await VisitAsync(page, path);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Circle not available" })).ToBeVisibleAsync();
            var body = await page.ContentAsync();
            Assert.DoesNotContain("Launch Group", body);
            Assert.DoesNotContain("Prof. Amara Okafor", body);
        }
        // An id that does not exist gets the same answer: ids cannot be probed.
        await VisitAsync(page, "/circles/999999");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Circle not available" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_non_coordinator_gets_no_access_to_the_program_or_the_jobs_dashboard()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "helen.carter@example.org");

        var jobs = await page.GotoAsync("/jobs");
        Assert.Equal(403, jobs!.Status);
        await SettleAndCheckAsync(page);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You don't have access to that page" })).ToBeVisibleAsync();

        await page.GotoAsync("/programs/1");
        await page.WaitForURLAsync("**/denied**");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You don't have access to that page" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_unknown_address_shows_the_not_found_page()
    {
        var page = await NewPageAsync();
        await SignInAsync(page, "helen.carter@example.org");
        var response = await page.GotoAsync("/no-such-page");
        Assert.Equal(404, response!.Status);
        await SettleAndCheckAsync(page);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
    }
}
