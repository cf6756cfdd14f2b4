using Dapper;
using Npgsql;

namespace MentorCircles.Core.Scheduling.Reminders;

/// <summary>What a reminder or change notice about one session says to one person.</summary>
public sealed record ReminderTarget(
    long SessionId, long CircleId, string Title, string CircleName, string MeetingPlace, DateTimeOffset StartsAt,
    DateTimeOffset EndsAt, string Status, int Sequence, DateTimeOffset UpdatedAt,
    long PersonId, string Email, string DisplayName, string TimeZone)
{
    public string Summary => string.IsNullOrWhiteSpace(Title) ? CircleName : $"{Title} · {CircleName}";

    public FeedSession AsFeedSession() =>
        new(SessionId, Sequence, StartsAt, EndsAt, Summary, MeetingPlace, null, Status == "cancelled", UpdatedAt);
}

public sealed record SessionForReminders(long Id, long CircleId, DateTimeOffset StartsAt, string Status, int Sequence, DateTimeOffset? PreviousEndsAt);

/// <summary>
/// The reminder_sent ledger: a message is claimed under (session, person, kind, sequence) before it leaves, so a
/// retried or concurrent job finds the row and sends nothing.
/// </summary>
public sealed class ReminderStore(NpgsqlDataSource db)
{
    public async Task<ReminderTarget?> TargetAsync(long sessionId, long personId, CancellationToken ct)
    {
        const string sql = """
            SELECT s.id AS session_id, s.circle_id, s.title, c.name AS circle_name, c.meeting_place, s.starts_at, s.ends_at,
                   s.status, s.sequence, s.updated_at, p.id AS person_id, p.email, p.display_name, p.time_zone
            FROM mentor.session s
            JOIN mentor.circle c ON c.id = s.circle_id
            JOIN mentor.membership m ON m.circle_id = s.circle_id AND m.person_id = @personId AND m.left_at IS NULL
            JOIN mentor.person p ON p.id = m.person_id
            WHERE s.id = @sessionId
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<ReminderTarget>(new CommandDefinition(sql, new { sessionId, personId }, cancellationToken: ct));
    }

    public async Task<SessionForReminders?> SessionAsync(long sessionId, CancellationToken ct)
    {
        const string sql = """
            SELECT s.id, s.circle_id, s.starts_at, s.status, s.sequence,
                   (SELECT max(p.ends_at) FROM mentor.session p
                    WHERE p.circle_id = s.circle_id AND p.id <> s.id AND p.status <> 'cancelled' AND p.starts_at < s.starts_at) AS previous_ends_at
            FROM mentor.session s WHERE s.id = @sessionId
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<SessionForReminders>(new CommandDefinition(sql, new { sessionId }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<long>> CurrentMembersAsync(long circleId, CancellationToken ct)
    {
        const string sql = "SELECT person_id FROM mentor.membership WHERE circle_id = @circleId AND left_at IS NULL ORDER BY person_id";
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<long>(new CommandDefinition(sql, new { circleId }, cancellationToken: ct))).AsList();
    }

    /// <summary>
    /// Claims the message in one statement (its own transaction), only while the session still has
    /// <paramref name="sequence"/>, the expected status and the person as a current member. A failed earlier attempt
    /// may be claimed again; a sending or sent one never.
    /// </summary>
    public async Task<bool> TryClaimAsync(long sessionId, long personId, string kind, int sequence, bool cancelled, DateTimeOffset now, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO mentor.reminder_sent (session_id, person_id, kind, sequence, status, claimed_at)
            SELECT s.id, m.person_id, @kind, s.sequence, 'sending', @now
            FROM mentor.session s
            JOIN mentor.membership m ON m.circle_id = s.circle_id AND m.person_id = @personId AND m.left_at IS NULL
            WHERE s.id = @sessionId AND s.sequence = @sequence
              AND CASE WHEN @cancelled THEN s.status = 'cancelled' ELSE s.status = 'scheduled' END
            ON CONFLICT (session_id, person_id, kind, sequence) DO UPDATE
                SET status = 'sending', claimed_at = EXCLUDED.claimed_at, error = NULL
                WHERE mentor.reminder_sent.status = 'failed'
            RETURNING 1
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var claimed = await conn.ExecuteScalarAsync<int?>(new CommandDefinition(sql,
            new { sessionId, personId, kind, sequence, cancelled, now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return claimed == 1;
    }

    /// <summary>Marks the message sent and leaves the in-app notification, together.</summary>
    public async Task MarkSentAsync(long sessionId, long personId, string kind, int sequence, string notification, DateTimeOffset now, CancellationToken ct)
    {
        const string sent = """
            UPDATE mentor.reminder_sent SET status = 'sent', sent_at = @now
            WHERE session_id = @sessionId AND person_id = @personId AND kind = @kind AND sequence = @sequence
            """;
        const string notify = """
            INSERT INTO mentor.notification (person_id, session_id, kind, body, created_at)
            VALUES (@personId, @sessionId, @notificationKind, @body, @now)
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sent, new { sessionId, personId, kind, sequence, now }, tx, cancellationToken: ct));
        var notificationKind = kind.StartsWith("moved:", StringComparison.Ordinal) ? "moved" : kind;
        await conn.ExecuteAsync(new CommandDefinition(notify,
            new { personId, sessionId, notificationKind, body = notification[..Math.Min(notification.Length, 2000)], now }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    public async Task MarkFailedAsync(long sessionId, long personId, string kind, int sequence, string error, CancellationToken ct)
    {
        const string sql = """
            UPDATE mentor.reminder_sent SET status = 'failed', error = @error
            WHERE session_id = @sessionId AND person_id = @personId AND kind = @kind AND sequence = @sequence
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql,
            new { sessionId, personId, kind, sequence, error = error[..Math.Min(error.Length, 1000)] }, cancellationToken: ct));
    }
}
