using MentorCircles.Core.Common;
using MentorCircles.Core.Scheduling;

namespace MentorCircles.Tests.Scheduling;

public sealed class AvailabilityGridTests
{
    private static readonly IReadOnlyList<AwayRange> notAway = [];

    private static AvailabilityWindow W(DayOfWeek day, string start, string end) => new(day, TimeOnly.Parse(start), TimeOnly.Parse(end));

    private static IReadOnlyList<AvailabilityWindow> Weekdays(string start, string end) =>
        new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }.Select(d => W(d, start, end)).ToList();

    private static IReadOnlyList<AvailabilityWindow> AllWeek() => Enum.GetValues<DayOfWeek>().Select(d => W(d, "00:00", "00:00")).ToList();

    private static DateTime LocalOf(DateTimeOffset t, string zone) => TimeZoneInfo.ConvertTime(t, TimeZoneInfo.FindSystemTimeZoneById(zone)).DateTime;

    [Fact]
    public void ForWeek_CountsWhoIsFreeInEachCell_AndNamesWhoIsMissing()
    {
        var grid = AvailabilityGrid.ForWeek([
            (1, "Europe/London", [W(DayOfWeek.Monday, "09:00", "12:00")], notAway),
            (2, "Europe/London", [W(DayOfWeek.Monday, "10:00", "10:30"), W(DayOfWeek.Monday, "10:30", "13:00")], notAway),
            (3, "Europe/London", [W(DayOfWeek.Tuesday, "09:00", "12:00")], notAway)], new DateOnly(2027, 1, 11), "Europe/London");

        Assert.Equal((7 * 48, 48, 3), (grid.Cells.Count, grid.SlotsPerDay, grid.PeopleCount));
        Assert.Equal("Europe/London (UTC+00:00)", grid.ZoneLabel);
        var nine = grid[0, 18];
        Assert.Equal((new DateOnly(2027, 1, 11), new TimeOnly(9, 0), 1), (nine.Date, nine.LocalStart, nine.FreeCount));
        Assert.Equal([2L, 3L], nine.Missing);
        Assert.Equal(2, grid[0, 20].FreeCount);
        Assert.Equal([3L], grid[0, 21].Missing);
        Assert.Equal([1L, 3L], grid[0, 24].Missing);
        Assert.Equal(1, grid[1, 18].FreeCount);
        Assert.Equal(0, grid[6, 47].FreeCount);
        Assert.Equal(new DateTimeOffset(2027, 1, 11, 9, 0, 0, TimeSpan.Zero), nine.StartUtc);
    }

    [Theory]
    [InlineData("2027-01-11", 14)] // both on standard time: New York is 5 hours behind London
    [InlineData("2027-03-15", 13)] // New York has moved its clocks, London not yet: 4 hours
    [InlineData("2027-03-29", 14)] // both on summer time
    [InlineData("2027-11-01", 13)] // London is back on GMT, New York not yet
    public void ForWeek_ShowsAnotherZonesWindows_WhereTheyFallThatWeek(string week, int londonHour)
    {
        var cells = AvailabilityGrid.FreeCells("America/New_York", [W(DayOfWeek.Monday, "09:00", "17:00")], notAway, DateOnly.Parse(week), "Europe/London");

        var freeSlots = Enumerable.Range(0, 48).Where(s => cells[0, s]).ToList();
        Assert.Equal(Enumerable.Range(londonHour * 2, 16), freeSlots);
        Assert.Equal(16, cells.Cast<bool>().Count(b => b));
    }

    public static TheoryData<string, string> ZonePairs()
    {
        string[] zones = ["Europe/London", "America/New_York", "Australia/Sydney", "Pacific/Chatham", "Asia/Kolkata"];
        var data = new TheoryData<string, string>();
        foreach (var a in zones) foreach (var b in zones) if (a != b) data.Add(a, b);
        return data;
    }

    [Theory]
    [MemberData(nameof(ZonePairs))]
    public void ForWeek_EveryWeekOf2027_MarksACellFreeExactlyWhenItLiesWithinThePersonsWorkingDayInTheirZone(string personZone, string viewerZone)
    {
        var windows = Weekdays("09:00", "17:00");
        for (var week = new DateOnly(2027, 1, 4); week.Year == 2027; week = week.AddDays(7))
        {
            var grid = AvailabilityGrid.ForWeek([(7, personZone, windows, notAway)], week, viewerZone);
            foreach (var cell in grid.Cells.Where(c => c.Exists))
            {
                var start = LocalOf(cell.StartUtc, personZone);
                var end = LocalOf(cell.EndUtc, personZone);
                var expected = start.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)
                    && start.TimeOfDay >= TimeSpan.FromHours(9) && end.Date == start.Date && end.TimeOfDay <= TimeSpan.FromHours(17);
                Assert.True(expected == (cell.FreeCount == 1), $"{week} {cell.Date} {cell.LocalStart} in {viewerZone}");
            }
            // Not vacuous: the viewer's week holds parts of five or six of the person's working days.
            Assert.InRange(grid.Cells.Count(c => c.FreeCount == 1), 4 * 16, 6 * 16);
        }
    }

    [Fact]
    public void ForWeek_CellsTheClocksSkip_DoNotExist_AndCountNobody()
    {
        var grid = AvailabilityGrid.ForWeek([(1, "Europe/London", AllWeek(), notAway)], new DateOnly(2027, 3, 22), "Europe/London");

        Assert.Equal("Europe/London (UTC+00:00, then UTC+01:00 from Sunday 2027-03-28 02:00)", grid.ZoneLabel);
        Assert.Equal([2, 3], Enumerable.Range(0, 48).Where(s => !grid[6, s].Exists));
        Assert.All(Enumerable.Range(0, 48).Select(s => grid[6, s]), c => Assert.Equal(c.Exists ? 1 : 0, c.FreeCount));
        Assert.Empty(grid[6, 2].Missing);
        Assert.Equal(grid[6, 4].StartUtc, grid[6, 1].EndUtc);
    }

    [Fact]
    public void ForWeek_TheHourRepeatedWhenClocksGoBack_IsFoldedIntoTheCellItFallsIn()
    {
        var grid = AvailabilityGrid.ForWeek([(1, "Europe/London", [W(DayOfWeek.Sunday, "00:00", "01:30")], notAway)], new DateOnly(2027, 10, 25), "Europe/London");

        var folded = grid[6, 3]; // 01:30–02:00, which happens twice
        Assert.Equal((new DateTimeOffset(2027, 10, 31, 0, 30, 0, TimeSpan.Zero), new DateTimeOffset(2027, 10, 31, 2, 0, 0, TimeSpan.Zero)), (folded.StartUtc, folded.EndUtc));
        Assert.Equal([1, 1, 1, 0], Enumerable.Range(0, 4).Select(s => grid[6, s].FreeCount));
    }

    [Fact]
    public void ForWeek_InChatham_KeepsTheQuarterHoursEitherSideOfTheSkippedHour()
    {
        // Chatham jumps from 02:45 to 03:45 on 2027-09-26.
        var grid = AvailabilityGrid.ForWeek([(1, "Pacific/Chatham", AllWeek(), notAway)], new DateOnly(2027, 9, 20), "Pacific/Chatham");

        Assert.Equal(TimeSpan.FromMinutes(15), grid[6, 5].EndUtc - grid[6, 5].StartUtc);
        Assert.False(grid[6, 6].Exists);
        Assert.Equal(TimeSpan.FromMinutes(15), grid[6, 7].EndUtc - grid[6, 7].StartUtc);
        Assert.Equal(grid[6, 5].EndUtc, grid[6, 7].StartUtc);
        Assert.Equal(new DateTimeOffset(2027, 9, 25, 14, 0, 0, TimeSpan.Zero), grid[6, 7].StartUtc);
    }

    [Fact]
    public void ForWeek_AwayDaysInThePersonsZone_RemoveThemFromThoseCells()
    {
        // Away Tuesday and Wednesday in Sydney, which is Monday 13:00 to Wednesday 13:00 in London that week.
        var away = new AwayRange[] { new(new DateOnly(2027, 1, 12), new DateOnly(2027, 1, 13), "leave") };
        var grid = AvailabilityGrid.ForWeek([(5, "Australia/Sydney", AllWeek(), away), (6, "Europe/London", AllWeek(), notAway)], new DateOnly(2027, 1, 11), "Europe/London");

        Assert.Equal(2, grid[0, 25].FreeCount); // Monday 12:30 London = Monday 23:30 Sydney
        Assert.Equal([5L], grid[0, 26].Missing); // Monday 13:00 London = Tuesday 00:00 Sydney
        Assert.Equal(1, grid[2, 25].FreeCount); // Wednesday 12:30 London = Wednesday 23:30 Sydney
        Assert.Equal(2, grid[2, 26].FreeCount); // Wednesday 13:00 London = Thursday 00:00 Sydney
        Assert.Equal(2 * 48, grid.Cells.Count(c => c.Missing.Contains(5)));
    }

    [Fact]
    public void ForWeek_RefusesAWeekNotStartingOnMonday_UnknownZones_AndOddCellSizes()
    {
        var thrown = Assert.Throws<InvalidInputException>(() =>
            AvailabilityGrid.ForWeek([(9, "Moon/Base", AllWeek(), notAway)], new DateOnly(2027, 1, 12), "Atlantis/Capital", 45));
        Assert.Equal(["A week starts on a Monday; 2027-01-12 is a Tuesday.", "\"Atlantis/Capital\" is not a time zone we know.",
            "Cells can be 15, 30 or 60 minutes; 45 was asked for.", "Person 9 has the time zone \"Moon/Base\", which we do not know."], thrown.Errors.Select(e => e.Message));
    }

    [Theory]
    [InlineData(15, 96)]
    [InlineData(60, 24)]
    public void ForWeek_OtherCellSizes_StillCoverTheWholeWeek(int minutes, int perDay)
    {
        var grid = AvailabilityGrid.ForWeek([(1, "Europe/Berlin", Weekdays("09:00", "17:00"), notAway)], new DateOnly(2027, 6, 7), "America/New_York", minutes);
        Assert.Equal((perDay, 7 * perDay), (grid.SlotsPerDay, grid.Cells.Count));
        Assert.Equal(5 * 8 * 60 / minutes, grid.Cells.Count(c => c.FreeCount == 1));
    }
}
