using MentorCircles.Core.Common;

namespace MentorCircles.Core.Scheduling;

public enum SeriesCadence { Weekly, Fortnightly, Monthly }

/// <summary>
/// A series of circle sessions at one wall-clock time in the circle's home zone. Give <see cref="Count"/>, <see cref="Until"/>
/// or both (then the series stops at whichever comes first). Monthly means "the same weekday of the month" as
/// <see cref="FirstDate"/>: the 2nd Tuesday stays the 2nd Tuesday; a 5th weekday becomes the last such weekday of each month.
/// </summary>
public sealed record SeriesSpec(
    DateOnly FirstDate, TimeOnly LocalStart, int LengthMinutes, string HomeTimeZoneId,
    SeriesCadence Cadence, int? Count, DateOnly? Until);

/// <summary>
/// One session of a series. <see cref="LocalDate"/> and <see cref="LocalStart"/> are the wall-clock start in the home zone,
/// which differs from the series' time only when that time does not exist that day; <see cref="TimeNote"/> then says why.
/// </summary>
public sealed record SeriesOccurrence(
    int Number, DateOnly LocalDate, TimeOnly LocalStart, DateTimeOffset StartUtc, DateTimeOffset EndUtc, string? TimeNote);

/// <summary>The sessions of a series, and the dates it passed over because they were blackout dates.</summary>
public sealed record SeriesPlan(IReadOnlyList<SeriesOccurrence> Occurrences, IReadOnlyList<DateOnly> SkippedForBlackout);

/// <summary>
/// Pure rules for session series: no database, no clock (<c>now</c> comes in). A blackout date is passed over and does not
/// use up <see cref="SeriesSpec.Count"/>: a term of 10 sessions keeps 10 sessions and ends later instead.
/// </summary>
public static class SeriesRules
{
    public const int MaxCount = 104;
    public const int MaxLengthMinutes = 8 * 60;
    public const int MaxSpanYears = 2;

    /// <summary>Everything wrong with the series, for a form to show; empty when <see cref="Occurrences"/> would succeed.</summary>
    public static IReadOnlyList<FieldError> Check(SeriesSpec spec, IReadOnlySet<DateOnly> blackoutDates, DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        Plan(spec, blackoutDates, now, errors);
        return errors;
    }

    /// <summary>The sessions of the series in order, or <see cref="InvalidInputException"/> listing everything wrong with it.</summary>
    public static SeriesPlan Occurrences(SeriesSpec spec, IReadOnlySet<DateOnly> blackoutDates, DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        var plan = Plan(spec, blackoutDates, now, errors);
        InvalidInputException.ThrowIfAny(errors);
        return plan!;
    }

    /// <summary>
    /// One session moved to a new wall-clock time in <paramref name="zoneId"/>, keeping its number and length. The same
    /// daylight-saving rules as a series apply; a new time in the past is refused.
    /// </summary>
    public static SeriesOccurrence Move(SeriesOccurrence occurrence, DateOnly newLocalDate, TimeOnly newLocalTime, string zoneId, DateTimeOffset now)
    {
        if (!TimeZones.IsValid(zoneId))
            throw new InvalidInputException("TimeZone", $"\"{zoneId}\" is not a time zone we know; pick one from the list (for example Europe/London).");
        var length = occurrence.EndUtc - occurrence.StartUtc;
        if (length <= TimeSpan.Zero)
            throw new InvalidInputException("Length", "The session to move ends before it starts.");
        var zone = ZoneMapping.Find(zoneId);
        var moved = At(occurrence.Number, newLocalDate, newLocalTime, length, zone, zoneId);
        if (moved.StartUtc <= now)
            throw new InvalidInputException("When", $"The new time would be in the past ({ScheduleText.Day(newLocalDate)} {ScheduleText.Time(newLocalTime)} {zoneId}; "
                + $"it is now {ScheduleText.Local(ZoneMapping.ToLocal(now, zone))} there).");
        return moved;
    }

    /// <summary>The dates the cadence produces from the first date on, without end; blackouts and limits are applied by the caller.</summary>
    public static IEnumerable<DateOnly> CandidateDates(DateOnly first, SeriesCadence cadence)
    {
        if (cadence == SeriesCadence.Monthly)
        {
            var nth = (first.Day - 1) / 7 + 1;
            var month = new DateOnly(first.Year, first.Month, 1);
            for (var k = 0; ; k++)
                yield return NthWeekday(month.AddMonths(k), first.DayOfWeek, nth);
        }
        var step = cadence == SeriesCadence.Fortnightly ? 14 : 7;
        for (var d = first; ; d = d.AddDays(step))
            yield return d;
    }

    /// <summary>The nth weekday of the month, where n = 5 means the last one (not every month has a 5th).</summary>
    public static DateOnly NthWeekday(DateOnly anyDayInMonth, DayOfWeek day, int nth)
    {
        if (nth >= 5)
        {
            var last = new DateOnly(anyDayInMonth.Year, anyDayInMonth.Month, DateTime.DaysInMonth(anyDayInMonth.Year, anyDayInMonth.Month));
            return last.AddDays(-(((int)last.DayOfWeek - (int)day + 7) % 7));
        }
        var first = new DateOnly(anyDayInMonth.Year, anyDayInMonth.Month, 1);
        return first.AddDays(((int)day - (int)first.DayOfWeek + 7) % 7 + 7 * (nth - 1));
    }

    private static SeriesPlan? Plan(SeriesSpec spec, IReadOnlySet<DateOnly> blackouts, DateTimeOffset now, List<FieldError> errors)
    {
        var zoneOk = TimeZones.IsValid(spec.HomeTimeZoneId);
        if (!zoneOk)
            errors.Add(new("HomeTimeZoneId", $"\"{spec.HomeTimeZoneId}\" is not a time zone we know; pick one from the list (for example Europe/London)."));
        if (spec.LengthMinutes <= 0)
            errors.Add(new("LengthMinutes", $"A session must last at least one minute; the length given is {spec.LengthMinutes} minutes."));
        else if (spec.LengthMinutes > MaxLengthMinutes)
            errors.Add(new("LengthMinutes", $"A session can last at most 8 hours ({MaxLengthMinutes} minutes); the length given is {spec.LengthMinutes} minutes."));
        if (!Enum.IsDefined(spec.Cadence))
            errors.Add(new("Cadence", "Choose weekly, fortnightly or monthly."));
        if (spec.Count is null && spec.Until is null)
            errors.Add(new("Count", "Give a number of sessions or an end date for the series."));
        if (spec.Count is < 1)
            errors.Add(new("Count", $"A series needs at least 1 session; the number given is {spec.Count}."));
        else if (spec.Count > MaxCount)
            errors.Add(new("Count", $"A series can have at most {MaxCount} sessions; the number given is {spec.Count}."));
        var spanEnd = spec.FirstDate.AddYears(MaxSpanYears);
        if (spec.Until is { } until)
        {
            if (until < spec.FirstDate)
                errors.Add(new("Until", $"The end date {ScheduleText.Date(until)} is before the first date {ScheduleText.Date(spec.FirstDate)}."));
            else if (until > spanEnd)
                errors.Add(new("Until", $"A series can span at most {MaxSpanYears} years: starting {ScheduleText.Date(spec.FirstDate)} it must end by "
                    + $"{ScheduleText.Date(spanEnd)}, but the end date is {ScheduleText.Date(until)}."));
        }
        if (!zoneOk) return null;

        var zone = ZoneMapping.Find(spec.HomeTimeZoneId);
        var firstStart = ZoneMapping.Resolve(spec.FirstDate, spec.LocalStart, zone).Instant;
        if (firstStart <= now)
            errors.Add(new("FirstDate", $"The first session would be in the past ({ScheduleText.Day(spec.FirstDate)} {ScheduleText.Time(spec.LocalStart)} "
                + $"{spec.HomeTimeZoneId}; it is now {ScheduleText.Local(ZoneMapping.ToLocal(now, zone))} there)."));
        if (errors.Count > 0) return null;

        var length = TimeSpan.FromMinutes(spec.LengthMinutes);
        var limit = spec.Until ?? spanEnd;
        var occurrences = new List<SeriesOccurrence>();
        var skipped = new List<DateOnly>();
        foreach (var date in CandidateDates(spec.FirstDate, spec.Cadence))
        {
            if (occurrences.Count == spec.Count) break;
            if (date > limit)
            {
                if (spec.Until is null)
                    errors.Add(new("Count", $"{spec.Count} {spec.Cadence.ToString().ToLowerInvariant()} sessions from {ScheduleText.Date(spec.FirstDate)} "
                        + $"would run past {ScheduleText.Date(spanEnd)}; a series can span at most {MaxSpanYears} years. Ask for fewer sessions."));
                break;
            }
            if (blackouts.Contains(date)) { skipped.Add(date); continue; }
            occurrences.Add(At(occurrences.Count + 1, date, spec.LocalStart, length, zone, spec.HomeTimeZoneId));
        }
        if (errors.Count == 0 && occurrences.Count == 0)
            errors.Add(new("Until", "Every date of the series is a blackout date, so it would have no sessions."));
        return errors.Count > 0 ? null : new SeriesPlan(occurrences, skipped);
    }

    private static SeriesOccurrence At(int number, DateOnly date, TimeOnly time, TimeSpan length, TimeZoneInfo zone, string zoneId)
    {
        var (start, fit) = ZoneMapping.Resolve(date, time, zone);
        var local = ZoneMapping.ToLocal(start, zone);
        var note = fit switch
        {
            LocalTimeFit.ShiftedForward => $"{ScheduleText.Time(time)} does not exist on {ScheduleText.Day(date)} in {zoneId} (the clocks go forward); "
                + $"this session starts at {ScheduleText.Time(TimeOnly.FromDateTime(local))}.",
            LocalTimeFit.EarlierOfTwo => $"{ScheduleText.Time(time)} happens twice on {ScheduleText.Day(date)} in {zoneId} (the clocks go back); "
                + $"this session is at the first one ({ScheduleText.Offset(zone.GetUtcOffset(start))}).",
            _ => null,
        };
        return new(number, DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local), start, start + length, note);
    }
}
