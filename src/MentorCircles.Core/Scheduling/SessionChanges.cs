using Dapper;
using Hangfire;
using MentorCircles.Core.Conflicts;
using MentorCircles.Core.Scheduling.Reminders;

namespace MentorCircles.Core.Scheduling;

/// <summary>What happened to a session, for the follow-up work it needs.</summary>
public enum SessionChange { Scheduled, Moved, Cancelled }

/// <summary>
/// The one place code calls after it has committed a change that scheduling must react to. Each call enqueues a Hangfire
/// job, so the follow-up (reminders, notices, conflict re-check) survives a restart and never runs inside the caller's
/// transaction. Call only after commit.
/// </summary>
public sealed class SessionChanges(IBackgroundJobClient jobs)
{
    /// <summary>A session was created, moved or cancelled: reminders, an update or cancellation notice, conflicts re-checked.</summary>
    public void Session(long sessionId, SessionChange change) =>
        jobs.Enqueue<SessionChangeJob>(j => j.SessionAsync(sessionId, change, CancellationToken.None));

    /// <summary>Something only this session's conflicts depend on changed (an RSVP, a hand-over): its conflicts re-checked.</summary>
    public void Recheck(long sessionId) =>
        jobs.Enqueue<ConflictDetectionJob>(j => j.RecheckSessionAsync(sessionId, CancellationToken.None));

    /// <summary>Something about a person that scheduling reads changed (availability, RSVP, membership): conflicts re-checked in their programs.</summary>
    public void Person(long personId) =>
        jobs.Enqueue<SessionChangeJob>(j => j.PersonAsync(personId, CancellationToken.None));

    /// <summary>A program-wide fact changed (blackout dates, many sessions at once): a full conflict scan of the program.</summary>
    public void Program(long programId) =>
        jobs.Enqueue<ConflictDetectionJob>(j => j.RunAsync(programId, CancellationToken.None));
}

/// <summary>
/// The follow-up work of <see cref="SessionChanges"/>. Safe to retry: notices and reminders are claimed exactly once in
/// reminder_sent, and conflict reconciliation never duplicates an open conflict.
/// </summary>
public sealed class SessionChangeJob(ReminderScheduler reminders, SessionChangeNotifier notifier, ConflictDetectionJob conflicts)
{
    public async Task SessionAsync(long sessionId, SessionChange change, CancellationToken ct)
    {
        if (change != SessionChange.Scheduled) await notifier.NotifyMovedOrCancelledAsync(sessionId, ct);
        await reminders.ScheduleAsync(sessionId, ct);
        await conflicts.RecheckSessionAsync(sessionId, ct);
    }

    public async Task PersonAsync(long personId, CancellationToken ct)
    {
        foreach (var programId in await conflicts.ProgramsOfAsync(personId, ct))
            await conflicts.RunAsync(programId, ct);
    }
}
