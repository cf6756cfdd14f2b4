using MentorCircles.Core.Conflicts;
using MentorCircles.Core.Scheduling;

namespace MentorCircles.Tests.Conflicts;

public sealed class ConflictRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero); // a Monday
    private static DateTimeOffset At(int day, int hour, int minute = 0) => new(2026, 3, day, hour, minute, 0, TimeSpan.Zero);

    private static ConflictSession Session(long id, long circle, DateTimeOffset start, int minutes = 60, long[]? leads = null, long[]? members = null,
        string status = "scheduled", Dictionary<long, string>? rsvps = null, IReadOnlySet<long>? accepted = null, string zone = "Europe/London") =>
        new(id, circle, zone, start, start.AddMinutes(minutes), status, leads ?? [], members ?? [], rsvps ?? [], accepted);

    private static PersonAvailability Weekdays(long id, int from, int to, string zone = "Europe/London", AwayPeriod[]? away = null, BusyBlock[]? busy = null) =>
        new(id, zone, false,
            [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
                .Select(d => new WeeklyWindow(d, new TimeOnly(from, 0), new TimeOnly(to, 0)))],
            away ?? [], busy ?? []);

    private static IReadOnlyList<DetectedConflict> Detect(ConflictSession[] sessions, PersonAvailability[]? people = null, DateOnly[]? blackout = null, DateTimeOffset? now = null) =>
        ConflictRules.Detect(new(sessions, (people ?? []).ToDictionary(p => p.PersonId), (blackout ?? []).ToHashSet(), now ?? Now));

    private static IEnumerable<string> Keys(IReadOnlyList<DetectedConflict> c, string kind) => c.Where(x => x.Kind == kind).Select(x => x.Key);

    [Fact]
    public void DoubleBooked_PersonInTwoOverlappingSessionsOfDifferentCircles()
    {
        var found = Detect([Session(5, 1, At(3, 10), leads: [1], members: [7, 8]), Session(4, 2, At(3, 10, 30), leads: [2], members: [7, 9])]);
        var c = Assert.Single(found, x => x.Kind == ConflictKinds.DoubleBooked);
        Assert.Equal("double_booked:p7:s4:s5", c.Key);
        Assert.Equal([7L], c.PersonIds);
        Assert.Equal([4L, 5L], c.SessionIds);
    }

    [Fact]
    public void DoubleBooked_TouchingSessionsDoNotOverlap()
    {
        var found = Detect([Session(1, 1, At(3, 10), members: [7, 8]), Session(2, 2, At(3, 11), members: [7, 9])]);
        Assert.Empty(Keys(found, ConflictKinds.DoubleBooked));
    }

    [Fact]
    public void DoubleBooked_CancelledCompletedAndPastSessionsAreIgnored()
    {
        Assert.Empty(Keys(Detect([Session(1, 1, At(3, 10), members: [7]), Session(2, 2, At(3, 10), members: [7], status: "cancelled")]), ConflictKinds.DoubleBooked));
        Assert.Empty(Keys(Detect([Session(1, 1, At(3, 10), members: [7]), Session(2, 2, At(3, 10), members: [7], status: "completed")]), ConflictKinds.DoubleBooked));
        Assert.Empty(Keys(Detect([Session(1, 1, At(1, 10), members: [7]), Session(2, 2, At(1, 10), members: [7])]), ConflictKinds.DoubleBooked));
    }

    [Fact]
    public void DoubleBooked_PersonWhoSaidNoToOneIsNotDoubleBooked()
    {
        var found = Detect([Session(1, 1, At(3, 10), members: [7]), Session(2, 2, At(3, 10), members: [7], rsvps: new() { [7] = "no" })]);
        Assert.Empty(Keys(found, ConflictKinds.DoubleBooked));
    }

    [Fact]
    public void DoubleBooked_ThreeOverlappingGiveEveryPair()
    {
        // s2 (10:30–11:30) and s3 (11:30–12:30) only touch; both overlap s1 (10:00–12:00).
        var found = Detect([Session(1, 1, At(3, 10), 120, members: [7]), Session(2, 2, At(3, 10, 30), members: [7]), Session(3, 3, At(3, 11, 30), members: [7])]);
        Assert.Equal(["double_booked:p7:s1:s2", "double_booked:p7:s1:s3"], Keys(found, ConflictKinds.DoubleBooked).Order());
    }

    [Fact]
    public void OutsideAvailability_SessionPastTheEndOfAWindow()
    {
        // 17:30–18:30 London (UTC in winter) against a 09:00–18:00 window.
        var found = Detect([Session(1, 1, At(3, 17, 30), leads: [1], members: [7])], [Weekdays(7, 9, 18), Weekdays(1, 9, 20)]);
        Assert.Equal(["outside_availability:p7:s1"], Keys(found, ConflictKinds.OutsideAvailability));
    }

    [Fact]
    public void OutsideAvailability_PeopleWithoutWindowsAreNotJudged()
    {
        var found = Detect([Session(1, 1, At(3, 3), members: [7])], [new PersonAvailability(7, "Europe/London", false, [], [], [])]);
        Assert.Empty(Keys(found, ConflictKinds.OutsideAvailability));
    }

    [Fact]
    public void OutsideAvailability_AwayDatesAndBusyBlocksCount()
    {
        var away = Weekdays(7, 9, 18, away: [new AwayPeriod(new DateOnly(2026, 3, 3), new DateOnly(2026, 3, 3))]);
        Assert.Single(Keys(Detect([Session(1, 1, At(3, 10), members: [7])], [away]), ConflictKinds.OutsideAvailability));
        var busy = Weekdays(7, 9, 18, busy: [new BusyBlock(At(3, 10, 45), At(3, 11, 15))]);
        Assert.Single(Keys(Detect([Session(1, 1, At(3, 10), members: [7])], [busy]), ConflictKinds.OutsideAvailability));
        var busyAfter = Weekdays(7, 9, 18, busy: [new BusyBlock(At(3, 11), At(3, 12))]);
        Assert.Empty(Keys(Detect([Session(1, 1, At(3, 10), members: [7])], [busyAfter]), ConflictKinds.OutsideAvailability));
    }

    [Fact]
    public void OutsideAvailability_FollowsTheWallClockAcrossDaylightSaving()
    {
        // London moves to BST on 29 March 2026: 18:00–19:00 local is 18:00 UTC before and 17:00 UTC after.
        var evening = Weekdays(7, 18, 19);
        var before = Session(1, 1, new DateTimeOffset(2026, 3, 27, 18, 0, 0, TimeSpan.Zero), members: [7]);
        var afterSameUtc = Session(2, 2, new DateTimeOffset(2026, 3, 30, 18, 0, 0, TimeSpan.Zero), members: [7]);
        var afterLocal = Session(3, 3, new DateTimeOffset(2026, 3, 30, 17, 0, 0, TimeSpan.Zero), members: [7]);
        Assert.Empty(Keys(Detect([before], [evening]), ConflictKinds.OutsideAvailability));
        Assert.Single(Keys(Detect([afterSameUtc], [evening]), ConflictKinds.OutsideAvailability));
        Assert.Empty(Keys(Detect([afterLocal], [evening]), ConflictKinds.OutsideAvailability));
    }

    [Fact]
    public void NoLead_WhenNoLeadIsFreeOrThereIsNone()
    {
        Assert.Equal(["no_lead_available:s1"], Keys(Detect([Session(1, 1, At(3, 20), leads: [1, 2], members: [7])], [Weekdays(1, 9, 18), Weekdays(2, 9, 18)]), ConflictKinds.NoLeadAvailable));
        Assert.Empty(Keys(Detect([Session(1, 1, At(3, 20), leads: [1, 2], members: [7])], [Weekdays(1, 9, 18), Weekdays(2, 9, 22)]), ConflictKinds.NoLeadAvailable));
        Assert.Single(Keys(Detect([Session(1, 1, At(3, 10), members: [7])]), ConflictKinds.NoLeadAvailable));
        Assert.Single(Keys(Detect([Session(1, 1, At(3, 10), leads: [1], rsvps: new() { [1] = "no" })]), ConflictKinds.NoLeadAvailable));
    }

    [Fact]
    public void Quorum_DefaultIsAllButOneOfTheNonLeads()
    {
        var members = new long[] { 7, 8, 9, 10 };
        var oneNo = Session(1, 1, At(3, 10), leads: [1], members: members, rsvps: new() { [7] = "no" });
        Assert.Empty(Keys(Detect([oneNo]), ConflictKinds.QuorumAtRisk));
        var twoOut = Session(1, 1, At(3, 10), leads: [1], members: members, rsvps: new() { [7] = "no", [8] = "maybe" });
        Assert.Empty(Keys(Detect([twoOut]), ConflictKinds.QuorumAtRisk));
        var found = Detect([twoOut], [Weekdays(8, 12, 18)]);
        var c = Assert.Single(found, x => x.Kind == ConflictKinds.QuorumAtRisk);
        Assert.Equal([7L, 8L], c.PersonIds);
    }

    [Fact]
    public void Quorum_CircleQuorumOverridesTheDefault()
    {
        var s = Session(1, 1, At(3, 10), leads: [1], members: [7, 8, 9, 10], rsvps: new() { [7] = "no", [8] = "no" }) with { Quorum = 2 };
        Assert.Empty(Keys(Detect([s]), ConflictKinds.QuorumAtRisk));
        Assert.Single(Keys(Detect([s with { Quorum = 3 }]), ConflictKinds.QuorumAtRisk));
        Assert.Equal(0, ConflictRules.QuorumFor(null, 0));
        Assert.Equal(1, ConflictRules.QuorumFor(null, 2));
    }

    [Fact]
    public void Agreement_OnlyFromADayBeforeTheSession()
    {
        var s = Session(1, 1, At(3, 10), leads: [1], members: [7], accepted: new HashSet<long> { 1 });
        Assert.Empty(Keys(Detect([s], now: At(2, 9, 59)), ConflictKinds.AgreementNotAccepted));
        Assert.Equal(["agreement_not_accepted:p7:s1"], Keys(Detect([s], now: At(2, 10)), ConflictKinds.AgreementNotAccepted));
        Assert.Empty(Keys(Detect([s with { AcceptedAgreement = null }], now: At(3, 9)), ConflictKinds.AgreementNotAccepted));
    }

    [Fact]
    public void Blackout_IsTheLocalDateInTheCircleZone()
    {
        // 11:30 UTC on 3 March is already 4 March in Pacific/Chatham (UTC+13:45).
        var s = Session(1, 1, At(3, 11, 30), leads: [1], zone: "Pacific/Chatham");
        Assert.Equal(["blackout_date:s1"], Keys(Detect([s], blackout: [new DateOnly(2026, 3, 4)]), ConflictKinds.BlackoutDate));
        Assert.Empty(Keys(Detect([s], blackout: [new DateOnly(2026, 3, 3)]), ConflictKinds.BlackoutDate));
        Assert.Single(Keys(Detect([s with { CircleTimeZoneId = "Europe/London" }], blackout: [new DateOnly(2026, 3, 3)]), ConflictKinds.BlackoutDate));
    }

    [Fact]
    public void Detect_IsStableAcrossRuns()
    {
        ConflictSession[] sessions = [Session(1, 1, At(3, 10), members: [7, 8]), Session(2, 2, At(3, 10), members: [7, 8])];
        Assert.Equal(Detect(sessions).Select(c => c.Key), Detect(sessions.Reverse().ToArray()).Select(c => c.Key));
    }

    [Fact]
    public void Suggest_OffersExcuseMoveAndCancelForAMembersDoubleBooking()
    {
        ConflictSession[] sessions = [Session(1, 1, At(3, 10), leads: [1], members: [7, 8]), Session(2, 2, At(3, 10), leads: [2], members: [7, 9])];
        var input = new ConflictInput(sessions, new Dictionary<long, PersonAvailability> { [7] = Weekdays(7, 9, 18) }, new HashSet<DateOnly>(), Now);
        var conflict = Assert.Single(ConflictRules.Detect(input), c => c.Kind == ConflictKinds.DoubleBooked);
        var options = ConflictRules.Suggest(conflict, input);

        Assert.Contains(options, o => o.Kind == ResolutionKind.Excuse && o.PersonId == 7);
        Assert.Contains(options, o => o.Kind == ResolutionKind.Cancel && o.SessionId == 1);
        var move = Assert.Single(options, o => o.Kind == ResolutionKind.Move);
        // The move must be free for person 7 (inside the window, clear of session 2) and must not recreate the clash.
        Assert.True(move.NewStart > Now);
        Assert.True(move.NewEnd <= At(3, 10) || move.NewStart >= At(3, 11));
        var moved = sessions.Select(s => s.Id == 1 ? s with { Start = move.NewStart!.Value, End = move.NewEnd!.Value } : s).ToList();
        Assert.Empty(ConflictRules.Detect(input with { Sessions = moved }));
    }

    [Fact]
    public void Suggest_HandsALeadsSessionToAFreeCoFacilitator()
    {
        ConflictSession[] sessions = [Session(1, 1, At(3, 10), leads: [1, 3], members: [7]), Session(2, 2, At(3, 10), leads: [1], members: [8])];
        var input = new ConflictInput(sessions, new Dictionary<long, PersonAvailability>(), new HashSet<DateOnly>(), Now);
        var conflict = Assert.Single(ConflictRules.Detect(input), c => c.Kind == ConflictKinds.DoubleBooked);
        var handOver = Assert.Single(ConflictRules.Suggest(conflict, input), o => o.Kind == ResolutionKind.HandOver);
        Assert.Equal(3, handOver.PersonId);
        Assert.Equal(1, handOver.SessionId);
    }
}
