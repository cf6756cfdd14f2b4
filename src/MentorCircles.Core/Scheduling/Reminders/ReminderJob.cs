namespace MentorCircles.Core.Scheduling.Reminders;

/// <summary>
/// One reminder for one person (Hangfire, delayed). Safe to run twice or at once on two nodes: the claim in
/// reminder_sent lets one mail out. A session moved (its sequence went up) or cancelled since scheduling sends nothing.
/// </summary>
public sealed class ReminderJob(ReminderMessenger messenger, ReminderStore store)
{
    /// <summary>The reminder as scheduled for the session's <paramref name="sequence"/>; stale when the session changed since.</summary>
    public Task<bool> RunAsync(long sessionId, long personId, string kind, int sequence, CancellationToken ct) =>
        messenger.SendAsync(sessionId, personId, kind, sequence, ct);

    /// <summary>The reminder for the session as it is now.</summary>
    public async Task<bool> RunAsync(long sessionId, long personId, string kind, CancellationToken ct)
    {
        var session = await store.SessionAsync(sessionId, ct);
        return session is not null && await messenger.SendAsync(sessionId, personId, kind, session.Sequence, ct);
    }
}
