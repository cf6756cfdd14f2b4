using MentorCircles.Core.Common;
using MentorCircles.Core.Scheduling;

namespace MentorCircles.Tests.Scheduling;

public sealed class AvailabilityRulesTests
{
    private static AvailabilityWindow W(DayOfWeek day, string start, string end) => new(day, TimeOnly.Parse(start), TimeOnly.Parse(end));

    private static IReadOnlyList<string> Messages(Action act) => Assert.Throws<InvalidInputException>(act).Errors.Select(e => e.Message).ToList();

    [Fact]
    public void NormalizeWeekly_RefusesAWindowThatEndsBeforeItStarts_OrWhenItStarts()
    {
        Assert.Equal(["Tuesday 17:00–09:00 ends before it starts.", "Tuesday 09:00–09:00 is empty: it ends when it starts."],
            Messages(() => AvailabilityRules.NormalizeWeekly([W(DayOfWeek.Tuesday, "17:00", "09:00"), W(DayOfWeek.Tuesday, "09:00", "09:00")])));
    }

    [Fact]
    public void NormalizeWeekly_RefusesOverlappingWindowsOnTheSameDay_WhateverOrderTheyCameIn()
    {
        Assert.Equal(["Monday 09:00–12:00 overlaps Monday 11:00–13:00."],
            Messages(() => AvailabilityRules.NormalizeWeekly([W(DayOfWeek.Monday, "11:00", "13:00"), W(DayOfWeek.Monday, "09:00", "12:00")])));
        Assert.Equal(["Monday 09:00–17:00 overlaps Monday 10:00–11:00.", "Monday 09:00–17:00 overlaps Monday 12:00–13:00."],
            Messages(() => AvailabilityRules.NormalizeWeekly([W(DayOfWeek.Monday, "12:00", "13:00"), W(DayOfWeek.Monday, "10:00", "11:00"), W(DayOfWeek.Monday, "09:00", "17:00")])));
        Assert.Equal(["Friday 22:00–24:00 overlaps Friday 23:00–23:30."],
            Messages(() => AvailabilityRules.NormalizeWeekly([W(DayOfWeek.Friday, "22:00", "00:00"), W(DayOfWeek.Friday, "23:00", "23:30")])));
    }

    [Fact]
    public void NormalizeWeekly_AcceptsTheSameHoursOnDifferentDays_TheWholeDay_AndMergesTouchingWindows()
    {
        var normal = AvailabilityRules.NormalizeWeekly([
            W(DayOfWeek.Sunday, "00:00", "00:00"), W(DayOfWeek.Tuesday, "09:00", "12:00"), W(DayOfWeek.Monday, "10:00", "12:00"),
            W(DayOfWeek.Monday, "09:00", "10:00"), W(DayOfWeek.Monday, "22:00", "00:00")]);

        Assert.Equal(["Monday 09:00–12:00", "Monday 22:00–24:00", "Tuesday 09:00–12:00", "Sunday 00:00–24:00"], normal.Select(w => w.ToString()));
    }

    [Fact]
    public void NormalizeWeekly_RefusesAnUnknownDay_AndMoreWindowsThanHalfHoursInAWeek()
    {
        Assert.Equal(["Day 9 is not a day of the week."], Messages(() => AvailabilityRules.NormalizeWeekly([W((DayOfWeek)9, "09:00", "10:00")])));
        var tooMany = Enumerable.Range(0, AvailabilityRules.MaxWindows + 1).Select(i => W(DayOfWeek.Monday, "09:00", "10:00")).ToList();
        Assert.Contains("At most 336 weekly windows can be saved; 337 were given.", Messages(() => AvailabilityRules.NormalizeWeekly(tooMany)));
    }

    [Fact]
    public void Merge_TurnsEveryHalfHourOfADayIntoOneWholeDayWindow_ButNotAcrossMidnight()
    {
        var cells = Enumerable.Range(0, 48).Select(i => new AvailabilityWindow(DayOfWeek.Wednesday, new TimeOnly(i / 2, i % 2 * 30), new TimeOnly((i + 1) / 2 % 24, (i + 1) % 2 * 30)))
            .Append(W(DayOfWeek.Thursday, "00:00", "00:30")).Reverse().ToList();

        Assert.Equal(["Wednesday 00:00–24:00", "Thursday 00:00–00:30"], AvailabilityRules.Merge(cells).Select(w => w.ToString()));
    }

    [Fact]
    public void Merge_OfRandomPaintedCells_CoversExactlyThoseCells_WithNoTwoWindowsTouching()
    {
        var random = new Random(20270101);
        for (var run = 0; run < 300; run++)
        {
            var painted = Enumerable.Range(0, 7 * 48).Where(_ => random.Next(3) > 0).ToHashSet();
            var cells = painted.OrderBy(_ => random.Next())
                .Select(c => new AvailabilityWindow((DayOfWeek)(c / 48), new TimeOnly(c % 48 / 2, c % 2 * 30), c % 48 == 47 ? TimeOnly.MinValue : new TimeOnly((c % 48 + 1) / 2, (c + 1) % 2 * 30)))
                .ToList();

            var merged = AvailabilityRules.Merge(cells);

            var covered = merged.SelectMany(w => Enumerable.Range(0, 48).Where(i => i * 30 >= w.Start.ToTimeSpan().TotalMinutes && (i + 1) * 30 <= w.EndOfDay.TotalMinutes)
                .Select(i => (int)w.Day * 48 + i)).ToHashSet();
            Assert.True(painted.SetEquals(covered));
            for (var i = 1; i < merged.Count; i++)
                if (merged[i].Day == merged[i - 1].Day) Assert.True(merged[i].Start.ToTimeSpan() > merged[i - 1].EndOfDay);
            Assert.Empty(AvailabilityRules.CheckWeekly(merged));
        }
    }

    [Fact]
    public void Merge_RefusesAnInvertedCell_RatherThanGuessing()
    {
        Assert.Equal(["Monday 10:00–09:30 ends before it starts."], Messages(() => AvailabilityRules.Merge([W(DayOfWeek.Monday, "10:00", "09:30")])));
    }

    [Fact]
    public void NormalizeAway_RefusesInvertedRanges_AndRangesLongerThanAYear()
    {
        Assert.Equal(["Away 2027-03-10 to 2027-03-01 ends before it starts.", "Away 2027-01-01 to 2028-01-01 is longer than a year; an away period can last at most one year."],
            Messages(() => AvailabilityRules.NormalizeAway([new(new(2027, 3, 10), new(2027, 3, 1), null), new(new(2027, 1, 1), new(2028, 1, 1), null)])));
        Assert.Single(AvailabilityRules.NormalizeAway([new(new(2027, 1, 1), new(2027, 12, 31), null)]));
    }

    [Fact]
    public void NormalizeAway_SortsByStart_TrimsNotes_AndDropsBlankOnes()
    {
        var normal = AvailabilityRules.NormalizeAway([new(new(2027, 8, 1), new(2027, 8, 1), "  conference "), new(new(2027, 7, 1), new(2027, 7, 14), "   ")]);
        Assert.Equal([new AwayRange(new(2027, 7, 1), new(2027, 7, 14), null), new AwayRange(new(2027, 8, 1), new(2027, 8, 1), "conference")], normal);
        Assert.Contains("the limit is 200", Messages(() => AvailabilityRules.NormalizeAway([new(new(2027, 8, 1), new(2027, 8, 1), new string('x', 201))]))[0]);
    }

    [Fact]
    public void NormalizeBusy_RefusesInvertedOrEmptyTimes_AndMoreThanTwoThousand()
    {
        var t = new DateTimeOffset(2027, 3, 1, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal(["Busy Monday 2027-03-01 10:00 UTC to Monday 2027-03-01 09:00 UTC ends before it starts.", "Busy Monday 2027-03-01 10:00 UTC to Monday 2027-03-01 10:00 UTC is empty: it ends when it starts."],
            Messages(() => AvailabilityRules.NormalizeBusy([new(t, t.AddHours(-1), null), new(t, t, null)])));
        var many = Enumerable.Range(0, 2001).Select(i => new BusyRange(t.AddHours(i), t.AddHours(i).AddMinutes(30), null)).ToList();
        Assert.Equal(["At most 2,000 busy times can be saved; 2,001 were given."], Messages(() => AvailabilityRules.NormalizeBusy(many)));
        Assert.Equal(2000, AvailabilityRules.NormalizeBusy(many[..2000]).Count);
    }

    [Fact]
    public void NormalizeBusy_ConvertsToUtc_AndSorts()
    {
        var ny = TimeSpan.FromHours(-5);
        var normal = AvailabilityRules.NormalizeBusy([new(new(2027, 3, 1, 9, 0, 0, ny), new(2027, 3, 1, 10, 0, 0, ny), " Dentist "), new(new(2027, 3, 1, 13, 0, 0, TimeSpan.Zero), new(2027, 3, 1, 13, 30, 0, TimeSpan.Zero), null)]);
        Assert.Equal([new BusyRange(new(2027, 3, 1, 13, 0, 0, TimeSpan.Zero), new(2027, 3, 1, 13, 30, 0, TimeSpan.Zero), null), new BusyRange(new(2027, 3, 1, 14, 0, 0, TimeSpan.Zero), new(2027, 3, 1, 15, 0, 0, TimeSpan.Zero), "Dentist")], normal);
        Assert.All(normal, b => Assert.Equal(TimeSpan.Zero, b.Start.Offset));
    }
}
