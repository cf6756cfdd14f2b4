using MentorCircles.Core.Scheduling;
using static MentorCircles.Tests.Scheduling.SlotFinderKit;

namespace MentorCircles.Tests.Scheduling;

public sealed class SlotFinderTests
{
    // 2027-01-04 is a Monday; in January London is on UTC, so local times read as UTC.
    private static SlotRequest TwoWeeksInJanuary(int minutes = 60) =>
        new(minutes, D("2027-01-04"), D("2027-01-17"), SlotCadence.Weekly, "Europe/London");

    [Fact]
    public void A_required_person_who_is_busy_once_rules_the_slot_out_for_every_week()
    {
        var facilitator = Required(1, "Europe/London", W(DayOfWeek.Tuesday, "10:00", "11:00"), W(DayOfWeek.Wednesday, "10:00", "11:00")) with
        {
            Busy = [new BusyBlock(Utc("2027-01-12T10:30:00Z"), Utc("2027-01-12T10:45:00Z"))],
        };
        var member = Person(2, "Europe/London", EveryDay("09:00", "17:00"));

        var found = SlotFinder.Find(TwoWeeksInJanuary(), [facilitator, member]);

        var only = Assert.Single(found);
        Assert.Equal(DayOfWeek.Wednesday, only.LocalDay);
        Assert.Equal(T("10:00"), only.LocalTime);
        Assert.Equal([Utc("2027-01-06T10:00:00Z"), Utc("2027-01-13T10:00:00Z")], only.Occurrences.Select(o => o.StartUtc));
    }

    [Fact]
    public void Quorum_defaults_to_all_but_one_of_the_people_who_are_not_required()
    {
        // Monday 10:00: one of four members is away; Tuesday 10:00: two are.
        var people = new[]
        {
            Required(1, "Europe/London", W(DayOfWeek.Monday, "10:00", "11:00"), W(DayOfWeek.Tuesday, "10:00", "11:00")),
            Person(2, "Europe/London", W(DayOfWeek.Monday, "10:00", "11:00"), W(DayOfWeek.Tuesday, "10:00", "11:00")),
            Person(3, "Europe/London", W(DayOfWeek.Monday, "10:00", "11:00"), W(DayOfWeek.Tuesday, "10:00", "11:00")),
            Person(4, "Europe/London", W(DayOfWeek.Monday, "10:00", "11:00")),
            Person(5, "Europe/London", W(DayOfWeek.Wednesday, "10:00", "11:00")),
        };

        var byDefault = SlotFinder.Find(TwoWeeksInJanuary(), people);
        var quorumTwo = SlotFinder.Find(TwoWeeksInJanuary() with { Quorum = 2 }, people);
        var quorumFour = SlotFinder.Find(TwoWeeksInJanuary() with { Quorum = 4 }, people);

        Assert.Equal([DayOfWeek.Monday], byDefault.Select(c => c.LocalDay));
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday], quorumTwo.Select(c => c.LocalDay));
        Assert.Empty(quorumFour);
    }

    [Fact]
    public void Each_occurrence_lists_who_cannot_come_and_the_candidate_totals_them()
    {
        var people = new[]
        {
            Required(1, "Europe/London", W(DayOfWeek.Monday, "18:00", "19:00")),
            Person(2, "Europe/London", W(DayOfWeek.Monday, "18:00", "19:00")) with { Name = "Tomás", Away = [new AwayPeriod(D("2027-01-11"), D("2027-01-11"))] },
            Person(3, "Europe/London", W(DayOfWeek.Monday, "18:00", "19:00")) with { Name = "Ana" },
            Person(4, "Europe/London", W(DayOfWeek.Monday, "18:00", "19:00")) with { Name = "Kofi" },
        };

        var found = Assert.Single(SlotFinder.Find(TwoWeeksInJanuary(), people));

        Assert.Equal(new long[][] { [], [2L] }, found.Occurrences.Select(o => o.CannotCome.ToArray()));
        var tomas = Assert.Single(found.CannotCome);
        Assert.Equal(new SlotAbsence(2, "Tomás", 1, 2), tomas);
        Assert.Equal(3, found.FreeCount);
        Assert.Equal(4, found.PeopleCount);
        Assert.Equal(1, found.MissedPersonOccurrences);
        Assert.Equal("3 of 4 free every week; Tomás misses 1 of 2 weeks. Inside everyone's waking hours (08:00–21:00).", found.Explanation);
    }

    [Fact]
    public void A_slot_everyone_can_make_says_so()
    {
        var people = Enumerable.Range(1, 8).Select(i => Person(i, "Europe/London", W(DayOfWeek.Thursday, "12:00", "13:00"))).ToArray();

        var found = Assert.Single(SlotFinder.Find(TwoWeeksInJanuary(), people));

        Assert.Equal("All 8 free every week. Inside everyone's waking hours (08:00–21:00).", found.Explanation);
        Assert.Equal(100, found.Score);
        Assert.Empty(found.CannotCome);
    }

    [Fact]
    public void Fewer_missed_person_occurrences_rank_first_then_the_sooner_slot()
    {
        var people = new[]
        {
            // Monday 09:00 misses one member once; Tuesday and Friday 09:00 suit everyone; Friday is later in the week.
            Person(1, "Europe/London", W(DayOfWeek.Monday, "09:00", "10:00"), W(DayOfWeek.Tuesday, "09:00", "10:00"), W(DayOfWeek.Friday, "09:00", "10:00")),
            Person(2, "Europe/London", W(DayOfWeek.Monday, "09:00", "10:00"), W(DayOfWeek.Tuesday, "09:00", "10:00"), W(DayOfWeek.Friday, "09:00", "10:00"))
                with { Busy = [new BusyBlock(Utc("2027-01-11T09:00:00Z"), Utc("2027-01-11T09:30:00Z"))] },
            Person(3, "Europe/London", W(DayOfWeek.Monday, "09:00", "10:00"), W(DayOfWeek.Tuesday, "09:00", "10:00"), W(DayOfWeek.Friday, "09:00", "10:00")),
        };

        var found = SlotFinder.Find(TwoWeeksInJanuary(), people);

        Assert.Equal([DayOfWeek.Tuesday, DayOfWeek.Friday, DayOfWeek.Monday], found.Select(c => c.LocalDay));
        Assert.Equal([0, 0, 1], found.Select(c => c.MissedPersonOccurrences));
        Assert.True(found[0].Score > found[2].Score);
    }

    [Fact]
    public void Times_inside_everyones_waking_hours_come_before_earlier_ones_that_are_not()
    {
        // In January London is UTC and New York UTC-5. Both are free 08:00-17:00 UTC on Mondays, but New York is
        // asleep (before 08:00 local) until 13:00 UTC.
        var people = new[]
        {
            Person(1, "Europe/London", W(DayOfWeek.Monday, "08:00", "17:00")),
            Person(2, "America/New_York", W(DayOfWeek.Monday, "03:00", "12:00")) with { Name = "Dana" },
        };

        var found = SlotFinder.Find(TwoWeeksInJanuary() with { MaxResults = 20 }, people);

        Assert.Equal(20, found.Count);
        var inside = found.TakeWhile(c => c.InsideWakingHours).ToList();
        Assert.Equal(13, inside.Count); // 13:00, 13:15 ... 16:00 UTC
        Assert.Equal(T("13:00"), found[0].LocalTime);
        Assert.Equal(T("16:00"), inside[^1].LocalTime);
        Assert.All(found.Skip(13), c => Assert.False(c.InsideWakingHours));
        Assert.Equal(T("08:00"), found[13].LocalTime);
        Assert.Equal("All 2 free every week. Outside waking hours (08:00–21:00) for 1 person in America/New_York.", found[13].Explanation);
        Assert.Equal(2, found[13].OutsideWakingPersonOccurrences);
    }

    [Fact]
    public void Nobody_missing_outranks_waking_hours()
    {
        // 07:00 suits both but is early for London; 12:00 is a waking hour but one member is busy one week.
        var people = new[]
        {
            Person(1, "Europe/London", W(DayOfWeek.Monday, "07:00", "08:00"), W(DayOfWeek.Monday, "12:00", "13:00")),
            Person(2, "Europe/London", W(DayOfWeek.Monday, "07:00", "08:00"), W(DayOfWeek.Monday, "12:00", "13:00"))
                with { Busy = [new BusyBlock(Utc("2027-01-04T12:00:00Z"), Utc("2027-01-04T13:00:00Z"))] },
        };

        var found = SlotFinder.Find(TwoWeeksInJanuary() with { Quorum = 1 }, people);

        Assert.Equal([T("07:00"), T("12:00")], found.Select(c => c.LocalTime));
        Assert.False(found[0].InsideWakingHours);
        Assert.True(found[1].InsideWakingHours);
    }

    [Fact]
    public void Nothing_is_returned_when_no_slot_meets_the_required_people_and_quorum()
    {
        var people = new[]
        {
            Required(1, "Europe/London", W(DayOfWeek.Monday, "10:00", "11:00")),
            Required(2, "Europe/London", W(DayOfWeek.Tuesday, "10:00", "11:00")),
        };

        Assert.Empty(SlotFinder.Find(TwoWeeksInJanuary(), people));
    }

    [Fact]
    public void A_window_shorter_than_the_session_does_not_fit_it()
    {
        var people = new[] { Required(1, "Europe/London", W(DayOfWeek.Monday, "10:00", "10:45")) };

        Assert.Empty(SlotFinder.Find(TwoWeeksInJanuary(), people));
        Assert.Single(SlotFinder.Find(TwoWeeksInJanuary(45), people));
    }

    [Fact]
    public void A_window_ending_at_00_00_runs_to_midnight_and_joins_the_next_days_window()
    {
        var people = new[]
        {
            Required(1, "Europe/London", W(DayOfWeek.Monday, "23:00", "00:00"), W(DayOfWeek.Tuesday, "00:00", "00:30")),
        };

        var found = SlotFinder.Find(TwoWeeksInJanuary(90), people);

        var only = Assert.Single(found);
        Assert.Equal(DayOfWeek.Monday, only.LocalDay);
        Assert.Equal(T("23:00"), only.LocalTime);
    }

    [Fact]
    public void A_busy_block_that_ends_as_the_session_starts_does_not_clash()
    {
        var people = new[]
        {
            Required(1, "Europe/London", W(DayOfWeek.Monday, "10:00", "11:00")) with
            {
                Busy = [new BusyBlock(Utc("2027-01-04T09:00:00Z"), Utc("2027-01-04T10:00:00Z")), new BusyBlock(Utc("2027-01-11T11:00:00Z"), Utc("2027-01-11T12:00:00Z"))],
            },
        };

        Assert.Single(SlotFinder.Find(TwoWeeksInJanuary(), people));
    }

    [Fact]
    public void A_busy_block_given_in_another_offset_is_the_same_instant()
    {
        var people = new[]
        {
            Required(1, "Europe/London", W(DayOfWeek.Monday, "10:00", "11:00")) with
            {
                // 15:30 in UTC+5:30 is 10:00 UTC: the Monday 10:00 session in the first week clashes.
                Busy = [new BusyBlock(DateTimeOffset.Parse("2027-01-04T15:30:00+05:30"), DateTimeOffset.Parse("2027-01-04T15:45:00+05:30"))],
            },
        };

        Assert.Empty(SlotFinder.Find(TwoWeeksInJanuary(), people));
    }

    [Fact]
    public void Away_dates_are_read_in_the_persons_own_zone()
    {
        // Monday 20:00 UTC is already Tuesday in Sydney (UTC+11 in January). Away on Tuesday 12 January in Sydney
        // means missing the Monday 11 January session; away on Monday 4 January (Sydney) misses nothing.
        var people = new[]
        {
            Required(1, "Europe/London", W(DayOfWeek.Monday, "20:00", "21:00")),
            Person(2, "Australia/Sydney", W(DayOfWeek.Tuesday, "07:00", "08:00")) with
            {
                Away = [new AwayPeriod(D("2027-01-04"), D("2027-01-04")), new AwayPeriod(D("2027-01-12"), D("2027-01-12"))],
            },
        };

        var found = Assert.Single(SlotFinder.Find(TwoWeeksInJanuary() with { Quorum = 0 }, people));

        Assert.Equal(new long[][] { [], [2L] }, found.Occurrences.Select(o => o.CannotCome.ToArray()));
    }

    [Fact]
    public void Fortnightly_slots_meet_every_other_week_from_the_first_fortnight()
    {
        var people = new[] { Required(1, "Europe/London", W(DayOfWeek.Wednesday, "10:00", "11:00")) };
        var request = new SlotRequest(60, D("2027-01-04"), D("2027-02-28"), SlotCadence.Fortnightly, "Europe/London");

        var found = SlotFinder.Find(request, people);

        // Wednesdays 6 and 13 January start the two fortnightly series.
        Assert.Equal([D("2027-01-06"), D("2027-01-13")], found.Select(c => c.Occurrences[0].Date));
        Assert.Equal([D("2027-01-06"), D("2027-01-20"), D("2027-02-03"), D("2027-02-17")], found[0].Occurrences.Select(o => o.Date));
        Assert.Equal([D("2027-01-13"), D("2027-01-27"), D("2027-02-10"), D("2027-02-24")], found[1].Occurrences.Select(o => o.Date));
    }

    [Fact]
    public void Once_offers_single_meetings_soonest_first_among_equals()
    {
        var people = new[] { Required(1, "Europe/London", W(DayOfWeek.Wednesday, "10:00", "11:00"), W(DayOfWeek.Monday, "15:00", "16:30")) };
        var request = new SlotRequest(60, D("2027-01-04"), D("2027-01-10"), SlotCadence.Once, "Europe/London") with { StepMinutes = 30 };

        var found = SlotFinder.Find(request, people);

        Assert.Equal(
            [Utc("2027-01-04T15:00:00Z"), Utc("2027-01-04T15:30:00Z"), Utc("2027-01-06T10:00:00Z")],
            found.Select(c => c.FirstStartUtc));
        Assert.All(found, c => Assert.Single(c.Occurrences));
        Assert.Equal("1 of 1 free. Inside everyone's waking hours (08:00–21:00).", found[0].Explanation);
    }

    [Fact]
    public void Once_names_who_cannot_come()
    {
        var people = new[]
        {
            Required(1, "Europe/London", W(DayOfWeek.Monday, "15:00", "16:00")),
            Person(2, "Europe/London", W(DayOfWeek.Monday, "15:00", "16:00")),
            Person(3, "Europe/London") with { Name = "Ines" },
        };
        var request = new SlotRequest(60, D("2027-01-04"), D("2027-01-04"), SlotCadence.Once, "Europe/London");

        var found = Assert.Single(SlotFinder.Find(request, people));

        Assert.Equal("2 of 3 free; Ines cannot come. Inside everyone's waking hours (08:00–21:00).", found.Explanation);
    }

    [Fact]
    public void At_most_MaxResults_are_returned_and_the_explanation_names_at_most_five()
    {
        var people = new List<PersonAvailability> { Required(1, "Europe/London", EveryDay("00:00", "00:00")) };
        people.AddRange(Enumerable.Range(2, 8).Select(i => Person(i, "Europe/London", W(DayOfWeek.Monday, "10:00", "11:00"))));

        var found = SlotFinder.Find(TwoWeeksInJanuary() with { Quorum = 0, MaxResults = 3 }, people);

        Assert.Equal(3, found.Count);
        Assert.Equal(DayOfWeek.Monday, found[0].LocalDay);
        Assert.Equal(T("10:00"), found[0].LocalTime);
        Assert.Equal(8, found[1].CannotCome.Count);
        Assert.Contains("P2 misses 2 of 2 weeks", found[1].Explanation);
        Assert.Contains(" and 3 more.", found[1].Explanation);
    }

    [Fact]
    public void A_step_of_an_hour_in_a_half_hour_zone_starts_on_local_hours()
    {
        var people = new[] { Required(1, "Asia/Kolkata", W(DayOfWeek.Monday, "18:00", "20:00")) };
        var request = new SlotRequest(60, D("2027-01-04"), D("2027-01-10"), SlotCadence.Weekly, "Asia/Kolkata") with { StepMinutes = 60 };

        var found = SlotFinder.Find(request, people);

        Assert.Equal([T("18:00"), T("19:00")], found.Select(c => c.LocalTime));
        Assert.Equal(Utc("2027-01-04T12:30:00Z"), found[0].FirstStartUtc);
    }

    [Fact]
    public void CommonFreeTime_is_the_overlap_of_everyones_windows_less_away_days_and_busy_blocks()
    {
        var people = new[]
        {
            Person(1, "Europe/London", W(DayOfWeek.Monday, "09:00", "17:00"), W(DayOfWeek.Tuesday, "09:00", "17:00"))
                with { Busy = [new BusyBlock(Utc("2027-01-04T12:00:00Z"), Utc("2027-01-04T13:00:00Z"))] },
            Person(2, "America/New_York", W(DayOfWeek.Monday, "08:00", "12:00"), W(DayOfWeek.Tuesday, "08:00", "12:00"))
                with { Away = [new AwayPeriod(D("2027-01-05"), D("2027-01-05"))] },
        };

        var free = SlotFinder.CommonFreeTime(people, Utc("2027-01-04T00:00:00Z"), Utc("2027-01-11T00:00:00Z"));

        // New York 08:00-12:00 is 13:00-17:00 UTC; London is busy 12:00-13:00; New York is away on Tuesday.
        Assert.Equal([new UtcInterval(Utc("2027-01-04T13:00:00Z"), Utc("2027-01-04T17:00:00Z"))], free);
    }

    [Fact]
    public void CommonFreeTime_of_nobody_is_the_whole_span_and_of_an_empty_span_is_nothing()
    {
        var from = Utc("2027-01-04T00:00:00Z");

        Assert.Equal([new UtcInterval(from, from.AddDays(1))], SlotFinder.CommonFreeTime([], from, from.AddDays(1)));
        Assert.Empty(SlotFinder.CommonFreeTime([Person(1, "UTC", EveryDay("00:00", "00:00"))], from, from));
    }

    [Fact]
    public void CommonFreeTime_merges_touching_windows_into_one_interval()
    {
        var people = new[] { Person(1, "UTC", W(DayOfWeek.Monday, "09:00", "10:00"), W(DayOfWeek.Monday, "10:00", "11:00"), W(DayOfWeek.Monday, "09:30", "09:45")) };

        var free = SlotFinder.CommonFreeTime(people, Utc("2027-01-04T00:00:00Z"), Utc("2027-01-05T00:00:00Z"));

        Assert.Equal([new UtcInterval(Utc("2027-01-04T09:00:00Z"), Utc("2027-01-04T11:00:00Z"))], free);
    }
}
