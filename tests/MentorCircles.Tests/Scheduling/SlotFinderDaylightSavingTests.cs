using MentorCircles.Core.Scheduling;
using static MentorCircles.Tests.Scheduling.SlotFinderKit;

namespace MentorCircles.Tests.Scheduling;

/// <summary>
/// Spring 2027: the United States move their clocks on 14 March, the United Kingdom on 28 March, and Sydney moves
/// back on 4 April; India does not change. A London circle meets on Mondays at 18:00 London time.
/// </summary>
public sealed class SlotFinderDaylightSavingTests
{
    private static readonly SlotRequest SixMondays =
        new(60, D("2027-03-01"), D("2027-04-11"), SlotCadence.Weekly, "Europe/London") { Quorum = 0 };

    private static readonly PersonAvailability[] Circle =
    [
        Required(1, "Europe/London", W(DayOfWeek.Monday, "18:00", "19:00")) with { Name = "Ana" },
        // 13:00 in New York is 18:00 London only while both or neither are on summer time.
        Person(2, "America/New_York", W(DayOfWeek.Monday, "13:00", "14:00")) with { Name = "Tomás" },
        // 18:00 London is 23:30 in Kolkata in winter, 22:30 in summer: the session runs past midnight in winter,
        // into the Tuesday window.
        Person(3, "Asia/Kolkata", W(DayOfWeek.Monday, "22:00", "00:00"), W(DayOfWeek.Tuesday, "00:00", "01:00")) with { Name = "Priya" },
        // 18:00 London is 05:00 Tuesday in Sydney, 04:00 after 28 March, 03:00 after Sydney's change on 4 April.
        Person(4, "Australia/Sydney", W(DayOfWeek.Tuesday, "04:00", "06:00")) with { Name = "Mia" },
        Person(5, "Europe/London", W(DayOfWeek.Monday, "17:00", "20:00")) with { Name = "Kofi" },
    ];

    [Fact]
    public void A_weekly_slot_keeps_its_local_home_time_across_the_home_zones_change()
    {
        var slot = Assert.Single(SlotFinder.Find(SixMondays, Circle));

        Assert.Equal(DayOfWeek.Monday, slot.LocalDay);
        Assert.Equal(T("18:00"), slot.LocalTime);
        Assert.Equal(
            [
                Utc("2027-03-01T18:00:00Z"), Utc("2027-03-08T18:00:00Z"), Utc("2027-03-15T18:00:00Z"), Utc("2027-03-22T18:00:00Z"),
                Utc("2027-03-29T17:00:00Z"), Utc("2027-04-05T17:00:00Z"),
            ],
            slot.Occurrences.Select(o => o.StartUtc));
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        Assert.All(slot.Occurrences, o => Assert.Equal(new TimeSpan(18, 0, 0), TimeZoneInfo.ConvertTime(o.StartUtc, london).TimeOfDay));
    }

    [Fact]
    public void Members_elsewhere_miss_exactly_the_weeks_their_own_clocks_disagree()
    {
        var slot = Assert.Single(SlotFinder.Find(SixMondays, Circle));

        Assert.Equal(
            new long[][] { [], [], [2], [2], [], [4] },
            slot.Occurrences.Select(o => o.CannotCome.ToArray()));
        Assert.Equal([new SlotAbsence(2, "Tomás", 2, 6), new SlotAbsence(4, "Mia", 1, 6)], slot.CannotCome);
        Assert.Equal(3, slot.FreeCount);
        Assert.Equal(3, slot.MissedPersonOccurrences);
        Assert.Equal(
            "3 of 5 free every week; Tomás misses 2 of 6 weeks, Mia misses 1 of 6 weeks. Outside waking hours (08:00–21:00) for 2 people in Asia/Kolkata, Australia/Sydney.",
            slot.Explanation);
    }

    [Fact]
    public void A_start_time_the_clocks_skip_moves_later_by_the_gap()
    {
        // London jumps from 01:00 to 02:00 on 28 March 2027: 01:30 does not exist and becomes 02:30 BST (01:30 UTC).
        var request = new SlotRequest(30, D("2027-03-28"), D("2027-03-28"), SlotCadence.Once, "Europe/London") { StepMinutes = 30, MaxResults = 100 };
        var people = new[] { Required(1, "UTC", EveryDay("00:00", "00:00")) };

        var found = SlotFinder.Find(request, people);

        var at0130 = Assert.Single(found, c => c.LocalTime == T("01:30"));
        Assert.Equal(Utc("2027-03-28T01:30:00Z"), at0130.FirstStartUtc);
        Assert.Equal(Utc("2027-03-28T01:00:00Z"), Assert.Single(found, c => c.LocalTime == T("02:00")).FirstStartUtc);
    }

    [Fact]
    public void A_start_time_the_clocks_repeat_is_the_earlier_of_the_two()
    {
        // London goes back from 02:00 BST to 01:00 GMT on 31 October 2027: 01:30 happens at 00:30 and 01:30 UTC.
        var request = new SlotRequest(30, D("2027-10-31"), D("2027-10-31"), SlotCadence.Once, "Europe/London") { StepMinutes = 30, MaxResults = 100 };
        var people = new[] { Required(1, "UTC", EveryDay("00:00", "00:00")) };

        var found = SlotFinder.Find(request, people);

        Assert.Equal(Utc("2027-10-31T00:30:00Z"), Assert.Single(found, c => c.LocalTime == T("01:30")).FirstStartUtc);
        Assert.Equal(Utc("2027-10-31T02:00:00Z"), Assert.Single(found, c => c.LocalTime == T("02:00")).FirstStartUtc);
    }

    [Fact]
    public void A_window_over_a_repeated_hour_covers_it_both_times()
    {
        // 00:00-01:30 London on 31 October 2027: 23:00 to 00:30 UTC on BST, then 01:00 to 01:30 UTC again on GMT.
        var people = new[] { Person(1, "Europe/London", W(DayOfWeek.Sunday, "00:00", "01:30")) };

        var free = SlotFinder.CommonFreeTime(people, Utc("2027-10-30T12:00:00Z"), Utc("2027-10-31T12:00:00Z"));

        Assert.Equal(
            [new UtcInterval(Utc("2027-10-30T23:00:00Z"), Utc("2027-10-31T00:30:00Z")), new UtcInterval(Utc("2027-10-31T01:00:00Z"), Utc("2027-10-31T01:30:00Z"))],
            free);
    }

    [Fact]
    public void A_window_over_a_skipped_hour_starts_when_the_clock_passes_its_start()
    {
        // 01:30-03:00 London on 28 March 2027: the clock reads 02:00 BST at 01:00 UTC, already past 01:30.
        var people = new[] { Person(1, "Europe/London", W(DayOfWeek.Sunday, "01:30", "03:00")) };

        var free = SlotFinder.CommonFreeTime(people, Utc("2027-03-27T12:00:00Z"), Utc("2027-03-28T12:00:00Z"));

        Assert.Equal([new UtcInterval(Utc("2027-03-28T01:00:00Z"), Utc("2027-03-28T02:00:00Z"))], free);
    }

    [Fact]
    public void A_half_hour_daylight_saving_change_keeps_local_time_too()
    {
        // Lord Howe Island moves by 30 minutes (UTC+10:30 to +11) on 3 October 2027.
        var request = new SlotRequest(60, D("2027-09-20"), D("2027-10-17"), SlotCadence.Weekly, "Australia/Lord_Howe") { StepMinutes = 60 };
        var people = new[] { Required(1, "Australia/Lord_Howe", W(DayOfWeek.Wednesday, "18:00", "19:00")) };

        var slot = Assert.Single(SlotFinder.Find(request, people));

        Assert.Equal(
            [Utc("2027-09-22T07:30:00Z"), Utc("2027-09-29T07:30:00Z"), Utc("2027-10-06T07:00:00Z"), Utc("2027-10-13T07:00:00Z")],
            slot.Occurrences.Select(o => o.StartUtc));
    }
}
