using System.Linq.Expressions;
using Hangfire;

namespace MentorCircles.Core.Scheduling.Reminders;

/// <summary>Configuration section <c>Reminders</c>: how long before a session each reminder kind goes out.</summary>
public sealed class ReminderSettings
{
    public const string Section = "Reminders";
    public Dictionary<string, TimeSpan> Before { get; set; } = new()
    {
        [ReminderKinds.DayBefore] = TimeSpan.FromDays(1),
        [ReminderKinds.HourBefore] = TimeSpan.FromHours(1),
    };
}

public static class ReminderTimes
{
    /// <summary>
    /// When a reminder <paramref name="before"/> a session starting at <paramref name="start"/> goes out: never before the
    /// circle's previous session has ended (a reminder for the next meeting during this one confuses), and not at all
    /// when that leaves no time before the start or the time has already passed.
    /// </summary>
    public static DateTimeOffset? Due(DateTimeOffset start, TimeSpan before, DateTimeOffset? previousEnd, DateTimeOffset now)
    {
        var due = start - before;
        if (previousEnd is { } end && end > due) due = end;
        return due >= start || due < now ? null : due;
    }
}

/// <summary>Enqueues a delayed <see cref="ReminderJob"/> per current member and reminder kind of a scheduled session.</summary>
public sealed class ReminderScheduler(ReminderStore store, IBackgroundJobClient jobs, ReminderSettings settings, TimeProvider clock)
{
    /// <summary>Returns how many reminders were scheduled. Call again after a move: the old ones then find a stale sequence.</summary>
    public async Task<int> ScheduleAsync(long sessionId, CancellationToken ct)
    {
        var s = await store.SessionAsync(sessionId, ct);
        if (s is null || s.Status != "scheduled") return 0;
        var members = await store.CurrentMembersAsync(s.CircleId, ct);
        var now = clock.GetUtcNow();
        var count = 0;
        foreach (var (kind, before) in settings.Before.OrderByDescending(k => k.Value))
        {
            if (ReminderTimes.Due(s.StartsAt, before, s.PreviousEndsAt, now) is not { } due) continue;
            foreach (var person in members)
            {
                Expression<Func<ReminderJob, Task>> call = j => j.RunAsync(s.Id, person, kind, s.Sequence, CancellationToken.None);
                jobs.Schedule(call, due);
                count++;
            }
        }
        return count;
    }
}

/// <summary>Sends a moved session's update, or a cancelled session's cancellation, once to each current member.</summary>
public sealed class SessionChangeNotifier(ReminderStore store, ReminderMessenger messenger)
{
    public async Task<int> NotifyMovedOrCancelledAsync(long sessionId, CancellationToken ct)
    {
        var s = await store.SessionAsync(sessionId, ct);
        if (s is null) return 0;
        var kind = s.Status == "cancelled" ? ReminderKinds.Cancelled : ReminderKinds.Moved(s.Sequence);
        var sent = 0;
        foreach (var person in await store.CurrentMembersAsync(s.CircleId, ct))
            if (await messenger.SendAsync(sessionId, person, kind, s.Sequence, ct)) sent++;
        return sent;
    }
}
