using System.Data.Common;
using Dapper;
using MentorCircles.Core.Live;

namespace MentorCircles.Core.Sessions;

public sealed record SessionRow(
    long Id, long CircleId, string Title, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Status,
    DateTimeOffset? OpenedAt, DateTimeOffset? EndedAt);

public sealed record PlannedAgendaItem(long Id, int Position, AgendaKind Kind, string Title, int Minutes, long? OwnerId, string? OwnerName);

public sealed record TopicProposal(long Id, long PersonId, string PersonName, string Title, string Note, string Status, DateTimeOffset CreatedAt);

/// <summary>SQL for sessions, their planned agendas and topic proposals. Callers pass the connection and transaction.</summary>
public static class SessionStore
{
    public static Task<SessionRow?> GetAsync(DbConnection conn, DbTransaction? tx, long sessionId, bool forUpdate, CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<SessionRow?>(new CommandDefinition($"""
            SELECT id, circle_id, title, starts_at, ends_at, status, opened_at, ended_at
            FROM mentor.session WHERE id = @sessionId {(forUpdate ? "FOR UPDATE" : "")}
            """, new { sessionId }, tx, cancellationToken: ct));

    public static async Task<IReadOnlyList<SessionRow>> ListForCircleAsync(DbConnection conn, long circleId, CancellationToken ct) =>
        (await conn.QueryAsync<SessionRow>(new CommandDefinition("""
            SELECT id, circle_id, title, starts_at, ends_at, status, opened_at, ended_at
            FROM mentor.session WHERE circle_id = @circleId ORDER BY starts_at DESC, id DESC LIMIT 200
            """, new { circleId }, cancellationToken: ct))).AsList();

    public static Task<long> InsertAsync(DbConnection conn, DbTransaction tx, long circleId, string title, DateTimeOffset startsAt,
        DateTimeOffset endsAt, string status, long createdBy, CancellationToken ct) =>
        conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.session (circle_id, title, starts_at, ends_at, status, created_by)
            VALUES (@circleId, @title, @startsAt, @endsAt, @status, @createdBy) RETURNING id
            """, new { circleId, title, startsAt, endsAt, status, createdBy }, tx, cancellationToken: ct));

    public static async Task<IReadOnlyList<PlannedAgendaItem>> AgendaAsync(DbConnection conn, DbTransaction? tx, long sessionId, CancellationToken ct) =>
        (await conn.QueryAsync<(long Id, int Position, string Kind, string Title, int Minutes, long? OwnerId, string? OwnerName)>(new CommandDefinition("""
            SELECT a.id, a.position, a.kind, a.title, a.planned_minutes, a.owner_id, p.display_name
            FROM mentor.agenda_item a LEFT JOIN mentor.person p ON p.id = a.owner_id
            WHERE a.session_id = @sessionId ORDER BY a.position, a.id
            """, new { sessionId }, tx, cancellationToken: ct)))
        .Select(r => new PlannedAgendaItem(r.Id, r.Position, AgendaRules.ParseKind(r.Kind), r.Title, r.Minutes, r.OwnerId, r.OwnerName)).ToList();

    /// <summary>Replaces the whole planned agenda: positions are rewritten 0..n-1 so they never collide.</summary>
    public static async Task ReplaceAgendaAsync(DbConnection conn, DbTransaction tx, long sessionId, IReadOnlyList<(long? Id, AgendaStep Step)> items, CancellationToken ct)
    {
        var keep = items.Where(i => i.Id is not null).Select(i => i.Id!.Value).ToArray();
        await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM mentor.agenda_item WHERE session_id = @sessionId AND NOT (id = ANY(@keep))", new { sessionId, keep }, tx, cancellationToken: ct));
        for (var i = 0; i < items.Count; i++)
        {
            var (id, step) = items[i];
            var args = new { id, sessionId, position = i, kind = AgendaRules.KindKey(step.Kind), title = step.Title.Trim(), minutes = step.Minutes, owner = step.OwnerId };
            await conn.ExecuteAsync(new CommandDefinition(id is null
                ? """
                  INSERT INTO mentor.agenda_item (session_id, position, kind, title, planned_minutes, owner_id)
                  VALUES (@sessionId, @position, @kind, @title, @minutes, @owner)
                  """
                : """
                  UPDATE mentor.agenda_item SET position = @position, kind = @kind, title = @title, planned_minutes = @minutes, owner_id = @owner
                  WHERE id = @id AND session_id = @sessionId
                  """, args, tx, cancellationToken: ct));
        }
    }

    public static async Task<IReadOnlyList<TopicProposal>> TopicsAsync(DbConnection conn, long sessionId, CancellationToken ct) =>
        (await conn.QueryAsync<TopicProposal>(new CommandDefinition("""
            SELECT t.id, t.person_id, p.display_name AS person_name, t.title, t.note, t.status, t.created_at
            FROM mentor.topic_proposal t JOIN mentor.person p ON p.id = t.person_id
            WHERE t.session_id = @sessionId ORDER BY t.created_at, t.id
            """, new { sessionId }, cancellationToken: ct))).AsList();

    /// <summary>The circle's own template, or null when it uses the built-in one for its format.</summary>
    public static Task<string?> CircleTemplateJsonAsync(DbConnection conn, DbTransaction? tx, long circleId, CancellationToken ct) =>
        conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT items::text FROM mentor.circle_agenda_template WHERE circle_id = @circleId", new { circleId }, tx, cancellationToken: ct));

    public static Task SaveCircleTemplateAsync(DbConnection conn, DbTransaction tx, long circleId, string itemsJson, long personId, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO mentor.circle_agenda_template (circle_id, items, updated_by, updated_at)
            VALUES (@circleId, CAST(@itemsJson AS jsonb), @personId, now())
            ON CONFLICT (circle_id) DO UPDATE SET items = EXCLUDED.items, updated_by = EXCLUDED.updated_by, updated_at = now()
            """, new { circleId, itemsJson, personId }, tx, cancellationToken: ct));

    /// <summary>The current members as the room will know them, leads first.</summary>
    public static async Task<IReadOnlyList<RoomMember>> RosterAsync(DbConnection conn, DbTransaction tx, long circleId, CancellationToken ct) =>
        (await conn.QueryAsync<(long PersonId, string Name, string Role)>(new CommandDefinition("""
            SELECT m.person_id, p.display_name, m.role
            FROM mentor.membership m JOIN mentor.person p ON p.id = m.person_id
            WHERE m.circle_id = @circleId AND m.left_at IS NULL
            ORDER BY CASE m.role WHEN 'facilitator' THEN 0 WHEN 'mentor' THEN 1 ELSE 2 END, m.joined_at, p.id
            """, new { circleId }, tx, cancellationToken: ct)))
        .Select(r => new RoomMember(r.PersonId, r.Name, RoomSetup.RoleFor(r.Role))).ToList();
}
