using System.Collections.Concurrent;

namespace MentorCircles.Core.Scheduling;

/// <summary>
/// A time zone's UTC offset over a stretch of instants, as segments of constant offset. All times are DateTime ticks:
/// "UTC ticks" count from 0001-01-01 00:00 UTC, "local ticks" from 0001-01-01 00:00 on the zone's wall clock.
/// </summary>
/// <remarks>
/// TimeZoneInfo answers one instant at a time and costs a few hundred nanoseconds a call; a thousand people over
/// twelve weeks would make hundreds of thousands of calls. The transitions of a zone in a year are found once (a sample
/// a day, then a binary search to the second), cached for the process, and every conversion after that is arithmetic.
/// This assumes no zone changes its offset twice within one day, which no IANA zone does.
/// </remarks>
internal sealed class ZoneOffsets
{
    private sealed record YearOffsets(long Initial, long[] Transitions, long[] After);

    private static readonly ConcurrentDictionary<(string Zone, int Year), YearOffsets> years = new();

    // Segment i covers UTC ticks [starts[i], starts[i + 1]) at offsets[i]; starts[0] is long.MinValue and the last is open-ended.
    private readonly long[] starts;
    private readonly long[] offsets;

    private ZoneOffsets(long[] starts, long[] offsets)
    {
        this.starts = starts;
        this.offsets = offsets;
    }

    public int SegmentCount => starts.Length;

    /// <summary>The offsets that hold at any instant in [fromUtc, toUtc], with a couple of days to spare either side.</summary>
    public static ZoneOffsets For(TimeZoneInfo tz, long fromUtc, long toUtc)
    {
        var firstYear = new DateTime(fromUtc - 2 * TimeSpan.TicksPerDay).Year;
        var lastYear = new DateTime(toUtc + 2 * TimeSpan.TicksPerDay).Year;
        var s = new List<long>(4) { long.MinValue };
        var o = new List<long>(4);
        for (var y = firstYear; y <= lastYear; y++)
        {
            var year = years.GetOrAdd((tz.Id, y), static (key, zone) => Compute(zone, key.Year), tz);
            if (o.Count == 0) o.Add(year.Initial);
            else if (o[^1] != year.Initial)
            {
                s.Add(new DateTime(y, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks);
                o.Add(year.Initial);
            }
            for (var i = 0; i < year.Transitions.Length; i++)
            {
                if (year.After[i] == o[^1]) continue;
                s.Add(year.Transitions[i]);
                o.Add(year.After[i]);
            }
        }
        return new ZoneOffsets([.. s], [.. o]);
    }

    private static YearOffsets Compute(TimeZoneInfo tz, int year)
    {
        var start = new DateTime(year, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var days = DateTime.IsLeapYear(year) ? 366 : 365;
        long Offset(DateTime utc) => tz.GetUtcOffset(utc).Ticks;

        var initial = Offset(start);
        var prev = initial;
        var transitions = new List<long>(2);
        var after = new List<long>(2);
        for (var k = 1; k <= days; k++)
        {
            var day = start.AddDays(k);
            var cur = Offset(day);
            if (cur == prev) continue;
            // The offset changed at some second in (day - 1 day, day]: find the first second that has the new offset.
            var dayBefore = day.AddDays(-1);
            int lo = 0, hi = 86_400;
            while (hi - lo > 1)
            {
                var mid = (lo + hi) / 2;
                if (Offset(dayBefore.AddSeconds(mid)) == prev) lo = mid; else hi = mid;
            }
            var t = dayBefore.AddSeconds(hi);
            transitions.Add(t.Ticks);
            after.Add(Offset(t));
            prev = cur;
        }
        return new YearOffsets(initial, [.. transitions], [.. after]);
    }

    /// <summary>The wall-clock reading at an instant.</summary>
    public long ToLocal(long utc)
    {
        var i = starts.Length - 1;
        while (utc < starts[i]) i--;
        return utc + offsets[i];
    }

    /// <summary>
    /// The instant of a wall-clock reading, for a meeting's start: a reading skipped by a spring-forward change is moved
    /// later by the length of the gap (01:30 becomes 02:30 when clocks jump from 01:00 to 02:00); a reading that happens
    /// twice on a fall-back night is the earlier of the two.
    /// </summary>
    public long ToUtc(long local)
    {
        for (var i = 0; i < starts.Length; i++)
        {
            var utc = local - offsets[i];
            if (i + 1 < starts.Length && utc >= starts[i + 1]) continue;
            // starts[0] is long.MinValue, so falling before a segment's start can only happen for i > 0: in the gap
            // before segment i. Read it with the offset from before the gap, which lands just as far past the change.
            return utc >= starts[i] ? utc : local - offsets[i - 1];
        }
        throw new InvalidOperationException("unreachable: the last segment is open-ended");
    }

    /// <summary>
    /// Adds the instants, clipped to [clipFrom, clipTo), at which the wall clock reads a time in [localStart, localEnd).
    /// Usually one interval; on a day the clocks change it can be two (a repeated hour) or shorter (a skipped one).
    /// </summary>
    public void AddCovered(long localStart, long localEnd, long clipFrom, long clipTo, List<TickRange> into)
    {
        for (var i = 0; i < starts.Length; i++)
        {
            var segEnd = i + 1 < starts.Length ? starts[i + 1] : long.MaxValue;
            var lo = Math.Max(Math.Max(localStart - offsets[i], starts[i]), clipFrom);
            var hi = Math.Min(Math.Min(localEnd - offsets[i], segEnd), clipTo);
            if (lo < hi) into.Add(new TickRange(lo, hi));
        }
    }

    /// <summary>Every offset that holds in the span, for aligning the slot grid.</summary>
    public IEnumerable<long> Offsets => offsets;
}

/// <summary>An interval of ticks, start included, end excluded.</summary>
internal readonly record struct TickRange(long Start, long End);
