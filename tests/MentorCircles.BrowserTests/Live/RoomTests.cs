using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace MentorCircles.BrowserTests.Live;

/// <summary>
/// A facilitator and three members in one live room, each in their own browser: a check-in round, a progressive
/// queue, a reload in the middle, an objective round that saves a check-in, and the summary. A member who has not
/// accepted the current agreement cannot enter. A press from a tab that has not yet heard of the room's last change is
/// refused with the engine's reason and changes nothing; a member whose membership ends loses the room at once.
/// </summary>
public sealed partial class RoomTests(AppFixture app, ITestOutputHelper output) : OwnAppBrowserTest(app, output)
{
    private const string Circle = "Research Writing Peer Circle";
    private const string Helen = "Dr. Helen Carter", Aisha = "Aisha Bello", Marco = "Marco Rossi", Ingrid = "Ingrid Larsen";

    [Fact]
    public async Task A_facilitator_and_three_members_run_a_round_a_progressive_queue_and_an_objective_round()
    {
        // The facilitator starts a session now from the circle's Sessions tab.
        var (helen, room) = await HelenStartsASessionNowAsync();

        // Everyone entering first sees the agreement's key points.
        await Expect(helen.GetByRole(AriaRole.Heading, new() { Name = "Before we begin: our agreement (version 1)" })).ToBeVisibleAsync();
        await Expect(helen.Locator(".mc-room-agreement li").First).ToBeVisibleAsync();
        await ScreenshotAsync(helen, "room-agreement-on-entry");
        await helen.GetByRole(AriaRole.Button, new() { Name = "I am ready" }).ClickAsync();

        var pages = new Dictionary<string, IPage> { [Helen] = helen };
        foreach (var (name, email) in new[] { (Aisha, "aisha.bello"), (Marco, "marco.rossi"), (Ingrid, "ingrid.larsen") })
        {
            var p = await NewPageAsync();
            await SignInAsync(p, $"{email}@example.org");
            await EnterAsync(p, room);
            pages[name] = p;
        }
        var (aisha, marco, ingrid) = (pages[Aisha], pages[Marco], pages[Ingrid]);
        try { await Expect(helen.Locator(".mc-room-status")).ToContainTextAsync("4 of 8 here"); }
        catch (Exception ex) { await ScreenshotAsync(helen, "debug-helen"); throw new InvalidOperationException(OwnApp.Log[^Math.Min(OwnApp.Log.Length, 8000)..], ex); }

        // A member who has not accepted the current agreement cannot enter, even with the room's address.
        var elena = await NewPageAsync();
        await SignInAsync(elena, "elena.petrova@example.org");
        await VisitAsync(elena, room);
        await Expect(elena.GetByRole(AriaRole.Heading, new() { Name = "Accept the confidentiality agreement first" })).ToBeVisibleAsync();
        await Expect(elena.Locator(".mc-room")).ToHaveCountAsync(0);
        await Expect(helen.Locator(".mc-room-status")).ToContainTextAsync("4 of 8 here");

        // Check-in round: everyone in turn, in an explained order. Aisha talks for a while; the others keep it short.
        await helen.GetByRole(AriaRole.Button, new() { Name = "Start the session" }).ClickAsync();
        await Expect(helen.GetByRole(AriaRole.Heading, new() { Name = "Check-in round" })).ToBeVisibleAsync();
        await helen.GetByRole(AriaRole.Button, new() { Name = "Start a round (after last starter)" }).ClickAsync();
        await Expect(marco.Locator(".mc-round")).ToBeVisibleAsync();
        var spoke = new List<string>();
        for (var turn = 0; turn < 4; turn++)
        {
            var speaker = await SpeakerAsync(helen);
            Assert.NotNull(speaker);
            spoke.Add(speaker!);
            var page = pages[speaker!];
            await Expect(page.Locator("#room-urgent")).ToHaveTextAsync("It is your turn to speak.");
            await Expect(page.Locator(".mc-turn-timer [data-deadline]")).Not.ToBeEmptyAsync();   // counted down in the browser
            if (speaker == Aisha)
            {
                if (turn == 0) await ScreenshotAsync(aisha, "room-round-speaker-view");
                await Task.Delay(3_000);
            }
            await page.GetByRole(AriaRole.Button, new() { Name = "I'm done (yield)" }).ClickAsync();
            await Expect(helen.Locator(".mc-speaker")).Not.ToContainTextAsync(speaker);
        }
        Assert.Equal(4, spoke.Distinct().Count());
        Assert.Null(await SpeakerAsync(helen));

        // Open discussion in a progressive queue: Aisha raises her hand first, but Marco, who has spoken less, goes first and is told why.
        await helen.GetByRole(AriaRole.Button, new() { Name = "Next agenda item" }).ClickAsync();
        await Expect(helen.GetByRole(AriaRole.Heading, new() { Name = "Peer consultation", Exact = false }).First).ToBeVisibleAsync();
        // Peer consultation: the suggested client (nobody has been one yet) presents, then the phases move on, each timed.
        await Expect(helen.Locator(".mc-consultation")).ToContainTextAsync("has not been the client yet");
        await helen.GetByRole(AriaRole.Button, new() { Name = "Start the consultation" }).ClickAsync();
        await Expect(ingrid.Locator(".mc-consultation")).ToContainTextAsync("Phase 1 of 4");
        await Expect(ingrid.Locator(".mc-consultation [data-deadline]")).Not.ToBeEmptyAsync();
        await helen.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Move on to") }).ClickAsync();
        await Expect(ingrid.Locator(".mc-consultation")).ToContainTextAsync("Phase 2 of 4");
        await AssertAccessibleAsync(ingrid);
        await ScreenshotAsync(ingrid, "room-peer-consultation-member-view");
        await helen.GetByRole(AriaRole.Button, new() { Name = "Next agenda item" }).ClickAsync();
        await Expect(helen.GetByRole(AriaRole.Heading, new() { Name = "Open discussion" })).ToBeVisibleAsync();
        await helen.GetByLabel("Turn-taking for this item").SelectOptionAsync(new SelectOptionValue { Label = "progressive queue (quietest first)" });
        await Expect(aisha.GetByRole(AriaRole.Heading, new() { Name = "Open discussion" })).ToContainTextAsync("progressive");
        await aisha.GetByRole(AriaRole.Button, new() { Name = "Raise hand" }).ClickAsync();
        await Expect(aisha.Locator(".mc-queue-me")).ToContainTextAsync("you are 1st");
        await marco.GetByRole(AriaRole.Button, new() { Name = "Raise hand" }).ClickAsync();
        await Expect(marco.Locator(".mc-queue-me")).ToContainTextAsync("you are 1st");
        await Expect(marco.Locator(".mc-queue-me")).ToContainTextAsync("nobody waiting has spoken less");
        await Expect(aisha.Locator(".mc-queue-me")).ToContainTextAsync("you are 2nd");
        await Expect(aisha.Locator(".mc-queue-me")).ToContainTextAsync("1 person who spoke less is ahead of you");
        await AssertAccessibleAsync(aisha);
        await ScreenshotAsync(aisha, "room-progressive-queue-member-view");

        // A reload in the middle keeps the room as it was.
        await marco.ReloadAsync();
        await SettleAndCheckAsync(marco);
        await marco.GetByRole(AriaRole.Button, new() { Name = "I am ready" }).ClickAsync();
        await Expect(marco.GetByRole(AriaRole.Heading, new() { Name = "Open discussion" })).ToBeVisibleAsync();
        await Expect(marco.Locator(".mc-queue-me")).ToContainTextAsync("you are 1st");
        await Expect(aisha.Locator(".mc-queue-me")).ToContainTextAsync("you are 2nd");
        await Expect(helen.Locator(".mc-room-status")).ToContainTextAsync("4 of 8 here");

        await helen.GetByRole(AriaRole.Button, new() { Name = "Next speaker" }).ClickAsync();
        await Expect(marco.Locator("#room-urgent")).ToHaveTextAsync("It is your turn to speak.");
        await Expect(ingrid.Locator("#room-announcer")).ToContainTextAsync($"{Marco} has the floor.");
        await Expect(aisha.Locator(".mc-queue-me")).ToContainTextAsync("you are 1st");

        // Objective round: the facilitator adds it, gives Aisha the floor, and she saves a check-in on her objective from the room.
        var add = helen.GetByRole(AriaRole.Form, new() { Name = "Add an agenda item" });
        await add.GetByLabel("Add an item").FillAsync("Objective check-ins");
        await add.GetByLabel("Kind").SelectOptionAsync(new SelectOptionValue { Label = "Objective round" });
        await add.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await Expect(helen.Locator(".mc-room-agenda")).ToContainTextAsync("Objective check-ins");
        await helen.GetByRole(AriaRole.Button, new() { Name = "Next agenda item" }).ClickAsync();
        await Expect(helen.GetByRole(AriaRole.Heading, new() { Name = "Closing round" })).ToBeVisibleAsync();
        await helen.GetByRole(AriaRole.Button, new() { Name = "Next agenda item" }).ClickAsync();
        await Expect(helen.GetByRole(AriaRole.Heading, new() { Name = "Objective check-ins" })).ToBeVisibleAsync();
        await helen.GetByLabel("Give the floor to").SelectOptionAsync(new SelectOptionValue { Label = Aisha });
        await helen.GetByRole(AriaRole.Button, new() { Name = "Give the floor" }).ClickAsync();
        var checkIn = aisha.GetByRole(AriaRole.Form, new() { Name = "Check in on an objective" });
        await Expect(checkIn.GetByLabel("Your objective")).ToContainTextAsync("Finish the methods chapter");
        await checkIn.GetByLabel("Progress (%)").FillAsync("60");
        await checkIn.GetByLabel("A short note").FillAsync("Draft is with my supervisor");
        await checkIn.GetByRole(AriaRole.Button, new() { Name = "Save check-in" }).ClickAsync();
        await Expect(aisha.GetByText("Saved: 60% on \"Finish the methods chapter\".")).ToBeVisibleAsync();
        await Expect(marco.Locator(".mc-objective-round")).ToContainTextAsync($"{Aisha} is reporting.");
        await Expect(marco.Locator(".mc-objective-round")).ToContainTextAsync("Finish the methods chapter");

        // The facilitator sees airtime against a fair share, then ends the session; everyone is pointed to the summary.
        await Expect(helen.Locator(".mc-airtime")).ToContainTextAsync("Fair share");
        await Expect(marco.Locator(".mc-airtime")).ToHaveCountAsync(0);
        // Across the circle's sessions and back (the panel re-renders for its own tabs, not only for the room's changes).
        await Expect(helen.Locator(".mc-airtime").GetByRole(AriaRole.Button, new() { Name = "This session" })).ToHaveAttributeAsync("aria-pressed", "true");
        await helen.Locator(".mc-airtime").GetByRole(AriaRole.Button, new() { Name = "All sessions" }).ClickAsync();
        await Expect(helen.Locator(".mc-airtime")).ToContainTextAsync(new Regex("finished session"));
        await Expect(helen.Locator(".mc-airtime").GetByRole(AriaRole.Button, new() { Name = "All sessions" })).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(helen.Locator(".mc-airtime")).Not.ToContainTextAsync("Fair share:");
        await helen.Locator(".mc-airtime").GetByRole(AriaRole.Button, new() { Name = "This session" }).ClickAsync();
        await Expect(helen.Locator(".mc-airtime")).ToContainTextAsync("Fair share:");
        await Expect(helen.Locator(".mc-airtime").GetByRole(AriaRole.Button, new() { Name = "This session" })).ToHaveAttributeAsync("aria-pressed", "true");
        await AssertAccessibleAsync(helen);
        await ScreenshotAsync(helen, "room-facilitator-view");
        await helen.GetByRole(AriaRole.Button, new() { Name = "End the session" }).ClickAsync();
        await helen.GetByRole(AriaRole.Button, new() { Name = "Yes, end it" }).ClickAsync();
        await Expect(ingrid.GetByRole(AriaRole.Link, new() { Name = "See the summary" })).ToBeVisibleAsync();
        await ingrid.GetByRole(AriaRole.Link, new() { Name = "See the summary" }).ClickAsync();
        await ingrid.WaitForURLAsync("**/summary");
        await SettleAndCheckAsync(ingrid);
        await Expect(ingrid.GetByRole(AriaRole.Heading, new() { Name = "Attendance (4 of 8)" })).ToBeVisibleAsync();
        await Expect(ingrid.Locator("section", new() { Has = ingrid.GetByRole(AriaRole.Heading, new() { Name = "Objective check-ins" }) }))
            .ToContainTextAsync($"{Aisha}: Finish the methods chapter — 60%: Draft is with my supervisor");
        await Expect(ingrid.GetByRole(AriaRole.Table)).ToContainTextAsync("Check-in round");
        await ScreenshotAsync(ingrid, "room-summary-member-view");
    }

    [Fact]
    public async Task A_member_whose_membership_ends_mid_session_loses_the_room_at_once_and_a_facilitator_at_their_next_press()
    {
        var (helen, room) = await HelenRunsASessionAsync();
        var marco = await NewPageAsync();
        await SignInAsync(marco, "marco.rossi@example.org");
        await EnterAsync(marco, room);
        await Expect(marco.Locator(".mc-room")).ToHaveCountAsync(1);

        // Marco's membership ends elsewhere (a coordinator, another node) while his page is open: the room goes at once.
        await using var db = await OwnDatabaseAsync();
        async Task EndMembershipAsync(string email)
        {
            await using var cmd = db.CreateCommand("""
                UPDATE mentor.membership SET left_at = now()
                WHERE person_id = (SELECT id FROM mentor.person WHERE lower(email) = @email) AND left_at IS NULL
                """);
            cmd.Parameters.AddWithValue("email", email);
            Assert.True(await cmd.ExecuteNonQueryAsync() >= 1);
        }
        await EndMembershipAsync("marco.rossi@example.org");
        await Expect(marco.GetByRole(AriaRole.Heading, new() { Name = "Circle not available" })).ToBeVisibleAsync(new() { Timeout = 5_000 });
        await Expect(marco.Locator(".mc-room")).ToHaveCountAsync(0);

        // The same for the facilitator, and had she pressed in the moment before her page heard of it, the refusal would
        // have shown at once too (RoomPage.SendAsync renders it).
        await EndMembershipAsync("helen.carter@example.org");
        await Expect(helen.GetByRole(AriaRole.Heading, new() { Name = "Circle not available" })).ToBeVisibleAsync(new() { Timeout = 5_000 });
        await Expect(helen.Locator(".mc-room")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_press_on_a_page_that_has_not_heard_of_the_last_change_is_refused_with_the_reason_and_changes_nothing()
    {
        var (helen, room) = await HelenRunsASessionAsync();

        // Helen has the room open in a second tab whose connection lags: what the server sends it is held back (as on a
        // slow network), what it sends goes straight through.
        var held = new List<IWebSocketFrame>();
        var holding = false;
        IWebSocketRoute? toPage = null;
        var lagging = await helen.Context.NewPageAsync();
        lagging.SetDefaultTimeout(15_000);
        await lagging.RouteWebSocketAsync(new Regex("/_blazor"), ws =>
        {
            toPage = ws;
            var server = ws.ConnectToServer();
            ws.OnMessage(frame => Forward(server, frame));
            // Under the lock, so a frame arriving while the held ones are let through cannot overtake them.
            server.OnMessage(frame =>
            {
                lock (held)
                {
                    if (holding) held.Add(frame);
                    else Forward(ws, frame);
                }
            });
        });
        await VisitAsync(lagging, room);
        await lagging.GetByRole(AriaRole.Button, new() { Name = "I am ready" }).ClickAsync();
        await Expect(lagging.GetByRole(AriaRole.Button, new() { Name = "Pause" })).ToBeVisibleAsync();
        var pauses = await CountEventsAsync("paused");

        lock (held) holding = true;
        await helen.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(helen.Locator(".mc-status")).ToHaveTextAsync("Paused");
        await Expect(lagging.Locator(".mc-status")).ToHaveTextAsync("Live");   // it has not heard yet
        Assert.Equal(pauses + 1, await CountEventsAsync("paused"));

        // She presses Pause in the lagging tab. The server refuses it against the room as it is (already paused), and
        // neither resumes the session nor pauses it twice.
        // (The click goes out on the tab's WebSocket ahead of its acknowledgement of the held renders, so the server still
        // knows the button's old handler when the click arrives, whenever the held frames are let through.)
        await lagging.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        lock (held)
        {
            holding = false;
            foreach (var frame in held) Forward(toPage!, frame);
            held.Clear();
        }

        await Expect(lagging.GetByRole(AriaRole.Alert)).ToContainTextAsync("The session is already paused.");
        await Expect(lagging.Locator(".mc-status")).ToHaveTextAsync("Paused");
        await Expect(lagging.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToBeVisibleAsync();
        await AssertAccessibleAsync(lagging);
        await ScreenshotAsync(lagging, "room-stale-press-refused");
        await Expect(helen.Locator(".mc-status")).ToHaveTextAsync("Paused");
        Assert.Equal(pauses + 1, await CountEventsAsync("paused"));
        Assert.Equal(0, await CountEventsAsync("resumed"));

        static void Forward(IWebSocketRoute to, IWebSocketFrame frame)
        {
            if (frame.Binary is { } bytes) to.Send(bytes);
            else to.Send(frame.Text ?? "");
        }

        async Task<long> CountEventsAsync(string type)
        {
            await using var db = await OwnDatabaseAsync();
            await using var cmd = db.CreateCommand("""
                SELECT count(*) FROM mentor.room_event
                WHERE session_id = @session AND body->>'type' = @type
                """);
            cmd.Parameters.AddWithValue("session", long.Parse(RoomPath().Match(room).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("type", type);
            return (long)(await cmd.ExecuteScalarAsync())!;
        }
    }

    /// <summary>The facilitator signs in and starts a session now from the circle's Sessions tab; her page is in the room
    /// (before "I am ready"). Each page on the way is settled and checked.</summary>
    private async Task<(IPage Helen, string Room)> HelenStartsASessionNowAsync()
    {
        var helen = await NewPageAsync();
        await SignInAsync(helen, "helen.carter@example.org");
        await helen.GetByRole(AriaRole.Main).GetByRole(AriaRole.Link, new() { Name = Circle }).ClickAsync();
        await helen.WaitForURLAsync(CirclePath());
        await SettleAndCheckAsync(helen);
        await helen.GetByRole(AriaRole.Link, new() { Name = "Sessions" }).ClickAsync();
        await helen.WaitForURLAsync("**/sessions");
        await SettleAndCheckAsync(helen);
        await helen.GetByRole(AriaRole.Button, new() { Name = "Start a session now" }).ClickAsync();
        await helen.WaitForURLAsync(RoomPath());
        await SettleAndCheckAsync(helen);
        return (helen, new Uri(helen.Url).PathAndQuery);
    }

    /// <summary>As <see cref="HelenStartsASessionNowAsync"/>, then she is ready and starts the session: it is live.</summary>
    private async Task<(IPage Helen, string Room)> HelenRunsASessionAsync()
    {
        var (helen, room) = await HelenStartsASessionNowAsync();
        await helen.GetByRole(AriaRole.Button, new() { Name = "I am ready" }).ClickAsync();
        await helen.GetByRole(AriaRole.Button, new() { Name = "Start the session" }).ClickAsync();
        await Expect(helen.GetByRole(AriaRole.Button, new() { Name = "Pause" })).ToBeVisibleAsync();
        return (helen, room);
    }

    private async Task EnterAsync(IPage page, string room)
    {
        await VisitAsync(page, room);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Before we begin: our agreement (version 1)" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "I am ready" }).ClickAsync();
    }

    /// <summary>Who has the floor, as the given page shows it; null when nobody does.</summary>
    private static async Task<string?> SpeakerAsync(IPage page)
    {
        var name = page.Locator(".mc-speaker-name");
        if (await name.CountAsync() == 0) return null;
        var text = (await name.InnerTextAsync()).Trim();
        return text.EndsWith(" (you)", StringComparison.Ordinal) ? text[..^6] : text;
    }

    private static Regex CirclePath() => CirclePathRegex();
    private static Regex RoomPath() => RoomPathRegex();

    [GeneratedRegex(@"/circles/\d+$")]
    private static partial Regex CirclePathRegex();

    [GeneratedRegex(@"/circles/\d+/sessions/(\d+)/room$")]
    private static partial Regex RoomPathRegex();
}
