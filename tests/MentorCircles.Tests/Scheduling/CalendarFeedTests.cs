using Ical.Net.CalendarComponents;
using MentorCircles.Core.Common;
using MentorCircles.Core.Scheduling;
using Calendar = Ical.Net.Calendar;

namespace MentorCircles.Tests.Scheduling;

public sealed class CalendarFeedTests
{
    private static readonly TimeSpan newYork = TimeSpan.FromHours(-5);

    private static FeedSession Session(long id = 42, bool cancelled = false) => new(
        id, 3, new DateTimeOffset(2027, 3, 1, 18, 0, 0, newYork), new DateTimeOffset(2027, 3, 1, 19, 30, 0, newYork),
        "Circle: goals, progress; and \"what next\"\nbring notes", "Room 3, Main St", "https://meet.example.org/c/42?a=1&b=2", cancelled,
        new DateTimeOffset(2027, 2, 1, 12, 0, 0, TimeSpan.Zero));

    private static Calendar Parse(string text) => Calendar.Load(text) ?? throw new InvalidOperationException("no calendar");

    private static void AssertSameSession(FeedSession s, CalendarEvent e, string status)
    {
        Assert.Equal($"session-{s.SessionId}@mentorcircles", e.Uid);
        Assert.Equal(s.Sequence, e.Sequence);
        Assert.True(e.DtStart!.IsUtc && e.DtEnd!.IsUtc);
        Assert.Equal(s.StartUtc.UtcDateTime, e.DtStart.AsUtc);
        Assert.Equal(s.EndUtc.UtcDateTime, e.DtEnd.AsUtc);
        Assert.Equal(s.Summary, e.Summary);
        Assert.Equal(s.Location, e.Location);
        Assert.Equal(new Uri(s.Url!), e.Url);
        Assert.Equal(status, e.Status);
        Assert.Equal(s.UpdatedUtc.UtcDateTime, e.DtStamp!.AsUtc);
        Assert.Equal(s.UpdatedUtc.UtcDateTime, e.LastModified!.AsUtc);
    }

    [Fact]
    public void Build_WritesEveryFieldOfEverySession_SoThatACalendarLibraryReadsThemBack()
    {
        var sessions = new[] { Session(43, cancelled: true) with { StartUtc = Session().StartUtc.AddDays(7), EndUtc = Session().EndUtc.AddDays(7) }, Session(42) };

        var calendar = Parse(CalendarFeed.Build("Priya's circles", sessions));

        Assert.Equal("PUBLISH", calendar.Method);
        Assert.Equal(CalendarFeed.ProductId, calendar.ProductId);
        Assert.Equal("Priya's circles", calendar.Properties.Get<string>("X-WR-CALNAME"));
        Assert.Equal(2, calendar.Events.Count);
        var byUid = calendar.Events.ToDictionary(e => e.Uid!);
        AssertSameSession(sessions[1], byUid["session-42@mentorcircles"], "CONFIRMED");
        AssertSameSession(sessions[0], byUid["session-43@mentorcircles"], "CANCELLED");
    }

    [Fact]
    public void Build_WritesTimesGivenWithAnOffset_InUtc()
    {
        var text = CalendarFeed.Build("x", [Session()]);

        Assert.Contains("\r\nDTSTART:20270301T230000Z\r\n", text);
        Assert.Contains("\r\nDTEND:20270302T003000Z\r\n", text);
        Assert.DoesNotContain("TZID", text);
        Assert.DoesNotContain("VTIMEZONE", text);
    }

    [Fact]
    public void Build_ListsSessionsByStart_IsTheSameTextEveryTime_AndUsesCrLfLinesOfAtMost75Octets()
    {
        var later = Session(7) with { StartUtc = Session().StartUtc.AddDays(1), EndUtc = Session().EndUtc.AddDays(1), Summary = new string('é', 120) };
        var text = CalendarFeed.Build("Feed", [later, Session(9)]);

        Assert.Equal(text, CalendarFeed.Build("Feed", [later, Session(9)]));
        Assert.True(text.IndexOf("session-9@", StringComparison.Ordinal) < text.IndexOf("session-7@", StringComparison.Ordinal));
        Assert.DoesNotContain("\n", text.Replace("\r\n", ""));
        Assert.All(text.Split("\r\n"), line => Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) <= 75, line));
        Assert.Equal(new string('é', 120), Parse(text).Events.Single(e => e.Uid == "session-7@mentorcircles").Summary);
    }

    [Fact]
    public void Build_WithNoSessions_IsAnEmptyCalendar_AndABlankNameBecomesTheAppsName()
    {
        var calendar = Parse(CalendarFeed.Build("  ", []));
        Assert.Empty(calendar.Events);
        Assert.Equal("MentorCircles", calendar.Properties.Get<string>("X-WR-CALNAME"));
    }

    [Fact]
    public void Build_LeavesOutAnEmptyPlaceAndLink()
    {
        var e = Parse(CalendarFeed.Build("x", [Session() with { Location = " ", Url = null }])).Events.Single();
        Assert.Null(e.Location);
        Assert.Null(e.Url);
    }

    [Fact]
    public void Build_RefusesSessionsThatEndBeforeTheyStart_HaveNoTitle_OrLinkToSomethingOtherThanTheWeb()
    {
        var s = Session();
        var thrown = Assert.Throws<InvalidInputException>(() => CalendarFeed.Build("x", [
            s with { EndUtc = s.StartUtc }, s with { SessionId = 5, Summary = " " }, s with { SessionId = 6, Url = "javascript:alert(1)" }, s with { SessionId = 8, Sequence = -1 }]));
        Assert.Equal(["Session 42 ends before it starts.", "Session 5 has no title.",
            "Session 6 has the link \"javascript:alert(1)\", which is not a web address (https://…).", "Session 8 has a negative sequence number (-1)."],
            thrown.Errors.Select(e => e.Message));
    }

    [Fact]
    public void Invitation_IsARequestFromTheOrganiserToTheAttendee_AskingForAReply()
    {
        var s = Session();
        var calendar = Parse(CalendarFeed.Invitation(s, "coordinator@example.org", "priya@example.org", cancel: false));

        Assert.Equal("REQUEST", calendar.Method);
        var e = calendar.Events.Single();
        AssertSameSession(s, e, "CONFIRMED");
        Assert.Equal(new Uri("mailto:coordinator@example.org"), e.Organizer!.Value);
        var attendee = Assert.Single(e.Attendees);
        Assert.Equal(new Uri("mailto:priya@example.org"), attendee.Value);
        Assert.Equal(("REQ-PARTICIPANT", "NEEDS-ACTION", true), (attendee.Role, attendee.ParticipationStatus, attendee.Rsvp));
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Invitation_ForACancellation_IsACancelWithTheSameUid(bool cancel, bool sessionCancelled)
    {
        var s = Session(cancelled: sessionCancelled) with { Sequence = 4 };
        var text = CalendarFeed.Invitation(s, "coordinator@example.org", "priya@example.org", cancel);
        var calendar = Parse(text);

        Assert.Equal("CANCEL", calendar.Method);
        AssertSameSession(s, calendar.Events.Single(), "CANCELLED");
        Assert.False(calendar.Events.Single().Attendees.Single().Rsvp);
    }

    [Theory]
    [InlineData("not-an-address", "priya@example.org", "OrganizerEmail")]
    [InlineData("coordinator@example.org", "Priya <priya@example.org>", "AttendeeEmail")]
    [InlineData("coordinator@example.org", "", "AttendeeEmail")]
    public void Invitation_RefusesSomethingThatIsNotAnEmailAddress(string organizer, string attendee, string field)
    {
        var thrown = Assert.Throws<InvalidInputException>(() => CalendarFeed.Invitation(Session(), organizer, attendee, cancel: false));
        Assert.Equal(field, Assert.Single(thrown.Errors).Field);
    }
}
