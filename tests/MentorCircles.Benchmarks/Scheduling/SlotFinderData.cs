using MentorCircles.Core.Scheduling;

namespace MentorCircles.Benchmarks.Scheduling;

/// <summary>
/// Deterministic availability for the slot-finder benchmarks: people spread evenly over London, New York, Kolkata and
/// Sydney, each with a realistic weekly pattern in their own zone, some away periods and a few busy blocks a week.
/// The span starts on Monday 1 March 2027, so 4 weeks cross the US clock change and 12 weeks also the UK and Sydney ones.
/// </summary>
public static class SlotFinderData
{
    public static readonly string[] Zones = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney"];
    public static readonly DateOnly FirstDay = new(2027, 3, 1);
    public static readonly DateTimeOffset FirstInstant = new(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A program's people. The first two are required (a facilitator in London and a mentor in New York, both broadly
    /// free). With <paramref name="coreHour"/> everyone also keeps Wednesday 14:00–16:00 UTC free and is never away,
    /// so the common free time is never empty and no shortcut can stop early.
    /// </summary>
    public static PersonAvailability[] People(int count, int weeks, bool coreHour = false, int seed = 2027, int maxBusyPerWeek = 4, int awayPercent = 15)
    {
        var rng = new Random(seed + 7919 * count + 31 * weeks + (coreHour ? 1 : 0));
        var people = new PersonAvailability[count];
        for (var i = 0; i < count; i++)
        {
            var zone = Zones[i % Zones.Length];
            var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
            var weekly = i < 2 ? Broad() : Pattern(rng);
            if (coreHour) weekly.Add(CoreHour(zone));

            var away = new List<AwayPeriod>();
            // Required people are never away here: a facilitator's absence rules out every slot, which is correct but
            // would leave nothing to rank.
            if (!coreHour && i >= 2 && rng.Next(100) < awayPercent)
            {
                var from = FirstDay.AddDays(rng.Next(weeks * 7));
                away.Add(new AwayPeriod(from, from.AddDays(rng.Next(2, 11))));
            }

            var busy = new List<BusyBlock>();
            for (var w = 0; w < weeks; w++)
            {
                for (var b = rng.Next(1, maxBusyPerWeek + 1); b > 0; b--)
                {
                    var day = FirstDay.AddDays(w * 7 + rng.Next(7));
                    var local = day.ToDateTime(new TimeOnly(7, 0)).AddMinutes(rng.Next(0, 60) * 15);
                    var start = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, tz), TimeSpan.Zero);
                    var block = new BusyBlock(start, start.AddMinutes(rng.Next(2, 9) * 15));
                    if (coreHour && InCoreHour(block)) continue;
                    busy.Add(block);
                }
            }
            people[i] = new PersonAvailability(i + 1, zone, Required: i < 2, weekly, away, busy) { Name = $"Person {i + 1}" };
        }
        return people;
    }

    /// <summary>
    /// A 12-person circle over 8 weeks: a facilitator (London) and a mentor (New York) required, ten others across the
    /// four zones, one or two busy blocks a week each. Everyone keeps weekday time for the circle and stretches a little
    /// for it (New York early, Sydney late), as real global circles do.
    /// </summary>
    public static PersonAvailability[] Circle(int seed = 12)
    {
        var people = People(12, 8, seed: seed, maxBusyPerWeek: 2, awayPercent: 10);
        for (var i = 0; i < people.Length; i++)
        {
            var extra = people[i].TimeZoneId switch
            {
                "America/New_York" => Weekdays(new TimeOnly(7, 0), new TimeOnly(10, 0)),
                "Asia/Kolkata" => Weekdays(new TimeOnly(16, 0), new TimeOnly(21, 0)),
                "Australia/Sydney" => Weekdays(new TimeOnly(21, 0), TimeOnly.MinValue),
                _ => Weekdays(new TimeOnly(11, 0), new TimeOnly(15, 0)),
            };
            people[i] = people[i] with { Weekly = [.. people[i].Weekly, .. extra] };
        }
        return people;
    }

    /// <summary>Weekly 60-minute sessions from the first Monday, home zone London, 15-minute steps.</summary>
    public static SlotRequest FindRequest(int weeks, int? quorum) =>
        new(60, FirstDay, FirstDay.AddDays(weeks * 7 - 1), SlotCadence.Weekly, "Europe/London") { Quorum = quorum };

    /// <summary>
    /// For a whole program, at least a tenth of the people who are not required. All but one of a program spread over
    /// four zones is never free at once (in this data at most about a sixth are, at the best weekly slot).
    /// </summary>
    public static int ProgramQuorum(int people) => Math.Max(1, (people - 2) / 10);

    private static List<WeeklyWindow> Broad() =>
    [
        .. Enumerable.Range(1, 5).Select(d => new WeeklyWindow((DayOfWeek)d, new TimeOnly(7, 0), new TimeOnly(22, 0))),
        new WeeklyWindow(DayOfWeek.Saturday, new TimeOnly(9, 0), new TimeOnly(13, 0)),
    ];

    // Local patterns keep clear of 01:00–04:00, when these zones change their clocks, so that plain
    // TimeZoneInfo conversion (used to feed PostgreSQL) and the finder's wall-clock reading agree.
    private static List<WeeklyWindow> Pattern(Random rng)
    {
        var list = new List<WeeklyWindow>();
        var kind = rng.Next(10);
        if (kind < 4) // office hours on most weekdays
        {
            for (var d = 1; d <= 5; d++)
                if (rng.Next(10) < 8)
                    list.Add(new((DayOfWeek)d, new TimeOnly(8, 0).AddMinutes(rng.Next(9) * 15), new TimeOnly(16, 0).AddMinutes(rng.Next(11) * 15)));
        }
        else if (kind < 7) // evenings and a weekend morning
        {
            for (var d = 0; d < 7; d++)
                if (rng.Next(10) < 6)
                    list.Add(new((DayOfWeek)d, new TimeOnly(18, 0).AddMinutes(rng.Next(3) * 30), new TimeOnly(21, 0).AddMinutes(rng.Next(3) * 30)));
            list.Add(new(rng.Next(2) == 0 ? DayOfWeek.Saturday : DayOfWeek.Sunday, new TimeOnly(10, 0), new TimeOnly(13, 0)));
        }
        else if (kind < 9) // early mornings, lunch breaks, Sunday afternoon
        {
            for (var d = 1; d <= 5; d++)
            {
                if (rng.Next(10) < 6) list.Add(new((DayOfWeek)d, new TimeOnly(6, 30), new TimeOnly(8, 30)));
                if (rng.Next(10) < 5) list.Add(new((DayOfWeek)d, new TimeOnly(12, 0), new TimeOnly(13, 30)));
            }
            list.Add(new(DayOfWeek.Sunday, new TimeOnly(15, 0), new TimeOnly(18, 0)));
        }
        else // late nights, past midnight into the next day
        {
            for (var d = 1; d <= 5; d++)
            {
                if (rng.Next(10) >= 7) continue;
                list.Add(new((DayOfWeek)d, new TimeOnly(21, 0), TimeOnly.MinValue));
                list.Add(new((DayOfWeek)(d + 1), TimeOnly.MinValue, new TimeOnly(0, 45)));
            }
        }
        return list;
    }

    private static IEnumerable<WeeklyWindow> Weekdays(TimeOnly from, TimeOnly to) =>
        Enumerable.Range(1, 5).Select(d => new WeeklyWindow((DayOfWeek)d, from, to));

    /// <summary>A local window that covers Wednesday 14:00–16:00 UTC whether or not the zone is on summer time.</summary>
    private static WeeklyWindow CoreHour(string zone) => zone switch
    {
        "Europe/London" => new(DayOfWeek.Wednesday, new TimeOnly(13, 0), new TimeOnly(18, 0)),
        "America/New_York" => new(DayOfWeek.Wednesday, new TimeOnly(8, 0), new TimeOnly(13, 0)),
        "Asia/Kolkata" => new(DayOfWeek.Wednesday, new TimeOnly(19, 0), new TimeOnly(22, 0)),
        "Australia/Sydney" => new(DayOfWeek.Thursday, TimeOnly.MinValue, new TimeOnly(4, 0)),
        _ => throw new ArgumentOutOfRangeException(nameof(zone), zone, null),
    };

    /// <summary>True when a busy block would cut into Wednesday 12:00–18:00 UTC (the core hour with room either side).</summary>
    private static bool InCoreHour(BusyBlock b)
    {
        foreach (var day in new[] { b.Start.UtcDateTime.Date, b.End.UtcDateTime.Date })
        {
            if (day.DayOfWeek != DayOfWeek.Wednesday) continue;
            var core = new DateTimeOffset(day.AddHours(12), TimeSpan.Zero);
            if (b.Start < core.AddHours(6) && core < b.End) return true;
        }
        return false;
    }

    /// <summary>
    /// Each person's weekly windows as UTC ranges over the span (away dates left out), and their busy blocks: what
    /// a booking table would hold, and what the PostgreSQL baseline is given.
    /// </summary>
    public static (long[] Person, DateTime[] Start, DateTime[] End) WindowInstants(IReadOnlyList<PersonAvailability> people, DateTimeOffset from, DateTimeOffset to)
    {
        var p = new List<long>();
        var s = new List<DateTime>();
        var e = new List<DateTime>();
        foreach (var person in people)
        {
            var tz = TimeZoneInfo.FindSystemTimeZoneById(person.TimeZoneId);
            var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, tz).DateTime).AddDays(-1);
            var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to, tz).DateTime).AddDays(1);
            for (var day = first; day <= last; day = day.AddDays(1))
            {
                if (person.Away.Any(a => a.From <= day && day <= a.To)) continue;
                foreach (var w in person.Weekly.Where(w => w.Day == day.DayOfWeek))
                {
                    var start = TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(w.Start), tz);
                    var end = TimeZoneInfo.ConvertTimeToUtc(w.EndsAtMidnight ? day.AddDays(1).ToDateTime(TimeOnly.MinValue) : day.ToDateTime(w.End), tz);
                    p.Add(person.PersonId);
                    s.Add(DateTime.SpecifyKind(start, DateTimeKind.Utc));
                    e.Add(DateTime.SpecifyKind(end, DateTimeKind.Utc));
                }
            }
        }
        return ([.. p], [.. s], [.. e]);
    }

    public static (long[] Person, DateTime[] Start, DateTime[] End) BusyInstants(IReadOnlyList<PersonAvailability> people)
    {
        var blocks = people.SelectMany(x => x.Busy.Select(b => (x.PersonId, b))).ToList();
        return ([.. blocks.Select(x => x.PersonId)], [.. blocks.Select(x => x.b.Start.UtcDateTime)], [.. blocks.Select(x => x.b.End.UtcDateTime)]);
    }
}
