namespace MentorCircles.Core.Scheduling;

/// <summary>How a wall-clock time mapped onto the time line in its zone.</summary>
internal enum LocalTimeFit
{
    /// <summary>The local time happens exactly once.</summary>
    Exact,
    /// <summary>The local time fell in a spring-forward gap and was moved forward by the gap.</summary>
    ShiftedForward,
    /// <summary>The local time happens twice (fall-back); the earlier instant was taken.</summary>
    EarlierOfTwo,
}

internal readonly record struct ResolvedLocalTime(DateTimeOffset Instant, LocalTimeFit Fit);

/// <summary>
/// One rule for turning a wall-clock time in an IANA zone into an instant, shared by series, moves and the
/// availability grid so they never disagree: a time in a spring-forward gap moves forward by the gap (02:30 becomes
/// 03:30 when clocks jump from 02:00 to 03:00), and a time that happens twice takes the earlier instant.
/// </summary>
internal static class ZoneMapping
{
    public static TimeZoneInfo Find(string zoneId) => TimeZoneInfo.FindSystemTimeZoneById(zoneId);

    public static ResolvedLocalTime Resolve(DateOnly date, TimeOnly time, TimeZoneInfo zone) =>
        Resolve(date.ToDateTime(time, DateTimeKind.Unspecified), zone);

    public static ResolvedLocalTime Resolve(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // The offset in force just before the gap maps the missing time to "the same distance past the jump".
            var before = OffsetBefore(local, zone);
            return new(new DateTimeOffset(local - before, TimeSpan.Zero), LocalTimeFit.ShiftedForward);
        }
        if (zone.IsAmbiguousTime(local))
        {
            // A larger offset means an earlier instant for the same wall-clock time.
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return new(new DateTimeOffset(local, offset).ToUniversalTime(), LocalTimeFit.EarlierOfTwo);
        }
        return new(new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime(), LocalTimeFit.Exact);
    }

    /// <summary>
    /// The instant where a range of wall-clock time begins or ends (an availability window, a grid cell, an away day). Unlike
    /// <see cref="Resolve(DateTime, TimeZoneInfo)"/>, a time inside a spring-forward gap maps to the jump itself, so
    /// "free until 01:30" on the night the clocks jump from 01:00 to 02:00 ends at the jump, not an hour later. Doubled
    /// times take the earlier instant as elsewhere. Adjacent ranges stay adjacent because both ends use this one rule.
    /// </summary>
    public static DateTimeOffset Boundary(DateTime local, TimeZoneInfo zone)
    {
        var (instant, fit) = Resolve(local, zone);
        if (fit != LocalTimeFit.ShiftedForward) return instant;
        // The jump lies within one gap before the shifted instant; find the first instant already on the new offset.
        var after = zone.GetUtcOffset(instant);
        var lo = instant - (after - OffsetBefore(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone)) - TimeSpan.FromMinutes(1);
        var hi = instant;
        while (hi - lo > TimeSpan.FromSeconds(1))
        {
            var mid = lo + (hi - lo) / 2;
            if (zone.GetUtcOffset(mid) == after) hi = mid; else lo = mid;
        }
        return new DateTimeOffset(hi.UtcTicks - hi.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero);
    }

    /// <summary>The instant as a wall-clock time in the zone.</summary>
    public static DateTime ToLocal(DateTimeOffset instant, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(instant, zone).DateTime;

    private static TimeSpan OffsetBefore(DateTime local, TimeZoneInfo zone)
    {
        // Step back until the wall-clock time exists again; gaps are at most a day (Samoa skipped one in 2011).
        for (var back = TimeSpan.FromMinutes(15); back <= TimeSpan.FromHours(26); back += TimeSpan.FromMinutes(15))
        {
            var earlier = local - back;
            if (!zone.IsInvalidTime(earlier) && !zone.IsAmbiguousTime(earlier)) return zone.GetUtcOffset(earlier);
        }
        return zone.BaseUtcOffset;
    }
}
