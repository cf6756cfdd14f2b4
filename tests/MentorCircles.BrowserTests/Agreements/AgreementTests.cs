using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MentorCircles.BrowserTests.Agreements;

/// <summary>The confidentiality agreement as the facilitator and members use it. Only the peer circle and the pair are touched here.</summary>
public sealed class AgreementTests(AppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private const string PeerCircle = "Research Writing Peer Circle";
    private const string Pair = "Teaching Portfolio Pair";

    /// <summary>From the home page to one of the person's circles, then (when asked) to its agreement tab.</summary>
    private async Task OpenCircleAsync(IPage page, string circle)
    {
        await VisitAsync(page, "/");
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = circle }).ClickAsync();
        await page.WaitForURLAsync("**/circles/*");
        await SettleAndCheckAsync(page);
    }

    private async Task OpenAgreementFromGateAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Read the agreement" }).ClickAsync();
        await page.WaitForURLAsync("**/agreement");
        await SettleAndCheckAsync(page);
    }

    [Fact]
    public async Task After_the_facilitator_changes_the_agreement_a_peer_is_gated_until_she_accepts_again()
    {
        // The facilitator changes the text.
        var helen = await NewPageAsync();
        await SignInAsync(helen, "helen.carter@example.org");
        await OpenCircleAsync(helen, PeerCircle);
        var circleUrl = helen.Url;
        await VisitAsync(helen, circleUrl + "/agreement");
        await Expect(helen.GetByRole(AriaRole.Heading, new() { Name = "Confidentiality agreement, version 1" })).ToBeVisibleAsync();
        var text = helen.GetByLabel("Agreement text (Markdown)");
        var added = "\n\n## Drafts we share\n\nDrafts shared for critique are deleted once the meeting ends. <b>No bold tags here</b> is refused.";
        await text.FillAsync(await text.InputValueAsync() + added);
        await Expect(helen.GetByRole(AriaRole.Region, new() { Name = "Preview" })).ToContainTextAsync("Drafts we share");
        await helen.GetByRole(AriaRole.Button, new() { Name = "Save as a new version" }).ClickAsync();
        // HTML in the text: a clear message, nothing saved.
        await Expect(helen.GetByRole(AriaRole.Alert)).ToContainTextAsync("Markdown, not HTML");
        await Expect(helen.GetByRole(AriaRole.Heading, new() { Name = "Confidentiality agreement, version 1" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(helen);
        await ScreenshotAsync(helen, "agreement-facilitator-html-refused");

        await text.FillAsync((await text.InputValueAsync()).Replace("<b>No bold tags here</b> is refused.", "Nobody keeps a copy.", StringComparison.Ordinal));
        await helen.GetByRole(AriaRole.Button, new() { Name = "Save as a new version" }).ClickAsync();
        await Expect(helen.GetByRole(AriaRole.Status).Filter(new() { HasText = "Saved as version 2" })).ToBeVisibleAsync();
        await Expect(helen.GetByRole(AriaRole.Heading, new() { Name = "Confidentiality agreement, version 2" })).ToBeVisibleAsync();
        await Expect(helen.GetByRole(AriaRole.Grid, new() { Name = "Acceptances" })).ToContainTextAsync("Not yet version 2", new() { IgnoreCase = true });
        await AssertAccessibleAsync(helen);
        await ScreenshotAsync(helen, "agreement-facilitator-saved-version-2");

        // Aisha had accepted version 1: now the circle is closed to her.
        var aisha = await NewPageAsync();
        await SignInAsync(aisha, "aisha.bello@example.org");
        await OpenCircleAsync(aisha, PeerCircle);
        await Expect(aisha.GetByRole(AriaRole.Heading, new() { Name = "Accept the confidentiality agreement first" })).ToBeVisibleAsync();
        await Expect(aisha.GetByText("Ingrid Larsen")).ToHaveCountAsync(0);
        await Expect(aisha.GetByText("meet.example.org")).ToHaveCountAsync(0);
        await ScreenshotAsync(aisha, "agreement-peer-gated");

        await OpenAgreementFromGateAsync(aisha);
        await Expect(aisha.GetByRole(AriaRole.Article, new() { Name = "Agreement text" })).ToContainTextAsync("Drafts we share");
        await Expect(aisha.GetByRole(AriaRole.Status).Filter(new() { HasText = "changed since you accepted version 1" })).ToBeVisibleAsync();
        await aisha.GetByLabel("Your full name").FillAsync("Aisha Bello");
        await aisha.GetByRole(AriaRole.Button, new() { Name = "Accept and sign" }).ClickAsync();
        await Expect(aisha.GetByRole(AriaRole.Status).Filter(new() { HasText = "you accepted version 2" })).ToBeVisibleAsync();
        await Expect(aisha.GetByRole(AriaRole.Region, new() { Name = "What you have accepted" })).ToContainTextAsync("Version 1");
        await AssertAccessibleAsync(aisha);
        await ScreenshotAsync(aisha, "agreement-peer-accepted-version-2");

        await VisitAsync(aisha, circleUrl);
        await Expect(aisha.GetByRole(AriaRole.Grid, new() { Name = "Members" })).ToContainTextAsync("Dr. Helen Carter");

        // The facilitator sees Aisha on the new version.
        await VisitAsync(helen, circleUrl + "/agreement");
        var aishaRow = helen.GetByRole(AriaRole.Grid, new() { Name = "Acceptances" }).GetByRole(AriaRole.Row).Filter(new() { HasText = "Aisha Bello" });
        await Expect(aishaRow).ToContainTextAsync("Version 2 (current)");
        await Expect(helen.GetByText("1 of 8 members have accepted version 2")).ToBeVisibleAsync();
        await helen.GetByRole(AriaRole.Heading, new() { Name = "Who has accepted" }).EvaluateAsync("e => e.scrollIntoView()");
        await ScreenshotAsync(helen, "agreement-facilitator-status");
    }

    [Fact]
    public async Task A_mentee_who_signs_with_a_wrong_name_stays_gated_until_she_signs_with_hers()
    {
        var grace = await NewPageAsync();
        await SignInAsync(grace, "grace.thompson@example.org");
        await OpenCircleAsync(grace, Pair);
        var circleUrl = grace.Url;
        await Expect(grace.GetByRole(AriaRole.Heading, new() { Name = "Accept the confidentiality agreement first" })).ToBeVisibleAsync();
        await Expect(grace.GetByText("Prof. Rahul Mehta")).ToHaveCountAsync(0);

        await OpenAgreementFromGateAsync(grace);
        await Expect(grace.GetByRole(AriaRole.Article, new() { Name = "Agreement text" })).ToContainTextAsync("What stays between us");
        await grace.GetByLabel("Your full name").FillAsync("Grace T");
        await grace.GetByRole(AriaRole.Button, new() { Name = "Accept and sign" }).ClickAsync();
        await Expect(grace.GetByRole(AriaRole.Alert)).ToContainTextAsync("must be your full name as your account shows it: Grace Thompson");
        await AssertAccessibleAsync(grace);
        await ScreenshotAsync(grace, "agreement-mentee-wrong-name");

        await VisitAsync(grace, circleUrl);
        await Expect(grace.GetByRole(AriaRole.Heading, new() { Name = "Accept the confidentiality agreement first" })).ToBeVisibleAsync();

        await OpenAgreementFromGateAsync(grace);
        await grace.GetByLabel("Your full name").FillAsync("  grace thompson ");
        await grace.GetByRole(AriaRole.Button, new() { Name = "Accept and sign" }).ClickAsync();
        await Expect(grace.GetByRole(AriaRole.Status).Filter(new() { HasText = "you accepted version 1" })).ToBeVisibleAsync();
        await Expect(grace.GetByRole(AriaRole.Region, new() { Name = "What you have accepted" })).ToContainTextAsync("signed \"grace thompson\"");

        await VisitAsync(grace, circleUrl);
        await Expect(grace.GetByRole(AriaRole.Heading, new() { Name = Pair })).ToBeVisibleAsync();
        await Expect(grace.GetByRole(AriaRole.Grid, new() { Name = "Members" })).ToContainTextAsync("Prof. Rahul Mehta");
        await ScreenshotAsync(grace, "agreement-mentee-pair-open");
    }
}
