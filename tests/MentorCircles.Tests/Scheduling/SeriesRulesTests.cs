using MentorCircles.Core.Common;
using MentorCircles.Core.Scheduling;

namespace MentorCircles.Tests.Scheduling;

public sealed class SeriesRulesTests
{
    private static readonly DateTimeOffset now = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly HashSet<DateOnly> noBlackouts = [];
    public static readonly TheoryData<string> Zones = new() { "Europe/London", "America/New_York", "Australia/Sydney", "Pacific/Chatham" };

    private static SeriesSpec Weekly(DateOnly first, TimeOnly at, string zone, int? count = null, DateOnly? until = null, int length = 60) =>
        new(first, at, length, zone, SeriesCadence.Weekly, count, until);

    private static DateTime LocalOf(DateTimeOffset instant, string zone) =>
        TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(zone)).DateTime;

    private static FieldError OnlyError(Action act)
    {
        var thrown = Assert.Throws<InvalidInputException>(act);
        return Assert.Single(thrown.Errors);
    }

    [Theory]
    [MemberData(nameof(Zones))]
    public void Occurrences_KeepLocalTime_AcrossDaylightSavingChange(string zone)
    {
        var plan = SeriesRules.Occurrences(Weekly(new DateOnly(2027, 1, 4), new TimeOnly(18, 0), zone, until: new DateOnly(2027, 12, 31), length: 90), noBlackouts, now);

        Assert.Equal(52, plan.Occurrences.Count);
        for (var i = 0; i < plan.Occurrences.Count; i++)
        {
            var o = plan.Occurrences[i];
            var expectedDate = new DateOnly(2027, 1, 4).AddDays(7 * i);
            Assert.Equal(expectedDate.ToDateTime(new TimeOnly(18, 0)), LocalOf(o.StartUtc, zone));
            Assert.Equal((expectedDate, new TimeOnly(18, 0), i + 1), (o.LocalDate, o.LocalStart, o.Number));
            Assert.Equal(TimeSpan.FromMinutes(90), o.EndUtc - o.StartUtc);
            Assert.Equal(TimeSpan.Zero, o.StartUtc.Offset);
            Assert.Null(o.TimeNote);
        }
        // The UTC time really moves when the zone changes offset, so the test above is not trivially true.
        Assert.True(plan.Occurrences.Select(o => o.StartUtc.TimeOfDay).Distinct().Count() == 2);
    }

    [Theory]
    [MemberData(nameof(Zones))]
    public void Occurrences_AtEveryQuarterHour_OnEveryWeekdayOf2027_KeepTheirWallClockTime_OrShiftForwardByTheGap_OrTakeTheEarlierOfTwo(string zone)
    {
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        for (var day = 0; day < 7; day++)
            for (var minutes = 0; minutes < 24 * 60; minutes += 15)
            {
                var at = new TimeOnly(minutes / 60, minutes % 60);
                var first = new DateOnly(2027, 1, 1).AddDays(day);
                var plan = SeriesRules.Occurrences(Weekly(first, at, zone, until: new DateOnly(2027, 12, 31)), noBlackouts, now);
                Assert.True(plan.Occurrences.Count is 52 or 53);
                foreach (var o in plan.Occurrences)
                {
                    var wanted = o.LocalDate.ToDateTime(at);
                    var local = LocalOf(o.StartUtc, zone);
                    Assert.Equal(local, o.LocalDate.ToDateTime(o.LocalStart));
                    if (tz.IsInvalidTime(wanted))
                    {
                        var gap = tz.GetUtcOffset(o.StartUtc) - tz.GetUtcOffset(o.StartUtc.AddHours(-12));
                        Assert.Equal(wanted + gap, local);
                        Assert.Contains("does not exist", o.TimeNote);
                    }
                    else if (tz.IsAmbiguousTime(wanted))
                    {
                        var fold = tz.GetAmbiguousTimeOffsets(wanted).Max() - tz.GetAmbiguousTimeOffsets(wanted).Min();
                        Assert.Equal(wanted, local);
                        Assert.Equal(wanted, LocalOf(o.StartUtc + fold, zone)); // the later one is still to come
                        Assert.Contains("happens twice", o.TimeNote);
                    }
                    else
                    {
                        Assert.Equal(wanted, local);
                        Assert.Null(o.TimeNote);
                    }
                }
            }
    }

    [Theory]
    // Spring forward: the time does not exist and moves forward by the gap.
    [InlineData("Europe/London", "2027-03-28", "01:30", "2027-03-28T01:30:00Z", "02:30")]
    [InlineData("America/New_York", "2027-03-14", "02:30", "2027-03-14T07:30:00Z", "03:30")]
    [InlineData("Australia/Sydney", "2027-10-03", "02:30", "2027-10-02T16:30:00Z", "03:30")]
    [InlineData("Pacific/Chatham", "2027-09-26", "03:00", "2027-09-25T14:15:00Z", "04:00")]
    // Fall back: the time happens twice and the earlier instant is taken.
    [InlineData("Europe/London", "2027-10-31", "01:30", "2027-10-31T00:30:00Z", "01:30")]
    [InlineData("America/New_York", "2027-11-07", "01:30", "2027-11-07T05:30:00Z", "01:30")]
    [InlineData("Australia/Sydney", "2027-04-04", "02:30", "2027-04-03T15:30:00Z", "02:30")]
    [InlineData("Pacific/Chatham", "2027-04-04", "03:00", "2027-04-03T13:15:00Z", "03:00")]
    public void Occurrences_OnTheChangeOfClocks_ResolveToTheDocumentedInstant(string zone, string date, string time, string utc, string localStart)
    {
        var plan = SeriesRules.Occurrences(Weekly(DateOnly.Parse(date), TimeOnly.Parse(time), zone, count: 1), noBlackouts, now);

        var o = Assert.Single(plan.Occurrences);
        Assert.Equal(DateTimeOffset.Parse(utc), o.StartUtc);
        Assert.Equal(TimeOnly.Parse(localStart), o.LocalStart);
        Assert.Equal(DateOnly.Parse(date), o.LocalDate);
        Assert.NotNull(o.TimeNote);
        Assert.Contains(zone, o.TimeNote);
    }

    [Fact]
    public void Occurrences_FortnightlyCadence_StepsTwoWeeks()
    {
        var plan = SeriesRules.Occurrences(Weekly(new DateOnly(2027, 1, 5), new TimeOnly(9, 0), "UTC", count: 5) with { Cadence = SeriesCadence.Fortnightly }, noBlackouts, now);

        Assert.Equal(new[] { 5, 19 }.Select(d => new DateOnly(2027, 1, d)).Concat([new(2027, 2, 2), new(2027, 2, 16), new(2027, 3, 2)]),
            plan.Occurrences.Select(o => o.LocalDate));
    }

    [Fact]
    public void Occurrences_Monthly_KeepTheSameWeekdayOfTheMonth()
    {
        // 2027-01-12 is the 2nd Tuesday of January.
        var plan = SeriesRules.Occurrences(Weekly(new DateOnly(2027, 1, 12), new TimeOnly(18, 0), "Europe/London", count: 6) with { Cadence = SeriesCadence.Monthly }, noBlackouts, now);

        Assert.Equal(new DateOnly[] { new(2027, 1, 12), new(2027, 2, 9), new(2027, 3, 9), new(2027, 4, 13), new(2027, 5, 11), new(2027, 6, 8) },
            plan.Occurrences.Select(o => o.LocalDate));
    }

    [Fact]
    public void Occurrences_Monthly_FromAFifthWeekday_UseTheLastSuchWeekdayOfEachMonth()
    {
        // 2027-03-30 is the 5th Tuesday of March; April, May and June have only four... or five, and the last one is taken.
        var plan = SeriesRules.Occurrences(Weekly(new DateOnly(2027, 3, 30), new TimeOnly(18, 0), "Europe/London", count: 4) with { Cadence = SeriesCadence.Monthly }, noBlackouts, now);

        Assert.Equal(new DateOnly[] { new(2027, 3, 30), new(2027, 4, 27), new(2027, 5, 25), new(2027, 6, 29) }, plan.Occurrences.Select(o => o.LocalDate));
    }

    [Fact]
    public void Occurrences_Monthly_FromEveryDayOf2027_KeepWeekdayAndOrdinal_ForAYear()
    {
        for (var first = new DateOnly(2027, 1, 1); first.Year == 2027; first = first.AddDays(1))
        {
            var plan = SeriesRules.Occurrences(Weekly(first, new TimeOnly(12, 0), "America/New_York", count: 12) with { Cadence = SeriesCadence.Monthly }, noBlackouts, now);
            var ordinal = (first.Day - 1) / 7 + 1;
            for (var i = 0; i < 12; i++)
            {
                var d = plan.Occurrences[i].LocalDate;
                var month = new DateOnly(first.Year, first.Month, 1).AddMonths(i);
                Assert.Equal((month.Year, month.Month, first.DayOfWeek), (d.Year, d.Month, d.DayOfWeek));
                if (ordinal < 5) Assert.Equal(ordinal, (d.Day - 1) / 7 + 1);
                else Assert.NotEqual(d.Month, d.AddDays(7).Month);
            }
        }
    }

    [Fact]
    public void Occurrences_SkipBlackoutDates_WithoutUsingUpTheCount()
    {
        var first = new DateOnly(2027, 1, 4);
        HashSet<DateOnly> blackouts = [first.AddDays(14), first.AddDays(21), new DateOnly(2027, 1, 5)];

        var plan = SeriesRules.Occurrences(Weekly(first, new TimeOnly(18, 0), "Europe/London", count: 10), blackouts, now);

        Assert.Equal(10, plan.Occurrences.Count);
        Assert.Equal(Enumerable.Range(1, 10), plan.Occurrences.Select(o => o.Number));
        Assert.Equal([first.AddDays(14), first.AddDays(21)], plan.SkippedForBlackout);
        Assert.DoesNotContain(plan.Occurrences, o => blackouts.Contains(o.LocalDate));
        Assert.Equal(first.AddDays(7 * 11), plan.Occurrences[^1].LocalDate);
    }

    [Fact]
    public void Occurrences_WithAnEndDate_StopOnIt_AndListTheBlackoutsBeforeIt()
    {
        var first = new DateOnly(2027, 1, 4);
        var plan = SeriesRules.Occurrences(Weekly(first, new TimeOnly(18, 0), "UTC", until: first.AddDays(28)), new HashSet<DateOnly> { first.AddDays(7), first.AddDays(35) }, now);

        Assert.Equal([first, first.AddDays(14), first.AddDays(21), first.AddDays(28)], plan.Occurrences.Select(o => o.LocalDate));
        Assert.Equal([first.AddDays(7)], plan.SkippedForBlackout);
    }

    [Fact]
    public void Occurrences_WithCountAndEndDate_StopAtWhicheverComesFirst()
    {
        var first = new DateOnly(2027, 1, 4);
        Assert.Equal(3, SeriesRules.Occurrences(Weekly(first, new TimeOnly(18, 0), "UTC", count: 3, until: first.AddDays(70)), noBlackouts, now).Occurrences.Count);
        Assert.Equal(2, SeriesRules.Occurrences(Weekly(first, new TimeOnly(18, 0), "UTC", count: 30, until: first.AddDays(7)), noBlackouts, now).Occurrences.Count);
    }

    [Fact]
    public void Occurrences_RefuseAZoneWeDoNotKnow()
    {
        var e = OnlyError(() => SeriesRules.Occurrences(Weekly(new DateOnly(2027, 1, 4), new TimeOnly(18, 0), "Mars/Olympus", count: 3), noBlackouts, now));
        Assert.Equal("HomeTimeZoneId", e.Field);
        Assert.Contains("\"Mars/Olympus\" is not a time zone we know", e.Message);
    }

    [Theory]
    [InlineData(null, null, "Count", "Give a number of sessions or an end date")]
    [InlineData(0, null, "Count", "at least 1 session; the number given is 0")]
    [InlineData(105, null, "Count", "at most 104 sessions; the number given is 105")]
    [InlineData(null, "2026-12-31", "Until", "The end date 2026-12-31 is before the first date 2027-01-04.")]
    [InlineData(null, "2029-01-05", "Until", "must end by 2029-01-04, but the end date is 2029-01-05")]
    public void Occurrences_RefuseAMissingOrImpossibleLength(int? count, string? until, string field, string message)
    {
        var spec = Weekly(new DateOnly(2027, 1, 4), new TimeOnly(18, 0), "Europe/London", count, until is null ? null : DateOnly.Parse(until));
        var e = OnlyError(() => SeriesRules.Occurrences(spec, noBlackouts, now));
        Assert.Equal(field, e.Field);
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData(SeriesCadence.Weekly, 104, true)]
    [InlineData(SeriesCadence.Fortnightly, 53, true)]
    [InlineData(SeriesCadence.Fortnightly, 54, false)]
    [InlineData(SeriesCadence.Monthly, 25, true)]
    [InlineData(SeriesCadence.Monthly, 26, false)]
    public void Occurrences_RefuseASeriesSpanningMoreThanTwoYears(SeriesCadence cadence, int count, bool fits)
    {
        var spec = Weekly(new DateOnly(2027, 1, 4), new TimeOnly(18, 0), "Europe/London", count) with { Cadence = cadence };
        if (fits)
        {
            Assert.Equal(count, SeriesRules.Occurrences(spec, noBlackouts, now).Occurrences.Count);
            return;
        }
        var e = OnlyError(() => SeriesRules.Occurrences(spec, noBlackouts, now));
        Assert.Equal("Count", e.Field);
        Assert.Contains("would run past 2029-01-04; a series can span at most 2 years", e.Message);
    }

    [Fact]
    public void Occurrences_RefuseACountThatBlackoutsPushPastTwoYears()
    {
        var first = new DateOnly(2027, 1, 4);
        var blackouts = Enumerable.Range(0, 10).Select(i => first.AddDays(7 * i)).ToHashSet();
        Assert.Equal("Count", OnlyError(() => SeriesRules.Occurrences(Weekly(first, new TimeOnly(18, 0), "UTC", count: 100), blackouts, now)).Field);
    }

    [Fact]
    public void Occurrences_RefuseAFirstSessionInThePast_SayingWhenItWouldBeAndWhenItIsNow()
    {
        var at = new DateTimeOffset(2027, 1, 4, 19, 0, 0, TimeSpan.Zero);
        var e = OnlyError(() => SeriesRules.Occurrences(Weekly(new DateOnly(2027, 1, 4), new TimeOnly(18, 0), "Europe/London", count: 3), noBlackouts, at));
        Assert.Equal("FirstDate", e.Field);
        Assert.Equal("The first session would be in the past (Monday 2027-01-04 18:00 Europe/London; it is now Monday 2027-01-04 19:00 there).", e.Message);
        // One minute earlier it is fine.
        Assert.Single(SeriesRules.Occurrences(Weekly(new DateOnly(2027, 1, 4), new TimeOnly(18, 0), "Europe/London", count: 1), noBlackouts, at.AddMinutes(-61)).Occurrences);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(-30, false)]
    [InlineData(1, true)]
    [InlineData(480, true)]
    [InlineData(481, false)]
    public void Occurrences_RefuseALengthOfNothingOrOverEightHours(int minutes, bool ok)
    {
        var spec = Weekly(new DateOnly(2027, 1, 4), new TimeOnly(9, 0), "UTC", count: 1, length: minutes);
        if (ok) { Assert.Equal(TimeSpan.FromMinutes(minutes), SeriesRules.Occurrences(spec, noBlackouts, now).Occurrences[0].EndUtc.Subtract(new DateTimeOffset(2027, 1, 4, 9, 0, 0, TimeSpan.Zero))); return; }
        var e = OnlyError(() => SeriesRules.Occurrences(spec, noBlackouts, now));
        Assert.Equal("LengthMinutes", e.Field);
        Assert.Contains($"the length given is {minutes} minutes", e.Message);
    }

    [Fact]
    public void Occurrences_RefuseASeriesWhoseEveryDateIsABlackout()
    {
        var first = new DateOnly(2027, 1, 4);
        var e = OnlyError(() => SeriesRules.Occurrences(Weekly(first, new TimeOnly(9, 0), "UTC", until: first.AddDays(7)), new HashSet<DateOnly> { first, first.AddDays(7) }, now));
        Assert.Contains("Every date of the series is a blackout date", e.Message);
    }

    [Fact]
    public void Check_ListsEveryProblemAtOnce_AndNothingForAGoodSeries()
    {
        var bad = new SeriesSpec(new DateOnly(2027, 1, 4), new TimeOnly(9, 0), 0, "Nowhere/Town", SeriesCadence.Weekly, 200, new DateOnly(2026, 1, 1));
        Assert.Equal(["HomeTimeZoneId", "LengthMinutes", "Count", "Until"], SeriesRules.Check(bad, noBlackouts, now).Select(e => e.Field));
        Assert.Empty(SeriesRules.Check(Weekly(new DateOnly(2027, 1, 4), new TimeOnly(9, 0), "UTC", count: 4), noBlackouts, now));
    }

    [Fact]
    public void Move_KeepsNumberAndLength_AndResolvesTheNewWallClockTimeInTheGivenZone()
    {
        var o = SeriesRules.Occurrences(Weekly(new DateOnly(2027, 1, 4), new TimeOnly(18, 0), "Europe/London", count: 3, length: 75), noBlackouts, now).Occurrences[1];

        var moved = SeriesRules.Move(o, new DateOnly(2027, 7, 6), new TimeOnly(17, 30), "America/New_York", now);

        Assert.Equal(2, moved.Number);
        Assert.Equal(new DateTimeOffset(2027, 7, 6, 21, 30, 0, TimeSpan.Zero), moved.StartUtc);
        Assert.Equal(TimeSpan.FromMinutes(75), moved.EndUtc - moved.StartUtc);
        Assert.Equal((new DateOnly(2027, 7, 6), new TimeOnly(17, 30)), (moved.LocalDate, moved.LocalStart));
    }

    [Fact]
    public void Move_IntoASpringForwardGap_ShiftsForwardAndSaysSo()
    {
        var o = SeriesRules.Occurrences(Weekly(new DateOnly(2027, 1, 4), new TimeOnly(18, 0), "UTC", count: 1), noBlackouts, now).Occurrences[0];
        var moved = SeriesRules.Move(o, new DateOnly(2027, 3, 14), new TimeOnly(2, 15), "America/New_York", now);
        Assert.Equal(new TimeOnly(3, 15), moved.LocalStart);
        Assert.Equal(new DateTimeOffset(2027, 3, 14, 7, 15, 0, TimeSpan.Zero), moved.StartUtc);
        Assert.Contains("02:15 does not exist on Sunday 2027-03-14 in America/New_York", moved.TimeNote);
    }

    [Fact]
    public void Move_RefusesANewTimeInThePast_AndAZoneWeDoNotKnow()
    {
        var o = SeriesRules.Occurrences(Weekly(new DateOnly(2027, 1, 4), new TimeOnly(18, 0), "UTC", count: 1), noBlackouts, now).Occurrences[0];

        var past = Assert.Throws<InvalidInputException>(() => SeriesRules.Move(o, new DateOnly(2026, 5, 31), new TimeOnly(18, 0), "Europe/London", now));
        Assert.Equal("The new time would be in the past (Sunday 2026-05-31 18:00 Europe/London; it is now Monday 2026-06-01 10:00 there).", past.Message);
        Assert.Throws<InvalidInputException>(() => SeriesRules.Move(o, new DateOnly(2026, 6, 1), new TimeOnly(10, 0), "Europe/London", now));
        Assert.Equal("TimeZone", Assert.Throws<InvalidInputException>(() => SeriesRules.Move(o, new DateOnly(2027, 6, 1), new TimeOnly(10, 0), "Europe/Londn", now)).Errors[0].Field);
    }

    [Fact]
    public void NthWeekday_FifthMeansLast_InEveryMonthOf2027And2028()
    {
        for (var m = new DateOnly(2027, 1, 1); m.Year < 2029; m = m.AddMonths(1))
            foreach (var day in Enum.GetValues<DayOfWeek>())
            {
                var last = SeriesRules.NthWeekday(m, day, 5);
                Assert.Equal((day, m.Month), (last.DayOfWeek, last.Month));
                Assert.NotEqual(m.Month, last.AddDays(7).Month);
                var first = SeriesRules.NthWeekday(m, day, 1);
                Assert.Equal((day, m.Month), (first.DayOfWeek, first.Month));
                Assert.True(first.Day <= 7);
            }
    }
}
