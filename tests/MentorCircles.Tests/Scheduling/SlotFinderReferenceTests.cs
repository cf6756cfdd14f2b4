using MentorCircles.Core.Scheduling;
using static MentorCircles.Tests.Scheduling.SlotFinderKit;

namespace MentorCircles.Tests.Scheduling;

/// <summary>
/// The slot finder against slow minute-by-minute answers on seeded random circles, across nine awkward time zones
/// and around their 2027 clock changes.
/// </summary>
public sealed class SlotFinderReferenceTests
{
    public static TheoryData<int> Seeds(int count) => [.. Enumerable.Range(1, count)];

    [Theory]
    [MemberData(nameof(Seeds), 120)]
    public void CommonFreeTime_matches_a_minute_by_minute_check(int seed)
    {
        var rng = new Random(seed);
        var around = AroundChanges[rng.Next(AroundChanges.Length)];
        var people = Enumerable.Range(1, rng.Next(1, 5)).Select(i => RandomPerson(rng, i, around)).ToList();
        // Start at any minute, so the span cuts through windows and busy blocks.
        var from = new DateTimeOffset(around.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddMinutes(rng.Next(-1440, 1440));
        var minutes = rng.Next(1, 9 * 1440);

        var free = SlotFinder.CommonFreeTime(people, from, from.AddMinutes(minutes));

        for (var i = 0; i < free.Count; i++)
        {
            Assert.True(free[i].Start < free[i].End, $"empty interval {i}");
            Assert.True(i == 0 || free[i - 1].End < free[i].Start, $"interval {i} overlaps or touches the one before");
            Assert.Equal(TimeSpan.Zero, free[i].Start.Offset);
        }
        Assert.True(free.Count == 0 || (free[0].Start >= from && free[^1].End <= from.AddMinutes(minutes)));
        var expected = CommonFreeMinutesReference(people, from, minutes);
        var actual = ToMinutes(free, from, minutes);
        var firstDifference = Enumerable.Range(0, minutes).FirstOrDefault(m => expected[m] != actual[m], -1);
        Assert.True(firstDifference < 0,
            $"seed {seed}: at {from.AddMinutes(firstDifference):u} the reference says {(firstDifference < 0 ? "" : expected[firstDifference])}; " +
            $"zones {string.Join(", ", people.Select(p => p.TimeZoneId))}");
    }

    [Theory]
    [MemberData(nameof(Seeds), 60)]
    public void Find_ranks_exactly_as_a_brute_force_search_does(int seed)
    {
        var (request, people) = RandomCircle(seed);

        var found = SlotFinder.Find(request, people);
        var expected = FindReference(request, people);

        Assert.Equal(expected.Count, found.Count);
        for (var i = 0; i < found.Count; i++)
        {
            var because = $"seed {seed}, candidate {i}, request {request}";
            Assert.True(expected[i].FirstStartUtc == found[i].FirstStartUtc, $"{because}: starts {found[i].FirstStartUtc:u}, reference {expected[i].FirstStartUtc:u}");
            Assert.True(expected[i].LocalTime == found[i].LocalTime, because);
            Assert.True(expected[i].Missed == found[i].MissedPersonOccurrences, because);
            Assert.True(expected[i].Outside == found[i].OutsideWakingPersonOccurrences, because);
            Assert.Equal(expected[i].CannotCome.Select(c => string.Join(",", c)), found[i].Occurrences.Select(o => string.Join(",", o.CannotCome)));
        }
    }

    /// <summary>Zones whose clocks change within a week after each of the dates in <see cref="SlotFinderKit.AroundChanges"/>.</summary>
    private static readonly Dictionary<DateOnly, string[]> ChangingSoon = new()
    {
        [D("2027-03-10")] = ["America/New_York", "America/St_Johns"],
        [D("2027-03-24")] = ["Europe/London"],
        [D("2027-03-31")] = ["Australia/Sydney", "Australia/Lord_Howe", "Pacific/Chatham"],
        [D("2027-09-22")] = ["Pacific/Chatham"],
        [D("2027-09-29")] = ["Australia/Sydney", "Australia/Lord_Howe"],
        [D("2027-10-27")] = ["Europe/London"],
        [D("2027-11-03")] = ["America/New_York", "America/St_Johns"],
        [D("2027-01-13")] = ["UTC"],
    };

    private static (SlotRequest Request, List<PersonAvailability> People) RandomCircle(int seed)
    {
        var rng = new Random(1000 + seed);
        var around = AroundChanges[rng.Next(AroundChanges.Length)];
        // Generous windows so that random circles have slots at all.
        var people = Enumerable.Range(1, rng.Next(2, 7))
            .Select(i => RandomPerson(rng, i, around, required: i == 1) is var p && rng.Next(2) == 0
                ? p with { Weekly = [.. p.Weekly, .. EveryDay("07:00", "12:00").Where(_ => rng.Next(2) == 0)] }
                : p)
            .ToList();
        int[] steps = [15, 30, 60, 20];
        var request = new SlotRequest(
            rng.Next(1, 9) * 15 + (rng.Next(4) == 0 ? 5 : 0),
            around.AddDays(rng.Next(-3, 3)),
            around.AddDays(rng.Next(7, 36)),
            rng.Next(4) == 0 ? SlotCadence.Once : rng.Next(3) == 0 ? SlotCadence.Fortnightly : SlotCadence.Weekly,
            // Mostly a home zone whose clocks change in the window, so that recurring slots cross the change.
            rng.Next(3) == 0 ? Zones[rng.Next(Zones.Length)] : ChangingSoon[around][rng.Next(ChangingSoon[around].Length)])
        {
            StepMinutes = steps[rng.Next(steps.Length)],
            Quorum = rng.Next(3) == 0 ? 0 : null,
            MaxResults = rng.Next(1, 30),
        };
        return (request, people);
    }

    [Fact]
    public void The_random_circles_do_produce_slots_and_clock_changes()
    {
        // Guards the two tests above against passing only on empty answers.
        var withSlots = 0;
        for (var seed = 1; seed <= 40; seed++)
        {
            var rng = new Random(seed);
            var around = AroundChanges[rng.Next(AroundChanges.Length)];
            var people = Enumerable.Range(1, rng.Next(1, 5)).Select(i => RandomPerson(rng, i, around)).ToList();
            var from = new DateTimeOffset(around.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddMinutes(rng.Next(-1440, 1440));
            if (SlotFinder.CommonFreeTime(people, from, from.AddMinutes(rng.Next(1, 9 * 1440))).Count > 0) withSlots++;
        }
        Assert.True(withSlots >= 10, $"only {withSlots} of 40 random circles had any common free time");

        var found = Enumerable.Range(1, 60).Select(RandomCircle).Select(c => SlotFinder.Find(c.Request, c.People)).ToList();
        Assert.True(found.Count(f => f.Count > 0) >= 30, $"only {found.Count(f => f.Count > 0)} of 60 random circles had a slot");
        Assert.True(found.Count(f => f.Any(c => c.MissedPersonOccurrences > 0)) >= 5, "too few random slots have someone missing");
        var crossing = found.Count(f => f.Any(c => c.Occurrences.Select(o => o.StartUtc.TimeOfDay).Distinct().Count() > 1));
        Assert.True(crossing >= 10, $"only {crossing} random circles have a slot that crosses a clock change; with slots {found.Count(f => f.Count > 0)}");
    }
}
