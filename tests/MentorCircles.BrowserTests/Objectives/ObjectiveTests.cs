using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MentorCircles.BrowserTests.Objectives;

public sealed partial class ObjectiveTests(AppFixture app, ITestOutputHelper output) : BrowserTest(app, output)
{
    private const string Circle = "New Faculty Launch Group";
    private const string Title = "Submit my first R01 grant";

    [Fact]
    public async Task A_mentee_accepts_the_agreement_sets_an_objective_checks_in_twice_and_a_mentor_sees_it_but_a_peer_does_not()
    {
        // Priya has not accepted the demo agreement yet: her circle sends her to it first.
        var priya = await NewPageAsync();
        await SignInAsync(priya, "priya.raman@example.org");
        await priya.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = Circle }).ClickAsync();
        await priya.WaitForURLAsync(CirclePath());
        await SettleAndCheckAsync(priya);
        var circleId = long.Parse(CircleId().Match(priya.Url).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        await Expect(priya.GetByRole(AriaRole.Heading, new() { Name = "Accept the confidentiality agreement first" })).ToBeVisibleAsync();

        // Her objectives are gated too, by URL.
        await VisitAsync(priya, $"/circles/{circleId}/objectives");
        await Expect(priya.GetByRole(AriaRole.Heading, new() { Name = "Accept the confidentiality agreement first" })).ToBeVisibleAsync();
        await Expect(priya.GetByRole(AriaRole.Heading, new() { Name = "My objectives" })).ToHaveCountAsync(0);

        await priya.GetByRole(AriaRole.Link, new() { Name = "Read the agreement" }).ClickAsync();
        await priya.WaitForURLAsync($"**/circles/{circleId}/agreement");
        await SettleAndCheckAsync(priya);
        await priya.GetByLabel("Your full name").FillAsync("Priya Raman");
        await priya.GetByRole(AriaRole.Button, new() { Name = "Accept and sign" }).ClickAsync();
        await Expect(priya.GetByText("you accepted version")).ToBeVisibleAsync();

        // Now the objectives page opens: she sets an objective with two milestones, shared with facilitators and mentors.
        await VisitAsync(priya, $"/circles/{circleId}/objectives");
        await Expect(priya.GetByRole(AriaRole.Heading, new() { Name = "My objectives" })).ToBeVisibleAsync();
        await Expect(priya.GetByText("You have not set an objective in this circle yet.")).ToBeVisibleAsync();
        var form = priya.GetByRole(AriaRole.Form, new() { Name = "Set a new objective" });
        // Saving without a title says what is missing and saves nothing.
        await form.GetByRole(AriaRole.Button, new() { Name = "Save objective" }).ClickAsync();
        await Expect(priya.GetByRole(AriaRole.Alert)).ToContainTextAsync("Give the objective a title.");
        await Expect(priya.GetByText("You have not set an objective in this circle yet.")).ToBeVisibleAsync();
        await form.GetByLabel("Title", new() { Exact = true }).FillAsync(Title);
        await form.GetByLabel("Why it matters").FillAsync("Tenure review in three years expects external funding.");
        await form.GetByLabel("Success criteria: how you will know you got there").FillAsync("Submitted by the June deadline.");
        await form.GetByLabel("Milestone 1", new() { Exact = true }).FillAsync("Draft the specific aims");
        await form.GetByRole(AriaRole.Button, new() { Name = "Add a milestone" }).ClickAsync();
        await form.GetByLabel("Milestone 2", new() { Exact = true }).FillAsync("Budget agreed with the department");
        await form.GetByRole(AriaRole.Radio, new() { Name = "Me, facilitators and mentors" }).ClickAsync();
        await AssertAccessibleAsync(priya);
        await form.GetByRole(AriaRole.Button, new() { Name = "Save objective" }).ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(priya, "objectives-new-objective-form");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save objective" }).ClickAsync();

        await priya.WaitForURLAsync(ObjectivePath());
        await SettleAndCheckAsync(priya);
        await Expect(priya.GetByRole(AriaRole.Heading, new() { Name = Title })).ToBeVisibleAsync();
        await Expect(priya.GetByText("Visible to: Me, facilitators and mentors")).ToBeVisibleAsync();
        var edit = priya.GetByRole(AriaRole.Form, new() { Name = "Edit objective" });
        await Expect(edit.GetByLabel("Milestone 1", new() { Exact = true })).ToHaveValueAsync("Draft the specific aims");
        await Expect(edit.GetByLabel("Milestone 2", new() { Exact = true })).ToHaveValueAsync("Budget agreed with the department");

        // Two check-ins between sessions.
        await CheckInAsync(priya, 20, "Aims drafted, waiting for feedback.");
        await CheckInAsync(priya, 45, "Budget meeting booked.");
        var history = priya.GetByRole(AriaRole.Table, new() { Name = "Check-ins" });
        await Expect(history.GetByRole(AriaRole.Row)).ToHaveCountAsync(3);   // header and two check-ins, newest first
        await Expect(history.GetByRole(AriaRole.Row).Nth(1)).ToContainTextAsync("45 %");
        await Expect(history.GetByRole(AriaRole.Row).Nth(2)).ToContainTextAsync("20 %");
        await Expect(history).ToContainTextAsync("Between sessions");
        // The chart draws both points.
        var chart = priya.Locator("figure.mc-chart");
        await Expect(chart.Locator("svg").First).ToBeVisibleAsync();
        await Expect(chart.GetByText("Progress from 20 % to 45 % over 2 check-ins")).ToBeVisibleAsync();
        await Expect(chart.Locator("svg .rz-marker")).ToHaveCountAsync(2);
        await AssertAccessibleAsync(priya);
        // The layout scrolls inside its body, so a screenshot shows what is scrolled into view.
        await chart.ScrollIntoViewIfNeededAsync();
        await ScreenshotAsync(priya, "objectives-detail-after-two-check-ins");

        // The mentor sees it in the circle overview and can open it.
        var amara = await NewPageAsync();
        await SignInAsync(amara, "amara.okafor@example.org");
        await VisitAsync(amara, $"/circles/{circleId}/objectives");
        var overview = amara.GetByRole(AriaRole.Table, new() { Name = "Members and their shared objectives" });
        var priyaRow = overview.GetByRole(AriaRole.Row).Filter(new() { HasText = "Priya Raman" });
        await Expect(priyaRow.GetByRole(AriaRole.Link, new() { Name = Title })).ToBeVisibleAsync();
        await Expect(priyaRow).ToContainTextAsync("45 %");
        await Expect(overview.GetByRole(AriaRole.Row).Filter(new() { HasText = "Tomás Herrera" })).ToContainTextAsync("No objective yet");
        await ScreenshotAsync(amara, "objectives-mentor-circle-overview");
        await priyaRow.GetByRole(AriaRole.Link, new() { Name = Title }).ClickAsync();
        await amara.WaitForURLAsync(ObjectivePath());
        await SettleAndCheckAsync(amara);
        await Expect(amara.GetByText("Set by Priya Raman")).ToBeVisibleAsync();
        await Expect(amara.GetByRole(AriaRole.Form, new() { Name = "Check in" })).ToHaveCountAsync(0);
        await Expect(amara.GetByRole(AriaRole.Form, new() { Name = "Edit objective" })).ToHaveCountAsync(0);
        var objectiveUrl = amara.Url;

        // A fellow mentee does not: not in his list, and not by its address.
        var tomas = await NewPageAsync();
        await SignInAsync(tomas, "tomas.herrera@example.org");
        await VisitAsync(tomas, $"/circles/{circleId}/objectives");
        await Expect(tomas.GetByRole(AriaRole.Heading, new() { Name = "My objectives" })).ToBeVisibleAsync();
        await Expect(tomas.GetByRole(AriaRole.Heading, new() { Name = "Circle overview" })).ToHaveCountAsync(0);
        Assert.DoesNotContain(Title, await tomas.ContentAsync());
        await VisitAsync(tomas, new Uri(objectiveUrl).PathAndQuery);
        await Expect(tomas.GetByText("This objective does not exist or you cannot see it.")).ToBeVisibleAsync();
        Assert.DoesNotContain(Title, await tomas.ContentAsync());
    }

    private async Task CheckInAsync(IPage page, int progress, string note)
    {
        var form = page.GetByRole(AriaRole.Form, new() { Name = "Check in" });
        await form.GetByLabel("Progress (%)").FillAsync(progress.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await form.GetByLabel("Note (optional)").FillAsync(note);
        await form.GetByRole(AriaRole.Button, new() { Name = "Check in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Checked in at {progress} %." })).ToBeVisibleAsync();
    }

    private static Regex CirclePath() => CirclePathRegex();
    private static Regex ObjectivePath() => ObjectivePathRegex();

    [GeneratedRegex(@"/circles/\d+$")]
    private static partial Regex CirclePathRegex();

    [GeneratedRegex(@"/circles/\d+/objectives/\d+$")]
    private static partial Regex ObjectivePathRegex();

    [GeneratedRegex(@"/circles/(\d+)")]
    private static partial Regex CircleId();
}
