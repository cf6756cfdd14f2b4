using MentorCircles.Core.Scheduling;

namespace MentorCircles.Web.Components.Pages.Availability;

/// <summary>The editor's half-hour cells (Monday first) to and from weekly windows in the person's own zone.</summary>
public static class WeekCells
{
    public const int SlotMinutes = 30;
    public const int PerDay = 24 * 60 / SlotMinutes;
    public static readonly DayOfWeek[] Days =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    public static TimeOnly SlotStart(int slot) => TimeOnly.MinValue.AddMinutes(slot * SlotMinutes);

    public static bool[,] FromWindows(IEnumerable<AvailabilityWindow> windows)
    {
        var cells = new bool[7, PerDay];
        foreach (var w in windows)
        {
            var d = Array.IndexOf(Days, w.Day);
            var first = (int)Math.Ceiling(w.Start.ToTimeSpan().TotalMinutes / SlotMinutes);
            var last = (int)Math.Floor(w.EndOfDay.TotalMinutes / SlotMinutes);
            for (var s = first; s < last; s++) cells[d, s] = true;
        }
        return cells;
    }

    public static List<AvailabilityWindow> ToWindows(bool[,] cells)
    {
        var windows = new List<AvailabilityWindow>();
        for (var d = 0; d < 7; d++)
            for (var s = 0; s < PerDay; s++)
            {
                if (!cells[d, s]) continue;
                var start = s;
                while (s < PerDay && cells[d, s]) s++;
                windows.Add(new(Days[d], SlotStart(start), s == PerDay ? TimeOnly.MinValue : SlotStart(s)));
            }
        return windows;
    }
}
