using MentorCircles.Core.Conflicts;
using MentorCircles.Core.Scheduling;

namespace MentorCircles.Tests.Conflicts;

/// <summary>
/// ConflictRules.IsFree answers most questions directly in local time and falls back to SlotFinder.CommonFreeTime near
/// clock changes. These compare the two on random people and sessions, including zones with half-hour and 30-minute DST
/// shifts, windows ending at midnight, touching windows, away dates and busy blocks, and sessions around clock changes.
/// </summary>
public sealed class ConflictRulesIsFreeTests
{
    private static readonly string[] Zones =
        ["Europe/London", "America/New_York", "Pacific/Chatham", "Asia/Kolkata", "Australia/Lord_Howe", "UTC", "America/St_Johns", "Asia/Tehran"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void The_direct_answer_always_equals_the_exact_one(int seed)
    {
        var rng = new Random(seed);
        var quick = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var person = RandomPerson(rng);
            var (start, end) = RandomSession(rng);
            var exact = ConflictRules.IsFreeExact(person, start, end);
            Assert.True(exact == ConflictRules.IsFree(person, start, end),
                $"case {i}: {person.TimeZoneId} {start:O}–{end:O} windows [{string.Join(", ", person.Weekly)}] away [{string.Join(", ", person.Away)}] busy [{string.Join(", ", person.Busy)}]: exact {exact}");
            if (ConflictRules.QuickIsFree(person, start, end) is not null) quick++;
        }
        // Most questions must take the direct path, or the speed-up is not there.
        Assert.True(quick > 3_500, $"only {quick} of 5,000 took the direct path");
    }

    [Fact]
    public void A_session_across_two_touching_windows_and_midnight_is_free()
    {
        var person = new PersonAvailability(1, "Europe/London", false,
            [new(DayOfWeek.Monday, new(22, 0), TimeOnly.MinValue), new(DayOfWeek.Tuesday, TimeOnly.MinValue, new(1, 0))], [], []);
        var start = new DateTimeOffset(2027, 1, 4, 22, 30, 0, TimeSpan.Zero);   // Monday, winter: London is UTC
        Assert.True(ConflictRules.IsFree(person, start, start.AddHours(2)));
        Assert.False(ConflictRules.IsFree(person with { Away = [new(new(2027, 1, 5), new(2027, 1, 5))] }, start, start.AddHours(2)));
        Assert.False(ConflictRules.IsFree(person with { Busy = [new(start.AddMinutes(90), start.AddMinutes(100))] }, start, start.AddHours(2)));
        Assert.True(ConflictRules.IsFree(person with { Busy = [new(start.AddHours(2), start.AddHours(3))] }, start, start.AddHours(2)));
    }

    private static PersonAvailability RandomPerson(Random rng)
    {
        var weekly = new List<WeeklyWindow>();
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            // Up to three windows a day on a 15-minute grid, touching or apart, sometimes running to midnight.
            var at = rng.Next(0, 40) * 15;
            for (var k = rng.Next(0, 4); k > 0 && at < 24 * 60; k--)
            {
                var length = rng.Next(1, 40) * 15;
                var endMinute = Math.Min(at + length, 24 * 60);
                weekly.Add(new(day, TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(at)),
                    endMinute == 24 * 60 ? TimeOnly.MinValue : TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(endMinute))));
                at = endMinute + (rng.Next(3) == 0 ? 0 : rng.Next(1, 16) * 15);
            }
        }
        var away = new List<AwayPeriod>();
        for (var k = rng.Next(0, 3); k > 0; k--)
        {
            var from = Day0.AddDays(rng.Next(0, 400));
            away.Add(new(from, from.AddDays(rng.Next(0, 5))));
        }
        var busy = new List<BusyBlock>();
        for (var k = rng.Next(0, 6); k > 0; k--)
        {
            var from = Base.AddMinutes(rng.Next(0, 400 * 24 * 4) * 15);
            busy.Add(new(from, from.AddMinutes(rng.Next(1, 12) * 15)));
        }
        return new PersonAvailability(1, Zones[rng.Next(Zones.Length)], false, weekly, away, busy);
    }

    private static (DateTimeOffset Start, DateTimeOffset End) RandomSession(Random rng)
    {
        // Half the sessions within a day of a clock change in one of the zones above, the rest anywhere in the year.
        DateTimeOffset start;
        if (rng.Next(2) == 0)
        {
            var change = Changes[rng.Next(Changes.Length)];
            start = change.AddMinutes(rng.Next(-24 * 4, 24 * 4) * 15);
        }
        else start = Base.AddMinutes(rng.Next(0, 400 * 24 * 4) * 15);
        return (start, start.AddMinutes(rng.Next(1, 17) * 15));
    }

    private static readonly DateOnly Day0 = new(2026, 12, 1);
    private static readonly DateTimeOffset Base = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Clock changes of 2027 in the zones above (UTC instants, to the hour).</summary>
    private static readonly DateTimeOffset[] Changes =
    [
        new(2027, 3, 28, 1, 0, 0, TimeSpan.Zero),    // London spring
        new(2027, 10, 31, 1, 0, 0, TimeSpan.Zero),   // London autumn
        new(2027, 3, 14, 7, 0, 0, TimeSpan.Zero),    // New York spring
        new(2027, 11, 7, 6, 0, 0, TimeSpan.Zero),    // New York autumn
        new(2027, 4, 3, 14, 0, 0, TimeSpan.Zero),    // Chatham and Lord Howe, April
        new(2027, 9, 25, 14, 0, 0, TimeSpan.Zero),   // Chatham and Lord Howe, September
        new(2027, 3, 14, 5, 30, 0, TimeSpan.Zero),   // St John's spring
    ];
}
