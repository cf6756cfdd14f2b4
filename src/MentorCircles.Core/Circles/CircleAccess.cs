using Dapper;
using MentorCircles.Core.Common;
using Npgsql;

namespace MentorCircles.Core.Circles;

/// <summary>What a person may do in a circle: their current role there, and whether they coordinate its program.</summary>
public sealed record CircleAccessInfo(long CircleId, long ProgramId, string? Role, bool IsCoordinator)
{
    public bool IsMember => Role is not null;
}

/// <summary>
/// The one place that answers circle-scoped access questions. Every circle page, endpoint and command asks it.
/// A person who is neither a current member nor a coordinator of the circle's program gets nothing, not even the name.
/// </summary>
public sealed class CircleAccess(NpgsqlDataSource db)
{
    public async Task<CircleAccessInfo?> GetAsync(long circleId, long personId, CancellationToken ct)
    {
        const string sql = """
            SELECT c.id AS circle_id, c.program_id,
                   (SELECT m.role FROM mentor.membership m
                     WHERE m.circle_id = c.id AND m.person_id = @personId AND m.left_at IS NULL) AS role,
                   EXISTS (SELECT 1 FROM mentor.program_person pp
                     WHERE pp.program_id = c.program_id AND pp.person_id = @personId AND pp.role = 'coordinator') AS is_coordinator
            FROM mentor.circle c
            WHERE c.id = @circleId AND c.archived_at IS NULL
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var info = await conn.QuerySingleOrDefaultAsync<CircleAccessInfo>(new CommandDefinition(sql, new { circleId, personId }, cancellationToken: ct));
        return info is { IsMember: true } or { IsCoordinator: true } ? info : null;
    }

    /// <summary>Throws the same refusal for "no such circle" and "not yours", so ids cannot be probed.</summary>
    public async Task<CircleAccessInfo> RequireAsync(long circleId, long personId, CancellationToken ct) =>
        await GetAsync(circleId, personId, ct) ?? throw new AccessDeniedException("This circle does not exist or you are not one of its members.");
}
