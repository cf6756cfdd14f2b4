using MentorCircles.Core.Common;

namespace MentorCircles.Core.Scheduling;

/// <summary>A weekly window of availability in the person's own zone. <see cref="End"/> 00:00 means the end of the day (24:00).</summary>
public sealed record AvailabilityWindow(DayOfWeek Day, TimeOnly Start, TimeOnly End)
{
    /// <summary>Where the window ends, measured from the start of its day: 24 h when <see cref="End"/> is 00:00.</summary>
    public TimeSpan EndOfDay => End == TimeOnly.MinValue ? TimeSpan.FromDays(1) : End.ToTimeSpan();

    /// <summary>"Monday 09:00–12:00", as messages and lists show it.</summary>
    public override string ToString() => $"{Day} {ScheduleText.Time(Start)}–{ScheduleText.EndTime(End)}";
}

/// <summary>Dates away, both ends included, as dates in the person's own zone.</summary>
public sealed record AwayRange(DateOnly From, DateOnly To, string? Note);

/// <summary>A dated busy time, such as a meeting imported from a calendar. Normalised to UTC.</summary>
public sealed record BusyRange(DateTimeOffset Start, DateTimeOffset End, string? Label);

/// <summary>
/// Validation and normalisation of a person's availability. Weekly windows may touch but not overlap; the normal form merges
/// touching windows (Monday 09:00–10:00 and 10:00–12:00 become 09:00–12:00) and sorts them by day and time.
/// </summary>
public static class AvailabilityRules
{
    /// <summary>One window per half hour of the week is the most a grid can produce unmerged.</summary>
    public const int MaxWindows = 7 * 48;
    public const int MaxAwayRanges = 200;
    public const int MaxBusyRanges = 2000;
    public const int MaxTextLength = 200;

    /// <summary>Everything wrong with a set of weekly windows; empty when <see cref="NormalizeWeekly"/> would accept it.</summary>
    public static IReadOnlyList<FieldError> CheckWeekly(IReadOnlyList<AvailabilityWindow> windows)
    {
        var errors = new List<FieldError>();
        if (windows.Count > MaxWindows)
            errors.Add(new("Windows", $"At most {MaxWindows} weekly windows can be saved; {ScheduleText.Count(windows.Count)} were given."));
        var valid = windows.Where(w => CheckWindow(w, errors)).OrderBy(w => DayIndex(w.Day)).ThenBy(w => w.Start).ToList();
        AvailabilityWindow? reach = null;
        foreach (var w in valid)
        {
            if (reach is not null && reach.Day == w.Day && w.Start.ToTimeSpan() < reach.EndOfDay)
                errors.Add(new("Windows", $"{reach} overlaps {w}."));
            if (reach is null || reach.Day != w.Day || w.EndOfDay > reach.EndOfDay) reach = w;
        }
        return errors;
    }

    /// <summary>The windows sorted and with touching ones merged, or <see cref="InvalidInputException"/> for inverted or overlapping ones.</summary>
    public static IReadOnlyList<AvailabilityWindow> NormalizeWeekly(IReadOnlyList<AvailabilityWindow> windows)
    {
        InvalidInputException.ThrowIfAny(CheckWeekly(windows).ToList());
        return Merge(windows);
    }

    /// <summary>
    /// For the grid editor, where a person paints half-hour cells: merges touching and overlapping windows into the fewest
    /// windows, sorted from Monday. Windows that end before they start are refused rather than guessed at.
    /// </summary>
    public static IReadOnlyList<AvailabilityWindow> Merge(IEnumerable<AvailabilityWindow> windows)
    {
        var errors = new List<FieldError>();
        var valid = windows.Where(w => CheckWindow(w, errors)).ToList();
        InvalidInputException.ThrowIfAny(errors);
        var merged = new List<AvailabilityWindow>();
        foreach (var w in valid.OrderBy(w => DayIndex(w.Day)).ThenBy(w => w.Start))
        {
            var last = merged.Count > 0 ? merged[^1] : null;
            if (last is not null && last.Day == w.Day && w.Start.ToTimeSpan() <= last.EndOfDay)
            {
                if (w.EndOfDay > last.EndOfDay) merged[^1] = last with { End = w.End };
                continue;
            }
            merged.Add(w);
        }
        return merged;
    }

    /// <summary>Away ranges sorted by start with notes trimmed (blank ones dropped), or <see cref="InvalidInputException"/>.</summary>
    public static IReadOnlyList<AwayRange> NormalizeAway(IReadOnlyList<AwayRange> ranges)
    {
        var errors = new List<FieldError>();
        if (ranges.Count > MaxAwayRanges)
            errors.Add(new("Away", $"At most {MaxAwayRanges} away periods can be saved; {ScheduleText.Count(ranges.Count)} were given."));
        foreach (var r in ranges)
        {
            var said = $"Away {ScheduleText.Date(r.From)} to {ScheduleText.Date(r.To)}";
            if (r.To < r.From)
                errors.Add(new("Away", $"{said} ends before it starts."));
            else if (r.To >= r.From.AddYears(1))
                errors.Add(new("Away", $"{said} is longer than a year; an away period can last at most one year."));
            if (r.Note?.Trim().Length > MaxTextLength)
                errors.Add(new("Away", $"The note on {said} is {r.Note.Trim().Length} characters; the limit is {MaxTextLength}."));
        }
        InvalidInputException.ThrowIfAny(errors);
        return ranges.Select(r => r with { Note = Blank(r.Note) }).OrderBy(r => r.From).ThenBy(r => r.To).ToList();
    }

    /// <summary>Busy times in UTC, sorted, labels trimmed, or <see cref="InvalidInputException"/>.</summary>
    public static IReadOnlyList<BusyRange> NormalizeBusy(IReadOnlyList<BusyRange> ranges)
    {
        var errors = new List<FieldError>();
        if (ranges.Count > MaxBusyRanges)
            errors.Add(new("Busy", $"At most {ScheduleText.Count(MaxBusyRanges)} busy times can be saved; {ScheduleText.Count(ranges.Count)} were given."));
        foreach (var r in ranges)
        {
            var said = $"Busy {Utc(r.Start)} to {Utc(r.End)}";
            if (r.End < r.Start) errors.Add(new("Busy", $"{said} ends before it starts."));
            else if (r.End == r.Start) errors.Add(new("Busy", $"{said} is empty: it ends when it starts."));
            if (r.Label?.Trim().Length > MaxTextLength)
                errors.Add(new("Busy", $"The label on {said} is {r.Label.Trim().Length} characters; the limit is {MaxTextLength}."));
        }
        InvalidInputException.ThrowIfAny(errors);
        return ranges.Select(r => new BusyRange(r.Start.ToUniversalTime(), r.End.ToUniversalTime(), Blank(r.Label)))
            .OrderBy(r => r.Start).ThenBy(r => r.End).ToList();
    }

    /// <summary>Monday first, as the week grid shows it.</summary>
    internal static int DayIndex(DayOfWeek day) => ((int)day + 6) % 7;

    private static bool CheckWindow(AvailabilityWindow w, List<FieldError> errors)
    {
        if (!Enum.IsDefined(w.Day))
        {
            errors.Add(new("Windows", $"Day {(int)w.Day} is not a day of the week."));
            return false;
        }
        // 00:00–00:00 is the whole day, because an end of 00:00 means 24:00.
        if (w.Start.ToTimeSpan() >= w.EndOfDay)
        {
            errors.Add(new("Windows", w.Start == w.End ? $"{w} is empty: it ends when it starts." : $"{w} ends before it starts."));
            return false;
        }
        return true;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string Utc(DateTimeOffset t) => $"{ScheduleText.Local(t.UtcDateTime)} UTC";
}
