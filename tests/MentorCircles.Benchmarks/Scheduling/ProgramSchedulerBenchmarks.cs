using BenchmarkDotNet.Attributes;
using MentorCircles.Core.Scheduling;

namespace MentorCircles.Benchmarks.Scheduling;

/// <summary>
/// The pure program-wide scheduler on one core: a whole program's circles given weekly slots for a 12-week term
/// (1 March to 23 May 2027, across the US, UK and Sydney clock changes), with people from <see cref="SlotFinderData"/>.
/// The database side (loading, storing proposals) is timed by the SchedulingLoad harness.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3, id: "Short")]
public class ProgramSchedulerBenchmarks
{
    [Params(60, 600)]
    public int Circles { get; set; }

    private ProgramScheduleInput input = null!;

    [GlobalSetup]
    public void Setup()
    {
        input = ProgramSchedulerData.Program(Circles * 25 / 3, Circles, weeks: 12);
        // The first call loads the zone list and each zone's offsets; it is not what is measured.
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var first = ProgramScheduler.Schedule(input);
        // What the data makes the scheduler do, so the figure is read with it: how many circles it placed, and why not.
        Console.WriteLine($"// {Circles} circles, {input.People.Count} people: first call {sw.ElapsedMilliseconds} ms, {first.PlacedCount} placed, "
            + $"{first.Circles.Sum(c => c.Sessions.Count)} sessions; not placed: "
            + string.Join("; ", first.Circles.Where(c => !c.Placed).GroupBy(c => c.Text.StartsWith("No weekly", StringComparison.Ordinal) ? "no common time" : "clashes or limits")
                .Select(g => $"{g.Count()} {g.Key}")));
    }

    [Benchmark(Description = "ProgramScheduler.Schedule")]
    public ProgramSchedule Schedule() => ProgramScheduler.Schedule(input);
}

/// <summary>
/// A generated program: people as in the slot-finder benchmarks (four zones, realistic weekly patterns, away periods,
/// busy blocks) who also keep Monday to Thursday evenings free; circles of one or two leads (from a pool of a sixteenth
/// of the people, so most lead two or three circles, limit 3 a week) and six to nine others drawn from three in five of
/// the people (so many are in two circles), mostly from the first lead's zone, some from anywhere; quorum half the
/// members; a blackout date; a few hundred sessions already booked. Most circles can be placed, and many compete.
/// </summary>
public static class ProgramSchedulerData
{
    public static ProgramScheduleInput Program(int peopleCount, int circleCount, int weeks, int seed = 600)
    {
        var rng = new Random(seed);
        // Everyone also keeps Monday to Thursday evenings for their circles, as people who join one do.
        var evenings = Enumerable.Range(1, 4).Select(d => new WeeklyWindow((DayOfWeek)d, new TimeOnly(17, 0), new TimeOnly(21, 0))).ToArray();
        var people = SlotFinderData.People(peopleCount, weeks).Select(p => p with { Required = false, Weekly = [.. p.Weekly, .. evenings] }).ToArray();
        // Members come from three in five of the people, so those are in one or two circles each.
        var byZone = people.Take(peopleCount * 3 / 5).GroupBy(p => p.TimeZoneId).ToDictionary(g => g.Key, g => g.Select(p => p.PersonId).ToArray());
        var leadPool = people.Skip(peopleCount * 3 / 5).Take(Math.Max(2, peopleCount / 16)).Select(p => p.PersonId).ToArray();
        var zoneOf = people.ToDictionary(p => p.PersonId, p => p.TimeZoneId);

        var circles = new List<ScheduledCircle>();
        for (var c = 0; c < circleCount; c++)
        {
            var leads = new List<long> { leadPool[rng.Next(leadPool.Length)] };
            if (rng.Next(4) == 0) leads.Add(leadPool[rng.Next(leadPool.Length)]);
            var zone = zoneOf[leads[0]];
            var members = new List<long>();
            for (var n = rng.Next(6, 10); members.Count < n;)
            {
                var pick = rng.Next(100) < 85 ? byZone[zone][rng.Next(byZone[zone].Length)] : people[rng.Next(peopleCount * 3 / 5)].PersonId;
                if (!leads.Contains(pick) && !members.Contains(pick)) members.Add(pick);
            }
            circles.Add(new ScheduledCircle(c + 1, $"Circle {c + 1}", zone, rng.Next(2) == 0 ? 60 : 90, leads.Distinct().ToList(), members)
            {
                Quorum = members.Count / 2,
            });
        }

        var booked = new List<BookedTime>();
        for (var i = 0; i < peopleCount / 20; i++)
        {
            var start = SlotFinderData.FirstInstant.AddDays(rng.Next(weeks * 7)).AddMinutes(rng.Next(24 * 4) * 15);
            booked.Add(new BookedTime(people[rng.Next(people.Length)].PersonId, start, start.AddHours(1), "Another program's circle"));
        }
        var limits = leadPool.ToDictionary(p => p, _ => 3);
        var from = SlotFinderData.FirstDay;
        return new ProgramScheduleInput(circles, people, booked, limits, from, from.AddDays(weeks * 7 - 1),
            new HashSet<DateOnly> { from.AddDays(5 * 7 + 4) }, new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }
}
