using System.Globalization;
using System.Text;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Evaluation;
using MentorCircles.Core.Common;
using Calendar = Ical.Net.Calendar;

namespace MentorCircles.Core.Scheduling;

/// <summary>
/// What an imported calendar said about a period. An empty <see cref="Busy"/> is a real answer (a free fortnight), not an
/// error, so it comes back with <see cref="Message"/> saying so instead of being refused.
/// </summary>
public sealed record IcsImportResult(
    IReadOnlyList<BusyRange> Busy, int SkippedFree, int SkippedCancelled, DateTimeOffset FromUtc, DateTimeOffset ToUtc)
{
    public string Message
    {
        get
        {
            var period = $"between {Day(FromUtc)} and {Day(ToUtc)} (UTC)";
            var left = SkippedFree + SkippedCancelled == 0 ? "" : $" ({SkippedFree} marked free and {SkippedCancelled} cancelled were left out)";
            return Busy.Count == 0
                ? $"The calendar has no busy times {period}{left}."
                : $"Found {ScheduleText.Count(Busy.Count)} busy {(Busy.Count == 1 ? "time" : "times")} {period}{left}.";
        }
    }

    private static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}

/// <summary>
/// Reads busy times from an .ics file a person uploads. Recurring events are expanded (RRULE, EXDATE, RECURRENCE-ID),
/// events marked TRANSP:TRANSPARENT (free) and STATUS:CANCELLED are left out, and blocks are clipped to the period asked
/// for. Times without a zone ("floating") and all-day events are read in the person's own zone, an all-day event
/// covering whole local days. Event titles are not copied: a personal calendar's titles are private and the scheduler
/// only needs to know the time is taken.
/// </summary>
public static class IcsImport
{
    public const int MaxBytes = 2 * 1024 * 1024;
    public const int MaxBlocks = AvailabilityRules.MaxBusyRanges;
    /// <summary>Bounds the work a hostile file can cause with events that expand but never land in the period as busy.</summary>
    private const int MaxOccurrencesExamined = 20 * MaxBlocks;

    public static IcsImportResult ReadBusy(Stream ics, DateTimeOffset fromUtc, DateTimeOffset toUtc, string personTimeZoneId)
    {
        var errors = new List<FieldError>();
        if (toUtc <= fromUtc)
            errors.Add(new("Period", "The period to import ends before it starts."));
        if (!TimeZones.IsValid(personTimeZoneId))
            errors.Add(new("TimeZone", $"\"{personTimeZoneId}\" is not a time zone we know."));
        InvalidInputException.ThrowIfAny(errors);

        var text = ReadLimited(ics);
        var calendar = Parse(text);
        var zone = ZoneMapping.Find(personTimeZoneId);
        var busy = new List<BusyRange>();
        int free = 0, cancelled = 0, examined = 0;
        // Floating times are only placed in the person's zone after expansion, so ask a day early and stop a day late.
        var margin = TimeSpan.FromDays(1);
        var options = new EvaluationOptions { MaxUnmatchedIncrementsLimit = 1000 };
        try
        {
            var start = new CalDateTime(fromUtc.UtcDateTime - margin, CalDateTime.UtcTzId);
            foreach (var occurrence in calendar.GetOccurrences<CalendarEvent>(start, options))
            {
                if (occurrence.Period.StartTime.AsUtc >= toUtc.UtcDateTime + margin) break;
                if (++examined > MaxOccurrencesExamined) throw TooMany(fromUtc, toUtc);
                if (occurrence.Source is not CalendarEvent e) continue;
                var (blockStart, blockEnd) = Place(occurrence.Period, zone);
                if (blockEnd <= fromUtc || blockStart >= toUtc || blockEnd <= blockStart) continue;
                if (string.Equals(e.Status, EventStatus.Cancelled, StringComparison.OrdinalIgnoreCase)) { cancelled++; continue; }
                if (string.Equals(e.Transparency, TransparencyType.Transparent, StringComparison.OrdinalIgnoreCase)) { free++; continue; }
                if (busy.Count == MaxBlocks) throw TooMany(fromUtc, toUtc);
                busy.Add(new BusyRange(Max(blockStart, fromUtc), Min(blockEnd, toUtc), null));
            }
        }
        catch (EvaluationLimitExceededException)
        {
            throw Unreadable("a repeating event's rule never produces a date.");
        }
        catch (Exception ex) when (ex is not (InvalidInputException or OutOfMemoryException))
        {
            // The file is untrusted input: whatever the library trips over in it (an unknown TZID, a bad rule) is the file's fault.
            throw Unreadable(ex.Message);
        }
        var sorted = busy.OrderBy(b => b.Start).ThenBy(b => b.End).ToList();
        return new IcsImportResult(sorted, free, cancelled, fromUtc.ToUniversalTime(), toUtc.ToUniversalTime());
    }

    private static string ReadLimited(Stream ics)
    {
        if (ics.CanSeek && ics.Length - ics.Position > MaxBytes)
            throw new InvalidInputException("File", $"The calendar file is {Megabytes(ics.Length - ics.Position)} MB; the limit is 2 MB.");
        // Unseekable streams (uploads) are read to one byte past the limit, never further.
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = ics.Read(chunk, 0, (int)Math.Min(chunk.Length, MaxBytes + 1 - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes)
                throw new InvalidInputException("File", "The calendar file is over 2 MB; the limit is 2 MB.");
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw Unreadable("it is not text (UTF-8).");
        }
    }

    private static Calendar Parse(string text)
    {
        Calendar? calendar;
        try
        {
            calendar = Calendar.Load(text);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw Unreadable(ex.Message);
        }
        return calendar ?? throw Unreadable("it has no BEGIN:VCALENDAR.");
    }

    /// <summary>An occurrence as real instants: zoned and UTC times as they are, floating times and dates in the person's zone.</summary>
    private static (DateTimeOffset Start, DateTimeOffset End) Place(Period period, TimeZoneInfo zone)
    {
        var start = period.StartTime;
        var end = period.EffectiveEndTime ?? start;
        return (Instant(start, zone), Instant(end, zone));
    }

    private static DateTimeOffset Instant(CalDateTime t, TimeZoneInfo zone)
    {
        if (!t.HasTime) return ZoneMapping.Boundary(t.Date.ToDateTime(TimeOnly.MinValue), zone);
        if (t.IsFloating) return ZoneMapping.Boundary(t.Value, zone);
        return new DateTimeOffset(DateTime.SpecifyKind(t.AsUtc, DateTimeKind.Utc));
    }

    private static InvalidInputException Unreadable(string why) =>
        new("File", $"This is not a calendar file (.ics) we can read: {why.TrimEnd('.')}.");

    private static InvalidInputException TooMany(DateTimeOffset from, DateTimeOffset to) =>
        new("File", $"The calendar has more than {ScheduleText.Count(MaxBlocks)} busy times between {ScheduleText.Date(DateOnly.FromDateTime(from.UtcDateTime))} and "
            + $"{ScheduleText.Date(DateOnly.FromDateTime(to.UtcDateTime))}; import a shorter period.");

    /// <summary>Rounded up, so a file one byte over the limit does not read as "2.0 MB; the limit is 2 MB".</summary>
    private static string Megabytes(long bytes) => (Math.Ceiling(bytes * 10 / (1024.0 * 1024.0)) / 10).ToString("0.0", CultureInfo.InvariantCulture);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
