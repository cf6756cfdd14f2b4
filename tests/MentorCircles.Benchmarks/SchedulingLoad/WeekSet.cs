namespace MentorCircles.Benchmarks.SchedulingLoad;

/// <summary>
/// Times of the week as minutes from Sunday 00:00 (as .NET's DayOfWeek and mentor.availability_window.day), wrapping
/// at the week's end. Used to build a person's weekly windows without overlaps and to ask whether they cover a time.
/// </summary>
internal sealed class WeekSet
{
    public const int Week = 7 * 1440;
    private readonly List<(int Start, int End)> parts = [];
    private List<(int Start, int End)>? merged;

    public static int MinuteOfWeek(DateTime local) => (int)local.DayOfWeek * 1440 + local.Hour * 60 + local.Minute;

    public void Add(int start, int end)
    {
        var length = end - start;
        if (length <= 0) return;
        merged = null;
        if (length >= Week) { parts.Add((0, Week)); return; }
        start = ((start % Week) + Week) % Week;
        end = start + length;
        if (end <= Week) parts.Add((start, end));
        else { parts.Add((start, Week)); parts.Add((0, end - Week)); }
    }

    /// <summary>Sorted, with overlapping and touching parts joined.</summary>
    public IReadOnlyList<(int Start, int End)> Merged()
    {
        if (merged is not null) return merged;
        var list = new List<(int Start, int End)>();
        foreach (var p in parts.OrderBy(p => p.Start))
        {
            if (list.Count > 0 && p.Start <= list[^1].End) list[^1] = (list[^1].Start, Math.Max(list[^1].End, p.End));
            else list.Add(p);
        }
        return merged = list;
    }

    /// <summary>True when every minute of [start, end) (wrapping at the week's end) is in the set.</summary>
    public bool Covers(int start, int end)
    {
        var probe = new WeekSet();
        probe.Add(start, end);
        var mine = Merged();
        // A wrapped probe is covered when both its pieces are; the set's own wrap is split the same way, so a piece
        // that reaches the week's end is matched against a part ending at Week.
        return probe.parts.All(p => mine.Any(m => m.Start <= p.Start && p.End <= m.End));
    }

    /// <summary>The set as rows of mentor.availability_window: (day, start, end), end 00:00 meaning the end of the day.</summary>
    public IEnumerable<(DayOfWeek Day, TimeOnly Start, TimeOnly End)> Rows()
    {
        foreach (var (s0, e) in Merged())
        {
            for (var s = s0; s < e;)
            {
                var day = s / 1440;
                var dayEnd = (day + 1) * 1440;
                var end = Math.Min(e, dayEnd);
                yield return ((DayOfWeek)day, TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(s - day * 1440)),
                    end == dayEnd ? TimeOnly.MinValue : TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(end - day * 1440)));
                s = end;
            }
        }
    }
}
