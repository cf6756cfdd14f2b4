using System.Diagnostics;
using MentorCircles.Core.Scheduling;

namespace MentorCircles.Benchmarks.Scheduling;

/// <summary>What the slot-finder benchmarks run on, printed for docs/PERFORMANCE.md, plus the PostgreSQL agreement check for every case.</summary>
public static class SlotFinderDataReport
{
    public static void Print()
    {
        Describe("12-person circle", SlotFinderData.Circle(), SlotFinderData.FindRequest(8, quorum: null), 8);
        foreach (var weeks in new[] { 4, 12 })
            foreach (var n in new[] { 10, 100, 1_000, 10_000 })
                Describe($"{n} people", SlotFinderData.People(n, weeks), SlotFinderData.FindRequest(weeks, SlotFinderData.ProgramQuorum(n)), weeks);

        Console.WriteLine();
        foreach (var core in new[] { false, true })
            foreach (var weeks in new[] { 4, 12 })
                foreach (var n in new[] { 10, 100, 1_000 })
                {
                    Console.Write($"PostgreSQL check, {n} people, {weeks} weeks, core hour {core}: ");
                    var b = new SlotFinderPostgresBaseline { People = n, Weeks = weeks, CoreHour = core };
                    try { b.SetupPostgres(); }
                    finally { b.Cleanup(); }
                }
    }

    private static void Describe(string label, PersonAvailability[] people, SlotRequest request, int weeks)
    {
        var from = SlotFinderData.FirstInstant;
        var to = from.AddDays(weeks * 7);
        var sw = Stopwatch.StartNew();
        var found = SlotFinder.Find(request, people);
        var findMs = sw.Elapsed.TotalMilliseconds;
        var common = SlotFinder.CommonFreeTime(people, from, to);
        var core = SlotFinder.CommonFreeTime(SlotFinderData.People(people.Length, weeks, coreHour: true), from, to);

        // How many people (in order) it takes for the common free time to become empty: where CommonFreeTime stops.
        int lo = 1, hi = people.Length + 1;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (SlotFinder.CommonFreeTime(people[..mid], from, to).Count == 0) hi = mid; else lo = mid + 1;
        }

        Console.WriteLine($"{label}, {weeks} weeks: {people.Sum(p => p.Weekly.Count) / (double)people.Length:0.0} weekly windows/person, " +
                          $"{people.Count(p => p.Away.Count > 0)} away, {people.Sum(p => p.Busy.Count)} busy blocks; " +
                          $"quorum {request.Quorum?.ToString() ?? "all but one"}");
        Console.WriteLine($"  Find: {found.Count} candidates (first call {findMs:0.0} ms, cold)" +
                          (found.Count > 0 ? $"; best {found[0].LocalDay} {found[0].LocalTime:HH\\:mm}: {Shorten(found[0].Explanation)}" : ""));
        Console.WriteLine($"  CommonFreeTime: {common.Count} intervals, {common.Sum(i => (i.End - i.Start).TotalHours):0.#} h; " +
                          (lo <= people.Length ? $"empty from the first {lo} people on" : "never empty") +
                          $"; with the core hour: {core.Count} intervals, {core.Sum(i => (i.End - i.Start).TotalHours):0.#} h");
    }

    private static string Shorten(string s) => s.Length <= 160 ? s : s[..160] + "…";
}
