using System.Text.Json;
using MentorCircles.Core.Common;
using MentorCircles.Core.Scheduling;
using static MentorCircles.Tests.Scheduling.SlotFinderKit;

namespace MentorCircles.Tests.Scheduling;

public sealed class ProgramSchedulerTests
{
    private static readonly DateTimeOffset Now = Utc("2027-01-01T00:00:00Z");
    // Four Mondays in January 2027, far from any clock change.
    private static readonly DateOnly JanFrom = D("2027-01-04"), JanTo = D("2027-01-31");

    private static ScheduledCircle Circle(long id, string zone, long[] leads, long[] members, int? quorum = null, int length = 60) =>
        new(id, $"Circle {id}", zone, length, leads, members) { Quorum = quorum };

    private static ProgramScheduleInput Input(IEnumerable<ScheduledCircle> circles, IEnumerable<PersonAvailability> people, DateOnly from, DateOnly to,
        IEnumerable<BookedTime>? booked = null, IReadOnlyDictionary<long, int>? limits = null, IEnumerable<DateOnly>? blackouts = null) =>
        new(circles.ToList(), people.ToList(), booked?.ToList() ?? [], limits ?? new Dictionary<long, int>(), from, to, (blackouts ?? []).ToHashSet(), Now);

    private static CircleProposal Of(ProgramSchedule s, long circleId) => s.Circles.Single(c => c.CircleId == circleId);

    [Fact]
    public void A_person_in_three_circles_is_never_booked_twice_and_the_circle_that_does_not_fit_says_which_circles_are_in_the_way()
    {
        var people = new[] { 1L, 2, 3, 4 }.Select(id => Person(id, "Europe/London", W(DayOfWeek.Monday, "18:00", "20:00"))).ToList();
        var circles = new[] { Circle(10, "Europe/London", [], [1, 2], quorum: 2), Circle(11, "Europe/London", [], [1, 3], quorum: 2), Circle(12, "Europe/London", [], [1, 4], quorum: 2) };

        var schedule = ProgramScheduler.Schedule(Input(circles, people, JanFrom, JanTo));

        Assert.Equal(2, schedule.PlacedCount);
        Assert.Equal([T("18:00"), T("19:00")], schedule.Circles.Where(c => c.Placed).Select(c => c.LocalTime!.Value).Order());
        var left = Assert.Single(schedule.Circles, c => !c.Placed);
        Assert.Equal("No time where all 2 members are free that does not clash with circles Circle 10 and Circle 11.", left.Text);
        Invariants.Check(Input(circles, people, JanFrom, JanTo), schedule);
    }

    [Fact]
    public void Circles_in_zones_that_change_their_clocks_on_different_dates_are_compared_as_they_really_meet()
    {
        // 2027: New York moves its clocks on 14 March, London on 28 March. P lives in London.
        // Circle 1 (London) can only meet Mondays 17:00 London. Circle 2 (New York) can only meet Mondays 13:00 New York,
        // which is 18:00 London except in the two weeks between the changes, when it is 17:00 London: a clash with circle 1.
        var people = new[]
        {
            Person(1, "Europe/London", W(DayOfWeek.Monday, "17:00", "19:00")) with { Name = "P" },
            Person(2, "Europe/London", W(DayOfWeek.Monday, "17:00", "18:00")),
            Person(3, "America/New_York", W(DayOfWeek.Monday, "12:00", "14:00")),
        };
        var circles = new[] { Circle(1, "Europe/London", [], [1, 2], quorum: 2), Circle(2, "America/New_York", [], [1, 3], quorum: 2) };
        var input = Input(circles, people, D("2027-03-01"), D("2027-04-11"));

        var schedule = ProgramScheduler.Schedule(input);

        var london = Of(schedule, 1);
        Assert.True(london.Placed);
        Assert.Equal((DayOfWeek.Monday, T("17:00")), (london.LocalDay!.Value, london.LocalTime!.Value));
        Assert.Equal(6, london.Sessions.Count);
        var newYork = Of(schedule, 2);
        Assert.False(newYork.Placed);
        Assert.Contains("does not clash with circle Circle 1", newYork.Text);
        Invariants.Check(input, schedule);

        // The same two circles outside those weeks (only April, both zones on summer time) both fit.
        var april = Input(circles, people, D("2027-03-29"), D("2027-04-25"));
        var both = ProgramScheduler.Schedule(april);
        Assert.Equal(2, both.PlacedCount);
        Assert.Equal(T("13:00"), Of(both, 2).LocalTime);
        Invariants.Check(april, both);
    }

    [Fact]
    public void A_lead_never_leads_more_sessions_a_week_than_their_limit()
    {
        var people = new[]
        {
            Person(1, "Europe/London", EveryDay("09:00", "17:00")) with { Name = "Dr. Lee" },
            Person(2, "Europe/London", EveryDay("09:00", "17:00")),
            Person(3, "Europe/London", EveryDay("09:00", "17:00")),
        };
        var circles = new[] { Circle(1, "Europe/London", [1], [2]), Circle(2, "Europe/London", [1], [3]) };

        var one = ProgramScheduler.Schedule(Input(circles, people, JanFrom, JanTo, limits: new Dictionary<long, int> { [1] = 1 }));
        Assert.Equal(1, one.PlacedCount);
        Assert.Contains("keeps Dr. Lee within 1 session a week", Assert.Single(one.Circles, c => !c.Placed).Text);

        var two = ProgramScheduler.Schedule(Input(circles, people, JanFrom, JanTo, limits: new Dictionary<long, int> { [1] = 2 }));
        Assert.Equal(2, two.PlacedCount);
        Invariants.Check(Input(circles, people, JanFrom, JanTo, limits: new Dictionary<long, int> { [1] = 2 }), two);
    }

    [Fact]
    public void A_session_the_lead_already_leads_counts_against_their_limit()
    {
        var people = new[] { Person(1, "Europe/London", EveryDay("09:00", "17:00")) with { Name = "Dr. Lee" }, Person(2, "Europe/London", EveryDay("09:00", "17:00")) };
        // Led on Tuesday 19 January, in the third week of the term, in another program's circle.
        var booked = new[] { new BookedTime(1, Utc("2027-01-19T18:00:00Z"), Utc("2027-01-19T19:00:00Z"), "Other circle", Leading: true) };
        var input = Input([Circle(1, "Europe/London", [1], [2])], people, JanFrom, JanTo, booked, new Dictionary<long, int> { [1] = 1 });

        var schedule = ProgramScheduler.Schedule(input);

        Assert.False(Assert.Single(schedule.Circles).Placed);
        Assert.Contains("within 1 session a week", schedule.Circles[0].Text);
    }

    [Fact]
    public void The_quorum_is_met_at_every_session_and_who_cannot_come_is_listed()
    {
        var people = new[]
        {
            Required(1, "Europe/London", W(DayOfWeek.Wednesday, "10:00", "12:00")),
            Person(2, "Europe/London", W(DayOfWeek.Wednesday, "10:00", "12:00")),
            Person(3, "Europe/London", W(DayOfWeek.Wednesday, "10:00", "12:00")),
            Person(4, "Europe/London", W(DayOfWeek.Wednesday, "10:00", "12:00")),
            Person(5, "Europe/London", W(DayOfWeek.Thursday, "10:00", "12:00")),
        };
        var quorum3 = Input([Circle(1, "Europe/London", [1], [2, 3, 4, 5], quorum: 3)], people, JanFrom, JanTo);

        var placed = Assert.Single(ProgramScheduler.Schedule(quorum3).Circles);

        Assert.True(placed.Placed);
        Assert.Equal((DayOfWeek.Wednesday, T("10:00")), (placed.LocalDay!.Value, placed.LocalTime!.Value));
        Assert.All(placed.Sessions, s => Assert.Equal([5L], s.CannotCome));
        Assert.Equal([new ProposedAbsence(5, "P5", 4, 4)], placed.CannotCome);
        Assert.Equal("4 of 5 free every week; P5 misses 4 of 4. Inside everyone's waking hours.", placed.Text);

        var all = Input([Circle(1, "Europe/London", [1], [2, 3, 4, 5], quorum: 4)], people, JanFrom, JanTo);
        var notPlaced = Assert.Single(ProgramScheduler.Schedule(all).Circles);
        Assert.False(notPlaced.Placed);
        Assert.Equal("No weekly time where R1 and all 4 members are free.", notPlaced.Text);
    }

    [Fact]
    public void A_circle_whose_lead_is_never_free_is_reported_with_the_reason()
    {
        var people = new[]
        {
            Required(1, "Europe/London") with { Name = "Dr. X" },
            Person(2, "Europe/London", EveryDay("09:00", "17:00")),
            Person(3, "Europe/London", EveryDay("09:00", "17:00")),
            Person(4, "Europe/London", EveryDay("09:00", "17:00")),
        };
        var schedule = ProgramScheduler.Schedule(Input([Circle(7, "Europe/London", [1], [2, 3, 4])], people, JanFrom, JanTo));

        var c = Assert.Single(schedule.Circles);
        Assert.False(c.Placed);
        Assert.Empty(c.Sessions);
        Assert.Equal("No weekly time where Dr. X and 2 of 3 members are free.", c.Text);
    }

    [Fact]
    public void Blackout_dates_are_skipped_even_when_the_lead_is_away_on_them()
    {
        var lead = Required(1, "Europe/London", W(DayOfWeek.Monday, "18:00", "19:00")) with { Away = [new AwayPeriod(D("2027-01-09"), D("2027-01-12"))] };
        var people = new[] { lead, Person(2, "Europe/London", W(DayOfWeek.Monday, "18:00", "19:00")) };
        var input = Input([Circle(1, "Europe/London", [1], [2])], people, JanFrom, JanTo, blackouts: [D("2027-01-11")]);

        var c = Assert.Single(ProgramScheduler.Schedule(input).Circles);

        Assert.True(c.Placed);
        Assert.Equal([D("2027-01-04"), D("2027-01-18"), D("2027-01-25")], c.Sessions.Select(s => s.LocalDate));
        Invariants.Check(input, ProgramScheduler.Schedule(input));
    }

    [Fact]
    public void A_circle_already_placed_moves_to_its_other_time_when_that_frees_the_only_time_of_another()
    {
        // Z can only meet at 17:00 and X at 18:00 or 19:30; Y needs P (in X) and Q (in Z) and can only meet 17:00-19:00.
        // Placed in order Z, X, Y, X first takes 18:00, the only time left for Y: the repair moves X to 19:30.
        var people = new[]
        {
            Person(1, "Europe/London", W(DayOfWeek.Monday, "17:00", "21:00")) with { Name = "P" },
            Person(2, "Europe/London", W(DayOfWeek.Monday, "17:00", "21:00")) with { Name = "Q" },
            Person(3, "Europe/London", W(DayOfWeek.Monday, "17:00", "18:00")),
            Person(4, "Europe/London", W(DayOfWeek.Monday, "18:00", "19:00"), W(DayOfWeek.Monday, "19:30", "20:30")),
            Person(5, "Europe/London", W(DayOfWeek.Monday, "17:00", "19:00")),
        };
        var circles = new[]
        {
            new ScheduledCircle(1, "Z", "Europe/London", 60, [], [2, 3]) { Quorum = 2 },
            new ScheduledCircle(2, "X", "Europe/London", 60, [], [1, 4]) { Quorum = 2 },
            new ScheduledCircle(3, "Y", "Europe/London", 60, [], [1, 2, 5]) { Quorum = 3 },
        };
        var input = Input(circles, people, JanFrom, JanTo);

        var schedule = ProgramScheduler.Schedule(input);

        Assert.Equal([T("17:00"), T("19:30"), T("18:00")], schedule.Circles.Select(c => c.LocalTime!.Value));
        Invariants.Check(input, schedule);
    }

    [Fact]
    public void Progress_counts_up_to_every_circle()
    {
        var people = new[] { Person(1, "Europe/London", EveryDay("09:00", "17:00")), Person(2, "Europe/London", EveryDay("09:00", "17:00")) };
        var circles = Enumerable.Range(1, 5).Select(i => Circle(i, "Europe/London", [], [1, 2])).ToList();
        var seen = new List<(int Done, int Total)>();

        ProgramScheduler.Schedule(Input(circles, people, JanFrom, JanTo), (d, t) => seen.Add((d, t)));

        Assert.All(seen, s => Assert.Equal(5, s.Total));
        Assert.Equal(seen.Select(s => s.Done).Order(), seen.Select(s => s.Done));
        Assert.Equal(5, seen[^1].Done);
    }

    [Fact]
    public void A_backwards_or_too_long_term_is_refused()
    {
        var backwards = Assert.Throws<InvalidInputException>(() => ProgramScheduler.Schedule(Input([], [], JanTo, JanFrom)));
        Assert.Equal("The term ends (2027-01-04) before it starts (2027-01-31).", backwards.Message);
        var tooLong = Assert.Throws<InvalidInputException>(() => ProgramScheduler.Schedule(Input([], [], JanFrom, JanFrom.AddDays(200))));
        Assert.Contains("at most 25 weeks", tooLong.Message);
    }

    [Fact]
    public void The_same_program_gives_the_same_proposals()
    {
        var input = RandomProgram.Make(new Random(7), 40, 14);
        var first = JsonSerializer.Serialize(ProgramScheduler.Schedule(input));
        var second = JsonSerializer.Serialize(ProgramScheduler.Schedule(input));
        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    public void Random_programs_keep_every_rule(int seed)
    {
        var input = RandomProgram.Make(new Random(seed), 40, 14);

        var schedule = ProgramScheduler.Schedule(input);

        Assert.Equal(input.Circles.Select(c => c.CircleId), schedule.Circles.Select(c => c.CircleId));
        Assert.NotEqual(0, schedule.PlacedCount);
        Assert.All(schedule.Circles.Where(c => !c.Placed), c => Assert.StartsWith("No ", c.Text));
        Invariants.Check(input, schedule);
    }
}
