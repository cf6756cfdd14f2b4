using System.Data.Common;
using Dapper;

namespace MentorCircles.Core.Conflicts;

/// <summary>The queue's filters; null means any. Status is open, resolved or closed; <see cref="PersonName"/> matches part of a name.</summary>
public sealed record ConflictQueueFilter(string? Status = "open", string? Kind = null, long? CircleId = null, string? PersonName = null);

/// <summary>A session a conflict is about, with its circle's name and home zone.</summary>
public sealed record ConflictSessionInfo(long Id, long CircleId, string CircleName, string CircleTimeZone, DateTimeOffset StartsAt, DateTimeOffset EndsAt, string Status);

/// <summary>One stored conflict as the queue reads it (ids; the service turns them into names).</summary>
/// <remarks>Properties rather than a positional constructor: Dapper reports bigint[] columns as System.Array when matching constructors.</remarks>
public sealed record ConflictQueueRow
{
    public long Id { get; init; }
    public string Kind { get; init; } = "";
    public string Status { get; init; } = "";
    public long? SessionId { get; init; }
    public long[] PersonIds { get; init; } = [];
    public long[] SessionIds { get; init; } = [];
    public string Detail { get; init; } = "";
    public DateTimeOffset DetectedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public long? ResolvedBy { get; init; }
    public string? Resolution { get; init; }
    public string? Note { get; init; }
}

public sealed partial class ConflictStore
{
    /// <summary>
    /// One page of a program's conflicts, newest first (by when they were detected, or closed for history), and how many
    /// match in all. Two statements in one round trip; the grid asks only for the page it shows.
    /// </summary>
    public static async Task<(IReadOnlyList<ConflictQueueRow> Rows, int Total)> QueuePageAsync(
        DbConnection conn, long programId, ConflictQueueFilter filter, int skip, int take, CancellationToken ct)
    {
        const string where = """
            WHERE c.program_id = @programId
              AND (@Status::text IS NULL OR c.status = @Status)
              AND (@Kind::text IS NULL OR c.kind = @Kind)
              AND (@CircleId::bigint IS NULL OR EXISTS (
                    SELECT 1 FROM mentor.session s WHERE s.id = ANY(c.session_ids) AND s.circle_id = @CircleId))
              AND (@name::text IS NULL OR EXISTS (
                    SELECT 1 FROM mentor.person p WHERE p.id = ANY(c.person_ids) AND p.display_name ILIKE @name ESCAPE '\'))
            """;
        var sql = $"""
            SELECT count(*)::int FROM mentor.conflict c
            {where};
            SELECT c.id, c.kind, c.status, c.session_id, c.person_ids, c.session_ids, coalesce(c.detail->>'text', '') AS detail,
                   c.detected_at, c.closed_at, c.resolved_by, c.resolution, c.note
            FROM mentor.conflict c
            {where}
            ORDER BY coalesce(c.closed_at, c.detected_at) DESC, c.id DESC
            OFFSET @skip LIMIT @take
            """;
        var name = string.IsNullOrWhiteSpace(filter.PersonName) ? null : $"%{EscapeLike(filter.PersonName.Trim())}%";
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql,
            new { programId, filter.Status, filter.Kind, filter.CircleId, name, skip, take }, cancellationToken: ct));
        var total = await grid.ReadSingleAsync<int>();
        var rows = (await grid.ReadAsync<ConflictQueueRow>()).AsList();
        return (rows, total);
    }

    /// <summary>The sessions with their circles' names and zones.</summary>
    public static async Task<IReadOnlyDictionary<long, ConflictSessionInfo>> SessionsAsync(DbConnection conn, long[] sessionIds, CancellationToken ct) =>
        (await conn.QueryAsync<ConflictSessionInfo>(new CommandDefinition("""
            SELECT s.id, s.circle_id, ci.name AS circle_name, ci.time_zone AS circle_time_zone, s.starts_at, s.ends_at, s.status
            FROM mentor.session s JOIN mentor.circle ci ON ci.id = s.circle_id
            WHERE s.id = ANY(@sessionIds)
            """, new { sessionIds }, cancellationToken: ct))).ToDictionary(s => s.Id);

    /// <summary>Display names by id.</summary>
    public static async Task<IReadOnlyDictionary<long, string>> NamesAsync(DbConnection conn, long[] personIds, CancellationToken ct) =>
        (await conn.QueryAsync<(long Id, string DisplayName)>(new CommandDefinition(
            "SELECT id, display_name FROM mentor.person WHERE id = ANY(@personIds)", new { personIds }, cancellationToken: ct)))
        .ToDictionary(p => p.Id, p => p.DisplayName);

    /// <summary>The program's name, the viewer's zone, and the program's circles for the circle filter.</summary>
    public static async Task<(string ProgramName, string ViewerTimeZone, IReadOnlyList<(long Id, string Name)> Circles)> QueueSetupAsync(
        DbConnection conn, long programId, long viewerId, CancellationToken ct)
    {
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition("""
            SELECT name FROM mentor.program WHERE id = @programId;
            SELECT time_zone FROM mentor.person WHERE id = @viewerId;
            SELECT id, name FROM mentor.circle WHERE program_id = @programId AND archived_at IS NULL ORDER BY name, id;
            """, new { programId, viewerId }, cancellationToken: ct));
        var program = await grid.ReadSingleAsync<string>();
        var zone = await grid.ReadSingleAsync<string>();
        var circles = (await grid.ReadAsync<(long Id, string Name)>()).AsList();
        return (program, zone, circles);
    }

    private static string EscapeLike(string text) => text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
