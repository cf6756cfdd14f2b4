using Dapper;
using Npgsql;

namespace MentorCircles.Core.Circles;

public sealed record CircleSummary(
    long Id, string Name, string Purpose, string Format, string Modality, string TimeZone, string Cadence,
    int SessionMinutes, int MemberCount, string? MyRole);

public sealed class CircleStore(NpgsqlDataSource db)
{
    /// <summary>The circles a person currently belongs to, with their role in each.</summary>
    public async Task<IReadOnlyList<CircleSummary>> ListForPersonAsync(long personId, CancellationToken ct)
    {
        const string sql = """
            SELECT c.id, c.name, c.purpose, c.format, c.modality, c.time_zone, c.cadence, c.session_minutes,
                   (SELECT count(*) FROM mentor.membership m2 WHERE m2.circle_id = c.id AND m2.left_at IS NULL)::int AS member_count,
                   m.role AS my_role
            FROM mentor.circle c
            JOIN mentor.membership m ON m.circle_id = c.id AND m.person_id = @personId AND m.left_at IS NULL
            WHERE c.archived_at IS NULL
            ORDER BY c.name
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<CircleSummary>(new CommandDefinition(sql, new { personId }, cancellationToken: ct))).AsList();
    }

    /// <summary>Every circle of a program: names and counts only, for its coordinators.</summary>
    public async Task<IReadOnlyList<CircleSummary>> ListForProgramAsync(long programId, CancellationToken ct)
    {
        const string sql = """
            SELECT c.id, c.name, c.purpose, c.format, c.modality, c.time_zone, c.cadence, c.session_minutes,
                   (SELECT count(*) FROM mentor.membership m WHERE m.circle_id = c.id AND m.left_at IS NULL)::int AS member_count,
                   NULL AS my_role
            FROM mentor.circle c
            WHERE c.program_id = @programId AND c.archived_at IS NULL
            ORDER BY c.name
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<CircleSummary>(new CommandDefinition(sql, new { programId }, cancellationToken: ct))).AsList();
    }
}
