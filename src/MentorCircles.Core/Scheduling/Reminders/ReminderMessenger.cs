using System.Globalization;
using Microsoft.Extensions.Logging;

namespace MentorCircles.Core.Scheduling.Reminders;

/// <summary>
/// Claim, send, mark: the one path every reminder and change notice takes, so each (session, person, kind, sequence)
/// leaves at most once. A failed send is marked failed and rethrown, so Hangfire's retry may claim it again.
/// </summary>
public sealed class ReminderMessenger(ReminderStore store, IMailSender mail, MailSettings settings, TimeProvider clock, ILogger<ReminderMessenger> log)
{
    public async Task<bool> SendAsync(long sessionId, long personId, string kind, int sequence, CancellationToken ct)
    {
        var cancelling = kind == ReminderKinds.Cancelled;
        if (!await store.TryClaimAsync(sessionId, personId, kind, sequence, cancelling, clock.GetUtcNow(), ct))
        {
            log.LogInformation("Nothing to send for session {Session}, person {Person}, {Kind} #{Sequence}: already sent, stale or not a member",
                sessionId, personId, kind, sequence);
            return false;
        }
        var target = await store.TargetAsync(sessionId, personId, ct);
        if (target is null)
        {
            await store.MarkFailedAsync(sessionId, personId, kind, sequence, "The session or membership is gone.", ct);
            return false;
        }
        var (subject, text) = Describe(target, kind);
        try
        {
            var ics = CalendarFeed.Invitation(target.AsFeedSession(), settings.FromAddress, target.Email, cancelling);
            await mail.SendAsync(new OutgoingMail(target.Email, target.DisplayName, subject, text, ics, cancelling ? "CANCEL" : "REQUEST"), ct);
        }
        catch (Exception ex)
        {
            await store.MarkFailedAsync(sessionId, personId, kind, sequence, ex.Message, CancellationToken.None);
            throw;
        }
        await store.MarkSentAsync(sessionId, personId, kind, sequence, subject, clock.GetUtcNow(), ct);
        return true;
    }

    internal static (string Subject, string Text) Describe(ReminderTarget t, string kind)
    {
        var when = LocalTime(t.StartsAt, t.TimeZone);
        var subject = kind switch
        {
            ReminderKinds.Cancelled => $"Cancelled: {t.Summary} on {when}",
            _ when kind.StartsWith(ReminderKinds.MovedPrefix, StringComparison.Ordinal) => $"Moved: {t.Summary} is now {when}",
            _ => $"Reminder: {t.Summary} starts {when}",
        };
        var place = string.IsNullOrWhiteSpace(t.MeetingPlace) ? "" : $"\nWhere: {t.MeetingPlace.Trim()}";
        var text = $"Hello {t.DisplayName},\n\n{subject}.{place}\n\nThe attached invitation updates your calendar.\n";
        return (subject, text);
    }

    private static string LocalTime(DateTimeOffset utc, string zone)
    {
        var tz = TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(utc, tz);
        return local.ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture) + $" ({tz.Id})";
    }
}

public static class ReminderKinds
{
    public const string DayBefore = "day-before";
    public const string HourBefore = "hour-before";
    public const string Cancelled = "cancelled";
    public const string MovedPrefix = "moved:";
    public static string Moved(int sequence) => MovedPrefix + sequence.ToString(CultureInfo.InvariantCulture);
}
