using System.Globalization;

namespace MentorCircles.Core.Scheduling;

/// <summary>How dates and times read in scheduling messages: the same words wherever a rule refuses something.</summary>
internal static class ScheduleText
{
    private static readonly CultureInfo en = CultureInfo.InvariantCulture;

    public static string Day(DateOnly d) => $"{d.DayOfWeek} {d.ToString("yyyy-MM-dd", en)}";

    public static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", en);

    public static string Time(TimeOnly t) => t.ToString("HH:mm", en);

    /// <summary>A window's end, where midnight means the end of the day.</summary>
    public static string EndTime(TimeOnly t) => t == TimeOnly.MinValue ? "24:00" : Time(t);

    public static string Local(DateTime local) => $"{Day(DateOnly.FromDateTime(local))} {Time(TimeOnly.FromDateTime(local))}";

    public static string Offset(TimeSpan offset) => $"UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset:hh\\:mm}";

    public static string Count(int n) => n.ToString("N0", en);
}
