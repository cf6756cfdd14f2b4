using System.Globalization;

namespace MentorCircles.Core.Conflicts;

/// <summary>
/// What a coordinator reads about a conflict: kind labels, times in a named zone, and sentences with people's names.
/// The stored detail text is for logs (it carries ids); the queue builds its words here instead.
/// </summary>
public static class ConflictText
{
    /// <summary>The kinds in the order the queue's filter offers them, with their labels.</summary>
    public static readonly IReadOnlyList<(string Kind, string Label)> Kinds =
    [
        (ConflictKinds.DoubleBooked, "Double-booked"),
        (ConflictKinds.OutsideAvailability, "Outside availability"),
        (ConflictKinds.NoLeadAvailable, "No facilitator or mentor available"),
        (ConflictKinds.QuorumAtRisk, "Quorum at risk"),
        (ConflictKinds.AgreementNotAccepted, "Agreement not accepted"),
        (ConflictKinds.BlackoutDate, "On a blackout date"),
    ];

    public static string KindLabel(string kind) =>
        Kinds.FirstOrDefault(k => k.Kind == kind).Label ?? kind;

    /// <summary>The statuses the queue filters on; "all" is null.</summary>
    public static readonly IReadOnlyList<(string? Status, string Label)> Statuses =
    [
        ("open", "Open"),
        ("resolved", "Resolved"),
        ("closed", "Closed automatically"),
        (null, "All"),
    ];

    public static string StatusLabel(string status) =>
        Statuses.FirstOrDefault(s => s.Status == status).Label ?? status;

    private static TimeZoneInfo Zone(string zoneId) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var tz) ? tz : TimeZoneInfo.Utc;

    /// <summary>"Thu 26 Nov 2026, 15:00–16:00" in <paramref name="zoneId"/>; the end's date is added when it falls on another day.</summary>
    public static string Span(DateTimeOffset start, DateTimeOffset end, string zoneId)
    {
        var zone = Zone(zoneId);
        var s = TimeZoneInfo.ConvertTime(start, zone);
        var e = TimeZoneInfo.ConvertTime(end, zone);
        var endText = s.Date == e.Date ? e.ToString("HH:mm", CultureInfo.InvariantCulture) : e.ToString("ddd d MMM, HH:mm", CultureInfo.InvariantCulture);
        return $"{s.ToString("ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture)}–{endText}";
    }

    /// <summary>"Thu 26 Nov 2026, 15:00" in <paramref name="zoneId"/>.</summary>
    public static string At(DateTimeOffset instant, string zoneId) =>
        TimeZoneInfo.ConvertTime(instant, Zone(zoneId)).ToString("ddd d MMM yyyy, HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The zone named as people say it, with its offset at <paramref name="at"/>: "America/New York (UTC−05:00)".</summary>
    public static string ZoneName(string zoneId, DateTimeOffset at)
    {
        var offset = Zone(zoneId).GetUtcOffset(at);
        var sign = offset < TimeSpan.Zero ? "−" : "+";
        return $"{zoneId.Replace('_', ' ')} (UTC{sign}{offset:hh\\:mm})";
    }

    /// <summary>"A", "A and B", "A, B and C".</summary>
    public static string Join(IReadOnlyList<string> names) => names.Count switch
    {
        0 => "",
        1 => names[0],
        _ => $"{string.Join(", ", names.Take(names.Count - 1))} and {names[^1]}",
    };
}
