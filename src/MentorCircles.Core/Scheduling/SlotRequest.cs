namespace MentorCircles.Core.Scheduling;

/// <summary>
/// A time a person is usually free, in their own time zone: every <paramref name="Day"/> from <paramref name="Start"/>
/// up to (not including) <paramref name="End"/> on their wall clock. An <paramref name="End"/> of 00:00 means midnight
/// at the end of that day, so 00:00–00:00 is the whole day. A window never passes midnight: "Friday 22:00–01:00" is two
/// windows, Friday 22:00–00:00 and Saturday 00:00–01:00, because a window belongs to one local date (that is what away
/// periods remove).
/// </summary>
/// <remarks>
/// On a daylight-saving change the window covers exactly the instants at which the person's clock reads a time inside it:
/// a 01:30–03:00 window on a spring-forward night starts when the clock jumps past 01:30, and on a fall-back night a
/// repeated hour inside the window is covered both times.
/// </remarks>
public sealed record WeeklyWindow(DayOfWeek Day, TimeOnly Start, TimeOnly End)
{
    public bool EndsAtMidnight => End == TimeOnly.MinValue;
}

/// <summary>Away from the start of <paramref name="From"/> to the end of <paramref name="To"/> (both included), as dates in the person's own zone.</summary>
public sealed record AwayPeriod(DateOnly From, DateOnly To);

/// <summary>A time the person is taken, as instants (e.g. another session, an imported calendar event).</summary>
public sealed record BusyBlock(DateTimeOffset Start, DateTimeOffset End);

/// <summary>One person's availability as the slot finder sees it. <see cref="Required"/> people (facilitators, mentors) must be free at every occurrence.</summary>
public sealed record PersonAvailability(
    long PersonId,
    string TimeZoneId,
    bool Required,
    IReadOnlyList<WeeklyWindow> Weekly,
    IReadOnlyList<AwayPeriod> Away,
    IReadOnlyList<BusyBlock> Busy)
{
    /// <summary>Used only in the human explanation; "Person 42" when not given.</summary>
    public string? Name { get; init; }
}

public enum SlotCadence
{
    /// <summary>One meeting: every step-aligned start on every date of the window is its own candidate.</summary>
    Once,
    /// <summary>The same local day and time every week of the window.</summary>
    Weekly,
    /// <summary>The same local day and time every other week, starting in the window's first fortnight.</summary>
    Fortnightly,
}

/// <summary>
/// What to look for: sessions of <paramref name="LengthMinutes"/> starting on dates <paramref name="FromDate"/> to
/// <paramref name="ToDate"/> (both included, in the circle's <paramref name="HomeTimeZoneId"/>), recurring by
/// <paramref name="Cadence"/> at a fixed local time in that zone.
/// </summary>
public sealed record SlotRequest(int LengthMinutes, DateOnly FromDate, DateOnly ToDate, SlotCadence Cadence, string HomeTimeZoneId)
{
    /// <summary>How many of the people who are not required must be free at every occurrence; null means all but one.</summary>
    public int? Quorum { get; init; }

    /// <summary>Candidate start times are this many minutes apart in the home zone, from local midnight; must divide 60.</summary>
    public int StepMinutes { get; init; } = 15;

    /// <summary>A candidate is preferred when everyone's wall clock reads inside [WakingFrom, WakingTo) for the whole session; 00:00 as WakingTo means midnight.</summary>
    public TimeOnly WakingFrom { get; init; } = new(8, 0);

    public TimeOnly WakingTo { get; init; } = new(21, 0);

    public int MaxResults { get; init; } = 10;

    public const int MaxLengthMinutes = 8 * 60;
    public const int MaxWindowDays = 26 * 7;
    public const int MaxResultsLimit = 100;
}

/// <summary>A free stretch of time, as UTC instants, start included and end excluded.</summary>
public readonly record struct UtcInterval(DateTimeOffset Start, DateTimeOffset End);
