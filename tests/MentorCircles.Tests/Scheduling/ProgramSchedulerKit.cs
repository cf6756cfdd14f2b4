using MentorCircles.Core.Scheduling;
using static MentorCircles.Tests.Scheduling.SlotFinderKit;

namespace MentorCircles.Tests.Scheduling;

/// <summary>Small random programs across zones and clock changes, for property-style tests.</summary>
internal static class RandomProgram
{
    private static readonly string[] ProgramZones = ["Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney"];

    /// <summary>
    /// March and April 2027 (New York, London and Sydney all change their clocks): people free most days for a few hours,
    /// some away or busy, circles of one or two leads and two to six others drawn from a small pool so people share
    /// circles, a few sessions already booked, lead limits of one or two, and a blackout date.
    /// </summary>
    public static ProgramScheduleInput Make(Random rng, int peopleCount, int circleCount)
    {
        var from = D("2027-03-01");
        var to = D("2027-04-25");
        var people = new List<PersonAvailability>();
        for (var id = 1; id <= peopleCount; id++)
        {
            // Most days a stretch of three to ten hours starting between 06:00 and 14:00 on their own clock.
            var weekly = new List<WeeklyWindow>();
            foreach (var day in Enum.GetValues<DayOfWeek>())
            {
                if (rng.Next(5) == 0) continue;
                var start = rng.Next(6 * 4, 14 * 4) * 15;
                var end = Math.Min(start + rng.Next(12, 41) * 15, 1440);
                weekly.Add(new WeeklyWindow(day, TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(start)),
                    end == 1440 ? TimeOnly.MinValue : TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(end))));
            }
            var away = new List<AwayPeriod>();
            if (rng.Next(4) == 0)
            {
                var a = from.AddDays(rng.Next(0, 50));
                away.Add(new AwayPeriod(a, a.AddDays(rng.Next(0, 4))));
            }
            var busy = new List<BusyBlock>();
            if (rng.Next(4) == 0)
            {
                var s = Utc("2027-03-01T00:00:00Z").AddMinutes(rng.Next(0, 50 * 96) * 15);
                busy.Add(new BusyBlock(s, s.AddHours(rng.Next(1, 4))));
            }
            people.Add(new PersonAvailability(id, ProgramZones[rng.Next(ProgramZones.Length)], false, weekly, away, busy) { Name = $"P{id}" });
        }

        var circles = new List<ScheduledCircle>();
        for (var c = 1; c <= circleCount; c++)
        {
            // Mostly people of the circle's home zone, some from anywhere, so circles share people across zones.
            var home = ProgramZones[rng.Next(ProgramZones.Length)];
            var local = people.Where(p => p.TimeZoneId == home).Select(p => p.PersonId).OrderBy(_ => rng.Next()).ToList();
            var anywhere = people.Select(p => p.PersonId).OrderBy(_ => rng.Next()).ToList();
            var chosen = new List<long>();
            for (var size = rng.Next(4, 9); chosen.Count < size;)
            {
                var source = rng.Next(4) > 0 && local.Count > 0 ? local : anywhere;
                var pick = source[0];
                source.RemoveAt(0);
                if (!chosen.Contains(pick)) chosen.Add(pick);
            }
            var leads = chosen.Take(rng.Next(1, 3)).ToList();
            var members = chosen.Skip(leads.Count).ToList();
            int? quorum = rng.Next(3) == 0 ? rng.Next(0, members.Count + 1) : null;
            circles.Add(new ScheduledCircle(100 + c, $"Circle {c}", home, rng.Next(3) switch { 0 => 45, 1 => 60, _ => 90 },
                leads, members)
            { Quorum = quorum });
        }

        var booked = new List<BookedTime>();
        for (var i = 0; i < peopleCount / 4; i++)
        {
            var s = Utc("2027-03-01T06:00:00Z").AddDays(rng.Next(0, 55)).AddMinutes(rng.Next(0, 48) * 15);
            booked.Add(new BookedTime(rng.Next(1, peopleCount + 1), s, s.AddMinutes(60), $"Booked {i}", Leading: rng.Next(2) == 0));
        }
        var limits = Enumerable.Range(1, peopleCount).ToDictionary(i => (long)i, _ => rng.Next(1, 3));
        var blackout = from.AddDays(rng.Next(0, 56));
        return new ProgramScheduleInput(circles, people, booked, limits, from, to, new HashSet<DateOnly> { blackout }, Utc("2027-01-01T00:00:00Z"));
    }
}

/// <summary>The scheduler's rules, checked the slow and obvious way: minute by minute on each person's own wall clock.</summary>
internal static class Invariants
{
    public static void Check(ProgramScheduleInput input, ProgramSchedule schedule)
    {
        var people = input.People.ToDictionary(p => p.PersonId);
        var circles = input.Circles.ToDictionary(c => c.CircleId);
        var taken = new List<(long Person, DateTimeOffset Start, DateTimeOffset End, long Circle)>();
        foreach (var b in input.Booked) taken.Add((b.PersonId, b.Start, b.End, -1));
        var led = new Dictionary<(long, int), (int Before, int New)>();
        foreach (var b in input.Booked.Where(b => b.Leading))
        {
            var key = (b.PersonId, Week(people, b.PersonId, b.Start));
            led[key] = (led.GetValueOrDefault(key).Before + 1, 0);
        }

        foreach (var p in schedule.Circles.Where(p => p.Placed))
        {
            var c = circles[p.CircleId];
            var zone = TimeZoneInfo.FindSystemTimeZoneById(c.HomeTimeZoneId);
            var leads = c.Leads.Distinct().ToList();
            var members = c.Members.Distinct().Where(m => !leads.Contains(m)).ToList();
            var quorum = c.Quorum ?? Math.Max(0, members.Count - 1);
            Assert.NotEmpty(p.Sessions);
            Assert.True(p.Sessions[0].LocalDate.DayNumber - input.From.DayNumber < 7, $"{p.CircleName} starts after the first week");
            for (var k = 0; k < p.Sessions.Count; k++)
            {
                var s = p.Sessions[k];
                Assert.Equal(p.LocalDay, s.LocalDate.DayOfWeek);
                Assert.InRange(s.LocalDate, input.From, input.To);
                Assert.DoesNotContain(s.LocalDate, input.Blackouts);
                if (k > 0) Assert.Equal(0, (s.LocalDate.DayNumber - p.Sessions[k - 1].LocalDate.DayNumber) % 7);
                var local = TimeZoneInfo.ConvertTime(s.StartUtc, zone).DateTime;
                if (s.TimeNote is null) Assert.Equal(p.LocalTime, TimeOnly.FromDateTime(local));
                Assert.Equal(TimeSpan.FromMinutes(c.LengthMinutes), s.EndUtc - s.StartUtc);

                foreach (var lead in leads)
                {
                    Assert.True(Free(people, lead, s.StartUtc, s.EndUtc), $"lead {lead} of {p.CircleName} is not free at {s.StartUtc:u}");
                    var key = (lead, Week(people, lead, s.StartUtc));
                    var now = led.GetValueOrDefault(key);
                    led[key] = (now.Before, now.New + 1);
                }
                var absent = members.Where(m => !Free(people, m, s.StartUtc, s.EndUtc)).ToList();
                Assert.Equal(absent.Order(), s.CannotCome.Order());
                Assert.True(members.Count - absent.Count >= quorum, $"{p.CircleName} misses its quorum at {s.StartUtc:u}");
                foreach (var person in leads.Concat(members)) taken.Add((person, s.StartUtc, s.EndUtc, c.CircleId));
            }
        }

        foreach (var ((person, _), (before, added)) in led.Where(l => l.Value.New > 0))
            Assert.True(before + added <= (input.LeadLimits.TryGetValue(person, out var limit) ? limit : ProgramScheduler.DefaultLeadLimit),
                $"person {person} leads {before + added} sessions in one week");

        foreach (var mine in taken.GroupBy(t => t.Person))
        {
            var list = mine.OrderBy(t => t.Start).ToList();
            for (var i = 0; i < list.Count; i++)
                for (var j = i + 1; j < list.Count && list[j].Start < list[i].End; j++)
                    Assert.True(list[i].Circle < 0 && list[j].Circle < 0,
                        $"person {mine.Key} is in circle {list[i].Circle} and {list[j].Circle} at {list[j].Start:u}");
        }
    }

    private static int Week(Dictionary<long, PersonAvailability> people, long person, DateTimeOffset at)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(people.TryGetValue(person, out var p) ? p.TimeZoneId : "UTC");
        var local = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
        return local.DayNumber - ((int)local.DayOfWeek + 6) % 7;
    }

    /// <summary>Free for every minute of [start, end): inside a weekly window on their own clock, not away that date, not busy.</summary>
    private static bool Free(Dictionary<long, PersonAvailability> people, long person, DateTimeOffset start, DateTimeOffset end)
    {
        if (!people.TryGetValue(person, out var p)) return false;
        var tz = TimeZoneInfo.FindSystemTimeZoneById(p.TimeZoneId);
        for (var utc = start; utc < end; utc = utc.AddMinutes(1))
        {
            var local = TimeZoneInfo.ConvertTime(utc, tz).DateTime;
            var date = DateOnly.FromDateTime(local);
            var time = TimeOnly.FromDateTime(local);
            var ok = !p.Away.Any(a => a.From <= date && date <= a.To)
                && p.Weekly.Any(w => w.Day == local.DayOfWeek && w.Start <= time && (w.EndsAtMidnight || time < w.End))
                && !p.Busy.Any(b => b.Start <= utc && utc < b.End);
            if (!ok) return false;
        }
        return true;
    }
}
