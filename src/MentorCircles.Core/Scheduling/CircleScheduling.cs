using System.Globalization;
using MentorCircles.Core.Circles;

namespace MentorCircles.Core.Scheduling;

/// <summary>How often a found time repeats inside the date window.</summary>
public enum FindCadence { Once, Weekly, Fortnightly, Monthly }

/// <summary>
/// What a lead or coordinator asks for: sessions of <paramref name="LengthMinutes"/> on dates <paramref name="FromDate"/> to
/// <paramref name="ToDate"/> (in the circle's home zone), repeating by <paramref name="Cadence"/>.
/// </summary>
public sealed record FindTimesInput(int LengthMinutes, DateOnly? FromDate, DateOnly? ToDate, FindCadence Cadence)
{
    /// <summary>How many of the members who are not leads must be free; null means the circle's own quorum, else all but one.</summary>
    public int? Quorum { get; init; }

    /// <summary>The zone to show "your time" in; null means the viewer's own zone.</summary>
    public string? ViewerTimeZone { get; init; }
}

/// <summary>One ranked time: where it falls in the circle's zone and in the viewer's, who cannot come, and whether it is inside waking hours.</summary>
public sealed record FoundTime(
    int Rank,
    DateTimeOffset FirstStartUtc,
    DateOnly HomeDate,
    TimeOnly HomeTime,
    string HomeText,
    string ViewerText,
    IReadOnlyList<DateTimeOffset> Starts,
    IReadOnlyList<string> CannotCome,
    int FreeCount,
    int PeopleCount,
    bool InsideWakingHours,
    string Explanation);

public sealed record FoundTimes(
    string HomeZone, string ViewerZone, int LengthMinutes, FindCadence Cadence, int Quorum, int OthersCount,
    IReadOnlyList<string> Leads, IReadOnlyList<string> WithoutAvailability, IReadOnlyList<FoundTime> Times);

/// <summary>A series to create at <paramref name="LocalTime"/> in the circle's home zone.</summary>
public sealed record SeriesInput(DateOnly? FirstDate, TimeOnly? LocalTime, int LengthMinutes, SeriesCadence Cadence, int? Count, DateOnly? Until)
{
    public string? Title { get; init; }
}

public sealed record CreatedOccurrence(long SessionId, int Number, DateOnly LocalDate, TimeOnly LocalStart, DateTimeOffset StartUtc, string? TimeNote);

public sealed record SeriesCreated(long SeriesId, string HomeZone, IReadOnlyList<CreatedOccurrence> Sessions,
    IReadOnlyList<(DateOnly Date, string Label)> SkippedForBlackout, string Summary);

/// <summary>A moved session, and who cannot come at its new time (as far as their availability and other sessions say).</summary>
public sealed record MoveResult(long SessionId, DateTimeOffset StartUtc, DateTimeOffset EndUtc, string HomeText,
    IReadOnlyList<string> CannotCome, bool LeadsMissing, string Summary);

public sealed record RsvpCounts(int Yes, int No, int Maybe, int Members)
{
    public int NoAnswer => Math.Max(0, Members - Yes - No - Maybe);
}

public sealed record RsvpName(string Name, string Answer, string Note);

/// <summary>A session's answers: counts for everyone who may see the circle's schedule, names for its leads only.</summary>
public sealed record SessionRsvps(long SessionId, RsvpCounts Counts, string? MyAnswer, IReadOnlyList<RsvpName>? Names);

public sealed record ScheduleOccurrence(long SessionId, int? Number, DateTimeOffset StartUtc, DateTimeOffset EndUtc, string Status,
    string? CancelledReason, int Sequence, RsvpCounts Rsvps, bool Upcoming)
{
    public bool Changeable => Upcoming && Status is "scheduled" or "proposed";
}

public sealed record ScheduleSeries(long Id, SeriesCadence Cadence, DateOnly FirstDate, TimeOnly LocalStart, int LengthMinutes, string TimeZone,
    IReadOnlyList<ScheduleOccurrence> Occurrences);

/// <summary>What the circle's Schedule tab shows.</summary>
public sealed record CircleSchedule(CircleAccessInfo Access, string CircleName, string HomeZone, string ViewerZone, int SessionMinutes,
    string CircleCadence, int MemberCount, int OthersCount, int DefaultQuorum, IReadOnlyList<ScheduleSeries> Series, IReadOnlyList<ScheduleOccurrence> Single)
{
    /// <summary>False for a member who does not lead: they see only the circle's name and where to answer instead.</summary>
    public bool MaySchedule { get; init; } = true;
}

/// <summary>How scheduling times read for people: the zone is always named.</summary>
public static class ScheduleWords
{
    private static readonly CultureInfo en = CultureInfo.InvariantCulture;

    public static DateTime Local(DateTimeOffset instant, string zone) =>
        TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(zone)).DateTime;

    /// <summary>"Tue 2 Mar 2027, 18:00 America/New_York".</summary>
    public static string At(DateTimeOffset instant, string zone) => $"{Local(instant, zone).ToString("ddd d MMM yyyy, HH:mm", en)} {zone}";

    public static string Date(DateOnly d) => d.ToString("ddd d MMM yyyy", en);

    public static string Time(TimeOnly t) => t.ToString("HH:mm", en);

    public static string Cadence(SeriesCadence c) => c switch
    {
        SeriesCadence.Weekly => "weekly",
        SeriesCadence.Fortnightly => "fortnightly",
        _ => "monthly",
    };
}
