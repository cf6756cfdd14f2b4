using Dapper;
using MentorCircles.Core.Circles;
using MentorCircles.Core.Common;
using Npgsql;

namespace MentorCircles.Core.Sessions;

public sealed record ActionItemRow(
    long Id, long CircleId, string CircleName, long? SessionId, long OwnerId, string OwnerName, string Title, DateOnly? DueOn,
    long? ObjectiveId, string? ObjectiveTitle, DateTimeOffset? DoneAt);

public sealed record ActionItemInput(string? Title, DateOnly? DueOn, long? ObjectiveId);

/// <summary>
/// What a member takes away from a session: private notes (read back only ever for their writer) and action items
/// (shared with the circle's members, never with coordinators), each optionally towards one of the owner's objectives.
/// </summary>
public sealed class SessionNotesService(NpgsqlDataSource db, CircleAccess access, TimeProvider clock)
{
    public const int MaxNoteLength = 20_000;

    public async Task<string> MyNoteAsync(long sessionId, long personId, CancellationToken ct)
    {
        await access.RequireSessionContentAsync(sessionId, personId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT body FROM mentor.private_note WHERE session_id = @sessionId AND person_id = @personId",
            new { sessionId, personId }, cancellationToken: ct)) ?? "";
    }

    public async Task SaveMyNoteAsync(long sessionId, long personId, string? body, CancellationToken ct)
    {
        await access.RequireSessionContentAsync(sessionId, personId, ct);
        var text = body ?? "";
        if (text.Length > MaxNoteLength)
            throw new InvalidInputException("note", $"Your note is {text.Length:N0} characters; the limit is {MaxNoteLength:N0}. Nothing was saved.");
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO mentor.private_note (session_id, person_id, body, updated_at) VALUES (@sessionId, @personId, @text, @now)
            ON CONFLICT (session_id, person_id) DO UPDATE SET body = EXCLUDED.body, updated_at = EXCLUDED.updated_at
            """, new { sessionId, personId, text, now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<ActionItemRow>> ForSessionAsync(long sessionId, long personId, CancellationToken ct)
    {
        await access.RequireSessionContentAsync(sessionId, personId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        return await QueryAsync(conn, "a.session_id = @sessionId", new { sessionId, personId }, ct);
    }

    /// <summary>The person's own open action items across their current circles, for the home page.</summary>
    public async Task<IReadOnlyList<ActionItemRow>> MyOpenAsync(long personId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await QueryAsync(conn, """
            a.owner_id = @personId AND a.done_at IS NULL
            AND EXISTS (SELECT 1 FROM mentor.membership m WHERE m.circle_id = a.circle_id AND m.person_id = @personId AND m.left_at IS NULL)
            """, new { personId }, ct);
    }

    public async Task<long> AddAsync(long sessionId, long personId, ActionItemInput input, CancellationToken ct)
    {
        var (_, circleId) = await access.RequireSessionContentAsync(sessionId, personId, ct);
        var errors = new List<FieldError>();
        var title = input.Title?.Trim() ?? "";
        if (title.Length == 0) errors.Add(new("title", "Say what you will do."));
        else if (title.Length > 300) errors.Add(new("title", $"The action is {title.Length} characters; the limit is 300."));
        TextRules.CheckPlainText("title", "The action", title, errors);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        if (input.DueOn is { } due && due < today.AddDays(-1)) errors.Add(new("due", $"The due date {due:yyyy-MM-dd} is in the past."));
        if (input.DueOn is { } far && far > today.AddYears(2)) errors.Add(new("due", "Choose a due date within two years."));
        await using var conn = await db.OpenConnectionAsync(ct);
        if (input.ObjectiveId is { } objectiveId)
        {
            var mine = await conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
                SELECT EXISTS (SELECT 1 FROM mentor.objective WHERE id = @objectiveId AND circle_id = @circleId AND person_id = @personId)
                """, new { objectiveId, circleId, personId }, cancellationToken: ct));
            if (!mine) errors.Add(new("objective", "Link an action item only to one of your own objectives in this circle."));
        }
        InvalidInputException.ThrowIfAny(errors);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.action_item (circle_id, session_id, owner_id, title, due_on, objective_id, created_at)
            VALUES (@circleId, @sessionId, @personId, @title, @dueOn, @objectiveId, @now) RETURNING id
            """, new { circleId, sessionId, personId, title, dueOn = input.DueOn, objectiveId = input.ObjectiveId, now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>Marks one of your own action items done (or not done again).</summary>
    public async Task SetDoneAsync(long actionItemId, long personId, bool done, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var circleId = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT circle_id FROM mentor.action_item WHERE id = @actionItemId AND owner_id = @personId", new { actionItemId, personId }, cancellationToken: ct))
            ?? throw new AccessDeniedException("That action item does not exist or is not yours.");
        await access.RequireAsync(circleId, personId, ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE mentor.action_item SET done_at = CASE WHEN @done THEN @now END WHERE id = @actionItemId",
            new { done, now = clock.GetUtcNow(), actionItemId }, cancellationToken: ct));
    }

    private static async Task<IReadOnlyList<ActionItemRow>> QueryAsync(NpgsqlConnection conn, string where, object args, CancellationToken ct) =>
        (await conn.QueryAsync<ActionItemRow>(new CommandDefinition($"""
            SELECT a.id, a.circle_id, c.name AS circle_name, a.session_id, a.owner_id, p.display_name AS owner_name, a.title, a.due_on,
                   a.objective_id,
                   -- The objective's title is shown to its owner only; others see that an item has an objective, not which.
                   CASE WHEN o.person_id = @personId THEN o.title END AS objective_title,
                   a.done_at
            FROM mentor.action_item a
            JOIN mentor.circle c ON c.id = a.circle_id
            JOIN mentor.person p ON p.id = a.owner_id
            LEFT JOIN mentor.objective o ON o.id = a.objective_id
            WHERE {where}
            ORDER BY a.done_at IS NOT NULL, a.due_on NULLS LAST, a.id
            """, args, cancellationToken: ct))).AsList();
}
