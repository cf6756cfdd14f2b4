using MentorCircles.Core.Common;

namespace MentorCircles.Core.Scheduling;

/// <summary>
/// One cell of the week grid: a slot of wall-clock time in the viewer's zone and the real instants it covers. A cell that
/// the clocks skip (spring forward) does not exist and counts nobody; the hour repeated when clocks go back is folded into
/// the cell it falls in, which then covers more real time and counts only people free for all of it.
/// </summary>
public sealed record AvailabilityCell(
    DateOnly Date, TimeOnly LocalStart, DateTimeOffset StartUtc, DateTimeOffset EndUtc, bool Exists,
    int FreeCount, IReadOnlyList<long> Missing);

/// <summary>A week of cells in the viewer's zone, Monday first; <see cref="ZoneLabel"/> names the zone shown, with its offsets that week.</summary>
public sealed record AvailabilityWeekGrid(
    DateOnly WeekStart, string ViewerZone, string ZoneLabel, int SlotMinutes, int PeopleCount, IReadOnlyList<AvailabilityCell> Cells)
{
    public int SlotsPerDay => 24 * 60 / SlotMinutes;

    /// <summary>The cell for day 0–6 (Monday–Sunday) and slot 0–<see cref="SlotsPerDay"/>−1.</summary>
    public AvailabilityCell this[int day, int slot] => Cells[day * SlotsPerDay + slot];
}

/// <summary>
/// Weekly windows, kept in each person's own zone, seen in a viewer's zone for one real week, so daylight-saving changes
/// on either side land where they do that week. A person counts as free in a cell only when free for the whole cell.
/// </summary>
public static class AvailabilityGrid
{
    public static readonly IReadOnlyList<int> SlotSizes = [15, 30, 60];

    public static AvailabilityWeekGrid ForWeek(
        IReadOnlyList<(long PersonId, string Zone, IReadOnlyList<AvailabilityWindow> Windows, IReadOnlyList<AwayRange> Away)> people,
        DateOnly weekStart, string viewerZone, int slotMinutes = 30)
    {
        var errors = new List<FieldError>();
        if (weekStart.DayOfWeek != DayOfWeek.Monday)
            errors.Add(new("WeekStart", $"A week starts on a Monday; {ScheduleText.Date(weekStart)} is a {weekStart.DayOfWeek}."));
        if (!TimeZones.IsValid(viewerZone))
            errors.Add(new("ViewerZone", $"\"{viewerZone}\" is not a time zone we know."));
        if (!SlotSizes.Contains(slotMinutes))
            errors.Add(new("SlotMinutes", $"Cells can be 15, 30 or 60 minutes; {slotMinutes} was asked for."));
        foreach (var p in people.Where(p => !TimeZones.IsValid(p.Zone)))
            errors.Add(new("Zone", $"Person {p.PersonId} has the time zone \"{p.Zone}\", which we do not know."));
        InvalidInputException.ThrowIfAny(errors);

        var viewer = ZoneMapping.Find(viewerZone);
        var slot = TimeSpan.FromMinutes(slotMinutes);
        var perDay = 24 * 60 / slotMinutes;
        var cells = new List<(DateOnly Date, TimeOnly Local, DateTimeOffset Start, DateTimeOffset End)>(7 * perDay);
        for (var d = 0; d < 7; d++)
            for (var s = 0; s < perDay; s++)
            {
                var local = weekStart.AddDays(d).ToDateTime(TimeOnly.MinValue) + slot * s;
                cells.Add((DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local),
                    ZoneMapping.Boundary(local, viewer), ZoneMapping.Boundary(local + slot, viewer)));
            }

        // Each person's free time that week as merged UTC intervals; a margin of two days covers every offset pair.
        var from = cells[0].Start.AddDays(-2);
        var to = cells[^1].End.AddDays(2);
        var free = people.Select(p => FreeIntervals(p.Zone, p.Windows, p.Away, from, to)).ToList();

        var result = new List<AvailabilityCell>(cells.Count);
        foreach (var c in cells)
        {
            var exists = c.End > c.Start;
            var missing = new List<long>();
            var count = 0;
            for (var i = 0; exists && i < people.Count; i++)
            {
                if (Covers(free[i], c.Start, c.End)) count++;
                else missing.Add(people[i].PersonId);
            }
            result.Add(new(c.Date, c.Local, c.Start, c.End, exists, count, missing));
        }
        return new(weekStart, viewerZone, Label(viewerZone, viewer, cells[0].Start, cells[^1].End), slotMinutes, people.Count, result);
    }

    /// <summary>One person's week seen from the viewer's zone: true where they are free for the whole cell ([day, slot], Monday first).</summary>
    public static bool[,] FreeCells(string personZone, IReadOnlyList<AvailabilityWindow> windows, IReadOnlyList<AwayRange> away,
        DateOnly weekStart, string viewerZone, int slotMinutes = 30)
    {
        var grid = ForWeek([(0, personZone, windows, away)], weekStart, viewerZone, slotMinutes);
        var cells = new bool[7, grid.SlotsPerDay];
        for (var d = 0; d < 7; d++)
            for (var s = 0; s < grid.SlotsPerDay; s++)
                cells[d, s] = grid[d, s].FreeCount == 1;
        return cells;
    }

    /// <summary>Free time between two instants as sorted, merged, non-touching UTC intervals, away days removed.</summary>
    internal static List<(DateTimeOffset Start, DateTimeOffset End)> FreeIntervals(
        string zoneId, IReadOnlyList<AvailabilityWindow> windows, IReadOnlyList<AwayRange> away, DateTimeOffset from, DateTimeOffset to)
    {
        var zone = ZoneMapping.Find(zoneId);
        var firstDay = DateOnly.FromDateTime(ZoneMapping.ToLocal(from, zone)).AddDays(-1);
        var lastDay = DateOnly.FromDateTime(ZoneMapping.ToLocal(to, zone)).AddDays(1);
        var raw = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
            foreach (var w in windows.Where(w => w.Day == day.DayOfWeek))
            {
                var midnight = day.ToDateTime(TimeOnly.MinValue);
                var start = ZoneMapping.Boundary(midnight + w.Start.ToTimeSpan(), zone);
                var end = ZoneMapping.Boundary(midnight + w.EndOfDay, zone);
                if (end > start) raw.Add((start, end));
            }
        var merged = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        foreach (var r in raw.OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && r.Start <= merged[^1].End)
                merged[^1] = (merged[^1].Start, r.End > merged[^1].End ? r.End : merged[^1].End);
            else merged.Add(r);
        }
        foreach (var a in away.Where(a => a.To >= firstDay && a.From <= lastDay))
        {
            var gone = (Start: ZoneMapping.Boundary(a.From.ToDateTime(TimeOnly.MinValue), zone),
                        End: ZoneMapping.Boundary(a.To.AddDays(1).ToDateTime(TimeOnly.MinValue), zone));
            merged = merged.SelectMany(f => Subtract(f, gone)).ToList();
        }
        return merged;
    }

    private static IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> Subtract(
        (DateTimeOffset Start, DateTimeOffset End) f, (DateTimeOffset Start, DateTimeOffset End) gone)
    {
        if (gone.End <= f.Start || gone.Start >= f.End) { yield return f; yield break; }
        if (f.Start < gone.Start) yield return (f.Start, gone.Start);
        if (gone.End < f.End) yield return (gone.End, f.End);
    }

    private static bool Covers(List<(DateTimeOffset Start, DateTimeOffset End)> free, DateTimeOffset start, DateTimeOffset end)
    {
        // Intervals are sorted and disjoint: the only candidate is the last one starting at or before the cell.
        int lo = 0, hi = free.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (free[mid].Start <= start) { found = mid; lo = mid + 1; } else hi = mid - 1;
        }
        return found >= 0 && free[found].End >= end;
    }

    private static string Label(string id, TimeZoneInfo zone, DateTimeOffset weekFrom, DateTimeOffset weekTo)
    {
        var first = zone.GetUtcOffset(weekFrom);
        var last = zone.GetUtcOffset(weekTo.AddTicks(-1));
        if (first == last) return $"{id.Replace('_', ' ')} ({ScheduleText.Offset(first)})";
        var change = weekFrom;
        for (var step = TimeSpan.FromMinutes(15); zone.GetUtcOffset(change) == first; change += step) { }
        return $"{id.Replace('_', ' ')} ({ScheduleText.Offset(first)}, then {ScheduleText.Offset(last)} from "
            + $"{ScheduleText.Local(ZoneMapping.ToLocal(change, zone))})";
    }
}
