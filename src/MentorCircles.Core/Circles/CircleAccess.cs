using Dapper;
using MentorCircles.Core.Common;
using Npgsql;

namespace MentorCircles.Core.Circles;

/// <summary>What a person may do in a circle: their current role, whether they coordinate its program, and where they stand with its agreement.</summary>
public sealed record CircleAccessInfo(long CircleId, long ProgramId, string? Role, bool IsCoordinator)
{
    /// <summary>The current agreement version's row id and number; null while the circle has no agreement yet.</summary>
    public long? AgreementVersionId { get; init; }
    public int? AgreementVersion { get; init; }
    /// <summary>True when this person has accepted the current version.</summary>
    public bool AcceptedCurrentAgreement { get; init; }

    public bool IsMember => Role is not null;
    /// <summary>Facilitators and mentors lead a circle: they see what members share with "facilitators".</summary>
    public bool IsLead => Role is "facilitator" or "mentor";
    /// <summary>Coordinators and the circle's facilitators write the agreement.</summary>
    public bool MayEditAgreement => IsCoordinator || Role == "facilitator";
    /// <summary>The gate: only a member who has accepted the current agreement sees anything beyond the circle's name and agreement.</summary>
    public bool MaySeeContent => IsMember && AgreementVersionId is not null && AcceptedCurrentAgreement;
}

/// <summary>Raised when a member asks for circle content before accepting the current agreement; pages send them to it.</summary>
public sealed class AgreementNotAcceptedException(long circleId)
    : AccessDeniedException("Accept this circle's current confidentiality agreement to see its content.")
{
    public long CircleId { get; } = circleId;
}

/// <summary>
/// The one place that answers circle-scoped access questions. Every circle page, endpoint and command asks it.
/// A person who is neither a current member nor a coordinator of the circle's program gets nothing, not even the name.
/// </summary>
public sealed class CircleAccess(NpgsqlDataSource db)
{
    public Task<CircleAccessInfo?> GetAsync(long circleId, long personId, CancellationToken ct) => QueryAsync(circleId, null, personId, ct);

    /// <summary>
    /// The access row of @personId for a circle given by its id (@circleId), or by one of its sessions (@sessionId, with
    /// @circleId null): one row, or none when the circle does not exist or is archived.
    /// </summary>
    private const string AccessRowSql = """
            WITH target AS (
                SELECT COALESCE(CAST(@circleId AS bigint),
                                (SELECT s.circle_id FROM mentor.session s WHERE s.id = CAST(@sessionId AS bigint))) AS circle_id
            ), current_version AS (
                SELECT id, version FROM mentor.agreement_version
                WHERE circle_id = (SELECT circle_id FROM target) ORDER BY version DESC LIMIT 1
            )
            SELECT c.id AS circle_id, c.program_id,
                   (SELECT m.role FROM mentor.membership m
                     WHERE m.circle_id = c.id AND m.person_id = @personId AND m.left_at IS NULL) AS role,
                   EXISTS (SELECT 1 FROM mentor.program_person pp
                     WHERE pp.program_id = c.program_id AND pp.person_id = @personId AND pp.role = 'coordinator') AS is_coordinator,
                   (SELECT id FROM current_version) AS agreement_version_id,
                   (SELECT version FROM current_version) AS agreement_version,
                   EXISTS (SELECT 1 FROM mentor.agreement_acceptance a
                     WHERE a.agreement_version_id = (SELECT id FROM current_version) AND a.person_id = @personId) AS accepted_current_agreement
            FROM mentor.circle c
            WHERE c.id = (SELECT circle_id FROM target) AND c.archived_at IS NULL
            """;

    /// <summary>
    /// SQL, true when @personId passes the content gate of @sessionId's circle (<see cref="RequireSessionContentAsync"/>:
    /// a current member who accepted the current agreement), for a statement that must check it in the same round trip
    /// as its own work: every live-room press (RoomEventStore). Bind @circleId to null. False tells nothing of why:
    /// ask <see cref="RequireSessionContentAsync"/> for the refusal.
    /// </summary>
    public const string SessionContentGateSql = $"""
        EXISTS (SELECT 1 FROM ({AccessRowSql}) AS access
                WHERE access.role IS NOT NULL AND access.agreement_version_id IS NOT NULL AND access.accepted_current_agreement)
        """;

    /// <summary>The access row for a circle given by its id, or by one of its sessions: one query either way.</summary>
    private async Task<CircleAccessInfo?> QueryAsync(long? circleId, long? sessionId, long personId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(AccessRowSql, new { circleId, sessionId, personId }, cancellationToken: ct));
        if (row is null || (row.Role is null && !row.IsCoordinator)) return null;
        return new CircleAccessInfo(row.CircleId, row.ProgramId, row.Role, row.IsCoordinator)
        {
            AgreementVersionId = row.AgreementVersionId,
            AgreementVersion = row.AgreementVersion,
            AcceptedCurrentAgreement = row.AcceptedCurrentAgreement,
        };
    }

    /// <summary>A member or a coordinator: enough for the circle's name, its agreement and (coordinators) its membership.
    /// Throws the same refusal for "no such circle" and "not yours", so ids cannot be probed.</summary>
    public async Task<CircleAccessInfo> RequireAsync(long circleId, long personId, CancellationToken ct) =>
        await GetAsync(circleId, personId, ct) ?? throw new AccessDeniedException("This circle does not exist or you are not one of its members.");

    /// <summary>A member who has accepted the current agreement: the gate for everything said or shared in the circle.</summary>
    public async Task<CircleAccessInfo> RequireContentAsync(long circleId, long personId, CancellationToken ct) =>
        RequireContent(await GetAsync(circleId, personId, ct), "This circle does not exist or you are not one of its members.");

    /// <summary>The content gate on an access row: a current member (else <paramref name="refusal"/>) who accepted the current agreement.</summary>
    private static CircleAccessInfo RequireContent(CircleAccessInfo? who, string refusal)
    {
        if (who is null || !who.IsMember) throw new AccessDeniedException(refusal);
        if (!who.MaySeeContent) throw new AgreementNotAcceptedException(who.CircleId);
        return who;
    }

    /// <summary>
    /// The content gate for anything inside one session (its plan, live room, notes, summary): the session's circle,
    /// a current member of it, the current agreement accepted. An unknown session is refused like a foreign one.
    /// </summary>
    public async Task<(CircleAccessInfo Who, long CircleId)> RequireSessionContentAsync(long sessionId, long personId, CancellationToken ct)
    {
        // One query: every live-room command asks this before it is decided.
        var who = RequireContent(await QueryAsync(null, sessionId, personId, ct), "This session does not exist or you are not a member of its circle.");
        return (who, who.CircleId);
    }

    /// <summary>A coordinator of the circle's program: forming the circle and its membership, aggregates only.</summary>
    public async Task<CircleAccessInfo> RequireCoordinatorAsync(long circleId, long personId, CancellationToken ct)
    {
        var who = await GetAsync(circleId, personId, ct);
        if (who is null || !who.IsCoordinator) throw new AccessDeniedException("Only a coordinator of this circle's program can do that.");
        return who;
    }

    private sealed record Row(long CircleId, long ProgramId, string? Role, bool IsCoordinator, long? AgreementVersionId, int? AgreementVersion, bool AcceptedCurrentAgreement);
}
