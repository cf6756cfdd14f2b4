using System.Globalization;
using MentorCircles.Core.Scheduling;

namespace MentorCircles.Tests.Scheduling;

/// <summary>Builders for readable slot-finder tests, and minute-by-minute reference answers to check it against.</summary>
internal static class SlotFinderKit
{
    public static WeeklyWindow W(DayOfWeek day, string from, string to) => new(day, T(from), T(to));

    public static TimeOnly T(string hhmm) => TimeOnly.ParseExact(hhmm, "HH:mm", CultureInfo.InvariantCulture);

    public static DateOnly D(string iso) => DateOnly.ParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static PersonAvailability Person(long id, string zone, params WeeklyWindow[] weekly) =>
        new(id, zone, false, weekly, [], []) { Name = $"P{id}" };

    public static PersonAvailability Required(long id, string zone, params WeeklyWindow[] weekly) =>
        new(id, zone, true, weekly, [], []) { Name = $"R{id}" };

    public static WeeklyWindow[] EveryDay(string from, string to) =>
        Enum.GetValues<DayOfWeek>().Select(d => W(d, from, to)).ToArray();

    public static DateTimeOffset LocalToUtcReference(string zone, DateOnly date, TimeOnly time)
    {
        // Written against TimeZoneInfo's own gap and overlap answers, independently of ZoneOffsets.
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (tz.IsAmbiguousTime(local))
            return new DateTimeOffset(local.Ticks - tz.GetAmbiguousTimeOffsets(local).Max().Ticks, TimeSpan.Zero);
        if (tz.IsInvalidTime(local))
            return new DateTimeOffset(local.Ticks - tz.GetUtcOffset(local.AddHours(-36)).Ticks, TimeSpan.Zero);
        return new DateTimeOffset(local.Ticks - tz.GetUtcOffset(local).Ticks, TimeSpan.Zero);
    }

    /// <summary>
    /// Per person and minute from <paramref name="from"/>: is the person free for that whole minute? Decided from their
    /// wall clock at that instant, the way a person reads their own calendar.
    /// </summary>
    public static bool[][] FreeMinutes(IReadOnlyList<PersonAvailability> people, DateTimeOffset from, int minutes)
    {
        var result = new bool[people.Count][];
        for (var p = 0; p < people.Count; p++)
        {
            var person = people[p];
            var tz = TimeZoneInfo.FindSystemTimeZoneById(person.TimeZoneId);
            var free = result[p] = new bool[minutes];
            for (var m = 0; m < minutes; m++)
            {
                var utc = from.AddMinutes(m);
                var local = TimeZoneInfo.ConvertTime(utc, tz).DateTime;
                var date = DateOnly.FromDateTime(local);
                var time = TimeOnly.FromDateTime(local);
                free[m] =
                    !person.Away.Any(a => a.From <= date && date <= a.To)
                    && person.Weekly.Any(w => w.Day == local.DayOfWeek && w.Start <= time && (w.EndsAtMidnight || time < w.End))
                    && !person.Busy.Any(b => b.Start <= utc && utc < b.End);
            }
        }
        return result;
    }

    public static bool[] CommonFreeMinutesReference(IReadOnlyList<PersonAvailability> people, DateTimeOffset from, int minutes)
    {
        var each = FreeMinutes(people, from, minutes);
        return Enumerable.Range(0, minutes).Select(m => each.All(f => f[m])).ToArray();
    }

    public static bool[] ToMinutes(IReadOnlyList<UtcInterval> intervals, DateTimeOffset from, int minutes)
    {
        var result = new bool[minutes];
        foreach (var i in intervals)
        {
            var a = (int)(i.Start - from).TotalMinutes;
            var b = (int)(i.End - from).TotalMinutes;
            for (var m = a; m < b; m++) result[m] = true;
        }
        return result;
    }

    public sealed record ReferenceCandidate(DateTimeOffset FirstStartUtc, TimeOnly LocalTime, long Missed, long Outside, IReadOnlyList<IReadOnlyList<long>> CannotCome);

    /// <summary>
    /// Find done the slow way: every candidate, every occurrence, every person, every minute of the session, using
    /// TimeZoneInfo directly. Slow, but obviously right, and written without any of SlotFinder's code.
    /// </summary>
    public static IReadOnlyList<ReferenceCandidate> FindReference(SlotRequest r, IReadOnlyList<PersonAvailability> people)
    {
        var days = r.ToDate.DayNumber - r.FromDate.DayNumber + 1;
        var period = r.Cadence switch { SlotCadence.Weekly => 7, SlotCadence.Fortnightly => 14, _ => days };
        var slots = 1440 / r.StepMinutes;
        var from = LocalToUtcReference(r.HomeTimeZoneId, r.FromDate, TimeOnly.MinValue).AddHours(-6);
        var span = (days + 1) * 1440 + 12 * 60 + r.LengthMinutes;
        var free = FreeMinutes(people, from, span);
        var awake = people.Select(p =>
        {
            var tz = TimeZoneInfo.FindSystemTimeZoneById(p.TimeZoneId);
            return Enumerable.Range(0, span).Select(m =>
            {
                var t = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(from.AddMinutes(m), tz).DateTime);
                return r.WakingFrom <= t && (r.WakingTo == TimeOnly.MinValue || t < r.WakingTo);
            }).ToArray();
        }).ToArray();
        var others = people.Count(p => !p.Required);
        var quorum = r.Quorum ?? Math.Max(0, others - 1);

        var found = new List<(ReferenceCandidate C, int Phase, int Slot)>();
        for (var phase = 0; phase < Math.Min(period, days); phase++)
        {
            for (var slot = 0; slot < slots; slot++)
            {
                var time = TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(slot * r.StepMinutes));
                long missed = 0, outside = 0;
                var ok = true;
                var cannot = new List<IReadOnlyList<long>>();
                DateTimeOffset? first = null;
                for (var day = phase; day < days && ok; day += period)
                {
                    var start = LocalToUtcReference(r.HomeTimeZoneId, r.FromDate.AddDays(day), time);
                    first ??= start;
                    var m0 = (int)(start - from).TotalMinutes;
                    var absent = new List<long>();
                    var freeOthers = 0;
                    for (var p = 0; p < people.Count; p++)
                    {
                        var all = Enumerable.Range(m0, r.LengthMinutes).All(m => free[p][m]);
                        if (!Enumerable.Range(m0, r.LengthMinutes).All(m => awake[p][m])) outside++;
                        if (people[p].Required) { if (!all) ok = false; }
                        else if (all) freeOthers++;
                        else absent.Add(people[p].PersonId);
                    }
                    if (freeOthers < quorum) ok = false;
                    missed += absent.Count;
                    cannot.Add(absent);
                }
                if (ok) found.Add((new ReferenceCandidate(first!.Value, time, missed, outside, cannot), phase, slot));
            }
        }
        return found
            .OrderBy(f => f.C.Missed).ThenBy(f => f.C.Outside).ThenBy(f => f.Phase).ThenBy(f => f.Slot)
            .Take(r.MaxResults)
            .Select(f => f.C)
            .ToList();
    }

    /// <summary>Zones chosen for their awkwardness: opposite hemispheres, half-hour and 45-minute offsets, a 30-minute DST shift.</summary>
    public static readonly string[] Zones =
    [
        "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney",
        "Australia/Lord_Howe", "Pacific/Chatham", "America/St_Johns", "Asia/Kathmandu", "UTC",
    ];

    /// <summary>Dates near the 2027 clock changes in those zones, and one far from any.</summary>
    public static readonly DateOnly[] AroundChanges =
    [
        D("2027-03-10"), D("2027-03-24"), D("2027-03-31"), D("2027-09-22"), D("2027-09-29"),
        D("2027-10-27"), D("2027-11-03"), D("2027-01-13"),
    ];

    public static PersonAvailability RandomPerson(Random rng, long id, DateOnly around, bool required = false)
    {
        var zone = Zones[rng.Next(Zones.Length)];
        var weekly = new List<WeeklyWindow>();
        for (var i = rng.Next(1, 9); i > 0; i--)
        {
            var day = (DayOfWeek)rng.Next(7);
            // Mostly round times, sometimes any minute, sometimes the small hours where clocks change.
            var start = rng.Next(10) switch
            {
                0 => rng.Next(0, 1440),
                1 => rng.Next(0, 16) * 15,
                _ => rng.Next(0, 96) * 15,
            };
            var end = start + rng.Next(1, 48) * 15 + (rng.Next(5) == 0 ? rng.Next(1, 15) : 0);
            weekly.Add(end >= 1440 || rng.Next(12) == 0
                ? new WeeklyWindow(day, TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(start)), TimeOnly.MinValue)
                : new WeeklyWindow(day, TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(start)), TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(end))));
        }
        var away = new List<AwayPeriod>();
        if (rng.Next(3) == 0)
        {
            var a = around.AddDays(rng.Next(-3, 14));
            away.Add(new AwayPeriod(a, a.AddDays(rng.Next(0, 4))));
        }
        var busy = new List<BusyBlock>();
        var baseUtc = new DateTimeOffset(around.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        for (var i = rng.Next(0, 5); i > 0; i--)
        {
            var s = baseUtc.AddMinutes(rng.Next(-2 * 1440, 16 * 1440));
            busy.Add(new BusyBlock(s, s.AddMinutes(rng.Next(0, 24) * 15 + rng.Next(0, 3))));
        }
        return new PersonAvailability(id, zone, required, weekly, away, busy) { Name = $"P{id}" };
    }
}
