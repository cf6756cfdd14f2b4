using System.Runtime.InteropServices;

namespace MentorCircles.Core.Scheduling;

public static partial class SlotFinder
{
    /// <summary>
    /// The instants in [fromUtc, toUtc) at which every one of <paramref name="people"/> is free — inside a weekly
    /// window, not on an away date, not in a busy block — as sorted, disjoint, non-touching intervals. With no people
    /// the whole span is free.
    /// </summary>
    /// <exception cref="Common.InvalidInputException">A time zone is unknown, a window or period is inverted, or the span is backwards or longer than 26 weeks.</exception>
    public static IReadOnlyList<UtcInterval> CommonFreeTime(IReadOnlyList<PersonAvailability> people, DateTimeOffset fromUtc, DateTimeOffset toUtc)
    {
        ValidateSpan(people, fromUtc, toUtc);
        var from = fromUtc.UtcTicks;
        var to = toUtc.UtcTicks;
        if (from == to) return [];
        if (people.Count == 0) return [new UtcInterval(fromUtc.ToUniversalTime(), toUtc.ToUniversalTime())];

        var zones = new ZoneCache(from, to);
        var work = new FreeTimeWork();
        var common = new List<TickRange>();
        var next = new List<TickRange>();
        for (var p = 0; p < people.Count; p++)
        {
            var free = work.Free(people[p], zones.Get(people[p].TimeZoneId), from, to);
            if (p == 0) common.AddRange(free);
            else
            {
                Intersect(common, free, next);
                (common, next) = (next, common);
            }
            // Nobody can be added back once the common time is empty, so the rest need not be expanded.
            if (common.Count == 0) return [];
        }
        return common.Select(r => new UtcInterval(new DateTimeOffset(r.Start, TimeSpan.Zero), new DateTimeOffset(r.End, TimeSpan.Zero))).ToList();
    }

    /// <summary>One offsets table per zone for one call; zones repeat across people, so each is built once.</summary>
    private sealed class ZoneCache(long fromUtc, long toUtc)
    {
        private readonly Dictionary<string, ZoneOffsets> byId = new(StringComparer.Ordinal);

        public ZoneOffsets Get(string id)
        {
            if (!byId.TryGetValue(id, out var z))
                byId[id] = z = ZoneOffsets.For(TimeZoneInfo.FindSystemTimeZoneById(id), fromUtc, toUtc);
            return z;
        }
    }

    /// <summary>Buffers reused across the people of one call, so expanding thousands of people allocates little.</summary>
    private sealed class FreeTimeWork
    {
        private readonly List<TickRange> windows = new(128);
        private readonly List<TickRange> busy = new(16);
        private readonly List<TickRange> free = new(128);
        private readonly List<WeeklyWindow> byDay = new(16);
        private readonly int[] dayStarts = new int[8];

        /// <summary>
        /// A person's free time in [from, to): their weekly windows on each local date that is not an away date,
        /// minus their busy blocks; sorted and merged. The list is reused by the next call.
        /// </summary>
        public List<TickRange> Free(PersonAvailability person, ZoneOffsets zone, long from, long to)
        {
            windows.Clear();
            GroupByDay(person.Weekly);
            // A local date can touch [from, to) only if it is within a day of the local readings at its ends.
            var firstDay = zone.ToLocal(from) / TimeSpan.TicksPerDay - 1;
            var lastDay = zone.ToLocal(to) / TimeSpan.TicksPerDay + 1;
            var dow = (int)DateOnly.FromDayNumber((int)firstDay).DayOfWeek;
            // Day by day and in start order within a day, so the list comes out sorted and the sort below is a check.
            for (var day = firstDay; day <= lastDay; day++, dow = dow == 6 ? 0 : dow + 1)
            {
                if (dayStarts[dow] == dayStarts[dow + 1] || IsAway(person.Away, (int)day)) continue;
                var midnight = day * TimeSpan.TicksPerDay;
                for (var i = dayStarts[dow]; i < dayStarts[dow + 1]; i++)
                {
                    var w = byDay[i];
                    zone.AddCovered(midnight + w.Start.Ticks, midnight + (w.EndsAtMidnight ? TimeSpan.TicksPerDay : w.End.Ticks), from, to, windows);
                }
            }
            SortAndMerge(windows);

            busy.Clear();
            foreach (var b in person.Busy)
            {
                var s = Math.Max(b.Start.UtcTicks, from);
                var e = Math.Min(b.End.UtcTicks, to);
                if (s < e) busy.Add(new TickRange(s, e));
            }
            if (busy.Count == 0) return windows;
            SortAndMerge(busy);
            Subtract(windows, busy, free);
            return free;
        }

        /// <summary>Sorts the weekly windows by day and start into byDay; dayStarts[d]..dayStarts[d + 1] are day d's.</summary>
        private void GroupByDay(IReadOnlyList<WeeklyWindow> weekly)
        {
            byDay.Clear();
            Array.Clear(dayStarts);
            foreach (var w in weekly) dayStarts[(int)w.Day + 1]++;
            for (var d = 1; d < 8; d++) dayStarts[d] += dayStarts[d - 1];
            foreach (var w in weekly) byDay.Add(w);
            CollectionsMarshal.AsSpan(byDay).Sort(static (a, b) => a.Day != b.Day ? a.Day.CompareTo(b.Day) : a.Start.CompareTo(b.Start));
        }

        private static bool IsAway(IReadOnlyList<AwayPeriod> away, int dayNumber)
        {
            for (var i = 0; i < away.Count; i++)
                if (away[i].From.DayNumber <= dayNumber && dayNumber <= away[i].To.DayNumber) return true;
            return false;
        }
    }

    /// <summary>Sorts by start and joins overlapping or touching intervals, in place.</summary>
    private static void SortAndMerge(List<TickRange> list)
    {
        if (list.Count < 2) return;
        var span = CollectionsMarshal.AsSpan(list);
        SortByStart(span);
        var w = 0;
        for (var i = 1; i < span.Length; i++)
        {
            if (span[i].Start <= span[w].End)
            {
                if (span[i].End > span[w].End) span[w] = new TickRange(span[w].Start, span[i].End);
            }
            else span[++w] = span[i];
        }
        CollectionsMarshal.SetCount(list, w + 1);
    }

    /// <summary>
    /// Free time is built in order and busy blocks usually arrive in order, so check first; nearly sorted short lists
    /// take an insertion sort, anything else the library sort.
    /// </summary>
    private static void SortByStart(Span<TickRange> span)
    {
        var sorted = true;
        for (var i = 1; i < span.Length && sorted; i++) sorted = span[i - 1].Start <= span[i].Start;
        if (sorted) return;
        if (span.Length > 64)
        {
            span.Sort(static (a, b) => a.Start.CompareTo(b.Start));
            return;
        }
        for (var i = 1; i < span.Length; i++)
        {
            var x = span[i];
            var j = i - 1;
            for (; j >= 0 && span[j].Start > x.Start; j--) span[j + 1] = span[j];
            span[j + 1] = x;
        }
    }

    /// <summary>a minus b, both sorted and merged, into output (cleared first).</summary>
    private static void Subtract(List<TickRange> a, List<TickRange> b, List<TickRange> output)
    {
        output.Clear();
        var j = 0;
        foreach (var r in a)
        {
            var s = r.Start;
            while (j < b.Count && b[j].End <= s) j++;
            for (var k = j; k < b.Count && b[k].Start < r.End && s < r.End; k++)
            {
                if (b[k].Start > s) output.Add(new TickRange(s, b[k].Start));
                s = Math.Max(s, b[k].End);
            }
            if (s < r.End) output.Add(new TickRange(s, r.End));
        }
    }

    /// <summary>a ∩ b, both sorted and merged, into output (cleared first).</summary>
    private static void Intersect(List<TickRange> a, List<TickRange> b, List<TickRange> output)
    {
        output.Clear();
        int i = 0, j = 0;
        while (i < a.Count && j < b.Count)
        {
            var s = Math.Max(a[i].Start, b[j].Start);
            var e = Math.Min(a[i].End, b[j].End);
            if (s < e) output.Add(new TickRange(s, e));
            if (a[i].End < b[j].End) i++; else j++;
        }
    }
}
