using System.Net.Mail;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using MentorCircles.Core.Common;

namespace MentorCircles.Core.Scheduling;

/// <summary>
/// A session as a calendar sees it. <see cref="Sequence"/> must go up whenever the time, place or status changes, so
/// calendar apps replace their copy; <see cref="UpdatedUtc"/> becomes DTSTAMP and LAST-MODIFIED.
/// </summary>
public sealed record FeedSession(
    long SessionId, int Sequence, DateTimeOffset StartUtc, DateTimeOffset EndUtc, string Summary,
    string? Location, string? Url, bool Cancelled, DateTimeOffset UpdatedUtc);

/// <summary>
/// iCalendar text for a person's subscribed feed (METHOD:PUBLISH) and for e-mailed invitations (METHOD:REQUEST or CANCEL).
/// Every time is written in UTC ("Z") so no VTIMEZONE is needed and no app can read it in the wrong zone; the UID is
/// stable per session so updates and cancellations replace the same entry. Output depends only on the input: no clock.
/// </summary>
public static class CalendarFeed
{
    public const string ProductId = "-//MentorCircles//Sessions//EN";

    public static string Uid(long sessionId) => $"session-{sessionId}@mentorcircles";

    /// <summary>A whole feed; cancelled sessions stay in it with STATUS:CANCELLED so subscribed apps remove them.</summary>
    public static string Build(string calendarName, IReadOnlyList<FeedSession> sessions)
    {
        var errors = new List<FieldError>();
        foreach (var s in sessions) Check(s, errors);
        InvalidInputException.ThrowIfAny(errors);

        var calendar = NewCalendar(CalendarMethods.Publish);
        var name = string.IsNullOrWhiteSpace(calendarName) ? "MentorCircles" : calendarName.Trim();
        calendar.AddProperty("X-WR-CALNAME", name);
        foreach (var s in sessions.OrderBy(s => s.StartUtc).ThenBy(s => s.SessionId))
            calendar.Events.Add(Event(s, s.Cancelled));
        return new CalendarSerializer().SerializeToString(calendar)!;
    }

    /// <summary>
    /// One session as an e-mail attachment: METHOD:REQUEST, or METHOD:CANCEL with STATUS:CANCELLED when
    /// <paramref name="cancel"/> is set or the session is already cancelled (a REQUEST for a cancelled session would re-add it).
    /// </summary>
    public static string Invitation(FeedSession s, string organizerEmail, string attendeeEmail, bool cancel)
    {
        var errors = new List<FieldError>();
        Check(s, errors);
        if (!IsEmail(organizerEmail)) errors.Add(new("OrganizerEmail", $"\"{organizerEmail}\" is not an e-mail address."));
        if (!IsEmail(attendeeEmail)) errors.Add(new("AttendeeEmail", $"\"{attendeeEmail}\" is not an e-mail address."));
        InvalidInputException.ThrowIfAny(errors);

        var cancelling = cancel || s.Cancelled;
        var calendar = NewCalendar(cancelling ? CalendarMethods.Cancel : CalendarMethods.Request);
        var e = Event(s, cancelling);
        e.Organizer = new Organizer($"mailto:{organizerEmail.Trim()}");
        e.Attendees.Add(new Attendee($"mailto:{attendeeEmail.Trim()}")
        {
            Role = ParticipationRole.RequiredParticipant,
            ParticipationStatus = EventParticipationStatus.NeedsAction,
            Rsvp = !cancelling,
        });
        calendar.Events.Add(e);
        return new CalendarSerializer().SerializeToString(calendar)!;
    }

    private static Calendar NewCalendar(string method) => new() { ProductId = ProductId, Method = method };

    private static CalendarEvent Event(FeedSession s, bool cancelled)
    {
        var e = new CalendarEvent
        {
            Uid = Uid(s.SessionId),
            Sequence = s.Sequence,
            DtStamp = Utc(s.UpdatedUtc),
            LastModified = Utc(s.UpdatedUtc),
            DtStart = Utc(s.StartUtc),
            DtEnd = Utc(s.EndUtc),
            Summary = s.Summary.Trim(),
            Status = cancelled ? EventStatus.Cancelled : EventStatus.Confirmed,
            Transparency = TransparencyType.Opaque,
        };
        if (!string.IsNullOrWhiteSpace(s.Location)) e.Location = s.Location.Trim();
        if (!string.IsNullOrWhiteSpace(s.Url)) e.Url = new Uri(s.Url.Trim(), UriKind.Absolute);
        return e;
    }

    private static CalDateTime Utc(DateTimeOffset t) => new(t.UtcDateTime, CalDateTime.UtcTzId);

    private static void Check(FeedSession s, List<FieldError> errors)
    {
        var which = $"Session {s.SessionId}";
        if (s.EndUtc <= s.StartUtc) errors.Add(new("EndUtc", $"{which} ends before it starts."));
        if (string.IsNullOrWhiteSpace(s.Summary)) errors.Add(new("Summary", $"{which} has no title."));
        if (s.Sequence < 0) errors.Add(new("Sequence", $"{which} has a negative sequence number ({s.Sequence})."));
        if (!string.IsNullOrWhiteSpace(s.Url)
            && (!Uri.TryCreate(s.Url.Trim(), UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http")))
            errors.Add(new("Url", $"{which} has the link \"{s.Url}\", which is not a web address (https://…)."));
    }

    private static bool IsEmail(string? address) =>
        !string.IsNullOrWhiteSpace(address) && MailAddress.TryCreate(address.Trim(), out var parsed) && parsed.Address == address.Trim();
}
