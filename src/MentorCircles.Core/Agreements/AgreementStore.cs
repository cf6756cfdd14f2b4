using System.Data.Common;
using Dapper;
using MentorCircles.Core.Audit;
using Npgsql;

namespace MentorCircles.Core.Agreements;

/// <summary>One version of a circle's agreement, as stored (rows are permanent).</summary>
public sealed record AgreementVersion(long Id, long CircleId, int Version, string Body, string Reason, long? CreatedBy, string? CreatedByName, DateTimeOffset CreatedAt);

/// <summary>One signed acceptance by one person.</summary>
public sealed record AgreementAcceptance(long VersionId, int Version, string SignedName, DateTimeOffset AcceptedAt);

/// <summary>A current member of a circle and the latest version of its agreement they have accepted (if any).</summary>
public sealed record AcceptanceStatus(long PersonId, string DisplayName, string Role, int? AcceptedVersion, DateTimeOffset? AcceptedAt);

/// <summary>The SQL of confidentiality agreements. Versions and acceptances are only ever inserted: triggers refuse UPDATE and DELETE.</summary>
public sealed class AgreementStore(NpgsqlDataSource db)
{
    /// <summary>
    /// Called by whoever adds a member, inside their transaction: when the circle has an agreement and asks everyone
    /// to accept again on a new member (mentor.circle.reaccept_on_join), a new version with the same text is made,
    /// so nobody has accepted it yet and everyone knows who is now bound. Does nothing otherwise.
    /// </summary>
    public static async Task AskEveryoneToReacceptAsync(DbConnection conn, DbTransaction tx, long circleId, long? actorId, string newMemberName, CancellationToken ct)
    {
        var reaccept = await LockCircleAsync(conn, tx, circleId, ct);
        if (reaccept is not true) return;
        var current = await CurrentAsync(conn, tx, circleId, ct);
        if (current is null) return;
        await CreateVersionAsync(conn, tx, circleId, actorId, current.Body, AgreementReasons.MemberJoined, new { newMember = newMemberName }, ct);
    }

    /// <summary>
    /// Locks the circle row for the rest of the transaction so two saves cannot race for the same version number.
    /// Returns its reaccept_on_join, or null when there is no such circle.
    /// </summary>
    internal static Task<bool?> LockCircleAsync(DbConnection conn, DbTransaction tx, long circleId, CancellationToken ct) =>
        conn.ExecuteScalarAsync<bool?>(new CommandDefinition("""
            SELECT reaccept_on_join FROM mentor.circle WHERE id = @circleId FOR NO KEY UPDATE
            """, new { circleId }, tx, cancellationToken: ct));

    /// <summary>Inserts the next version and its audit row; returns the new version number.</summary>
    internal static async Task<int> CreateVersionAsync(DbConnection conn, DbTransaction tx, long circleId, long? actorId, string body, string reason,
        object? auditDetails, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO mentor.agreement_version (circle_id, version, body, reason, created_by)
            SELECT @circleId, coalesce(max(version), 0) + 1, @body, @reason, @actorId
            FROM mentor.agreement_version WHERE circle_id = @circleId
            RETURNING id, version
            """;
        var (id, version) = await conn.QuerySingleAsync<(long, int)>(new CommandDefinition(sql, new { circleId, body, reason, actorId }, tx, cancellationToken: ct));
        await AuditLog.WriteAsync(conn, tx, actorId, "agreement.version_created", $"circle:{circleId}",
            new { versionId = id, version, reason, details = auditDetails }, ct);
        return version;
    }

    /// <summary>Records a signed acceptance and its audit row.</summary>
    internal static async Task RecordAcceptanceAsync(DbConnection conn, DbTransaction tx, long circleId, long versionId, int version, long personId,
        string signedName, CancellationToken ct)
    {
        const string sql = """
            INSERT INTO mentor.agreement_acceptance (agreement_version_id, person_id, signed_name)
            VALUES (@versionId, @personId, @signedName)
            """;
        await conn.ExecuteAsync(new CommandDefinition(sql, new { versionId, personId, signedName }, tx, cancellationToken: ct));
        await AuditLog.WriteAsync(conn, tx, personId, "agreement.accepted", $"circle:{circleId}", new { versionId, version }, ct);
    }

    internal static Task<AgreementVersion?> CurrentAsync(DbConnection conn, DbTransaction? tx, long circleId, CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<AgreementVersion?>(new CommandDefinition("""
            SELECT v.id, v.circle_id, v.version, v.body, v.reason, v.created_by, p.display_name AS created_by_name, v.created_at
            FROM mentor.agreement_version v LEFT JOIN mentor.person p ON p.id = v.created_by
            WHERE v.circle_id = @circleId
            ORDER BY v.version DESC LIMIT 1
            """, new { circleId }, tx, cancellationToken: ct));

    public async Task<AgreementVersion?> CurrentAsync(long circleId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await CurrentAsync(conn, null, circleId, ct);
    }

    /// <summary>Every version of a circle's agreement, newest first.</summary>
    public async Task<IReadOnlyList<AgreementVersion>> VersionsAsync(long circleId, CancellationToken ct)
    {
        const string sql = """
            SELECT v.id, v.circle_id, v.version, v.body, v.reason, v.created_by, p.display_name AS created_by_name, v.created_at
            FROM mentor.agreement_version v LEFT JOIN mentor.person p ON p.id = v.created_by
            WHERE v.circle_id = @circleId
            ORDER BY v.version DESC
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<AgreementVersion>(new CommandDefinition(sql, new { circleId }, cancellationToken: ct))).AsList();
    }

    /// <summary>What one person has accepted in one circle, newest first.</summary>
    public async Task<IReadOnlyList<AgreementAcceptance>> HistoryAsync(long circleId, long personId, CancellationToken ct)
    {
        const string sql = """
            SELECT a.agreement_version_id AS version_id, v.version, a.signed_name, a.accepted_at
            FROM mentor.agreement_acceptance a JOIN mentor.agreement_version v ON v.id = a.agreement_version_id
            WHERE v.circle_id = @circleId AND a.person_id = @personId
            ORDER BY v.version DESC
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<AgreementAcceptance>(new CommandDefinition(sql, new { circleId, personId }, cancellationToken: ct))).AsList();
    }

    /// <summary>Every current member with the latest version they accepted: facilitator first, then mentors, then the rest by name.</summary>
    public async Task<IReadOnlyList<AcceptanceStatus>> StatusAsync(long circleId, CancellationToken ct)
    {
        const string sql = """
            SELECT m.person_id, p.display_name, m.role, last.version AS accepted_version, last.accepted_at
            FROM mentor.membership m
            JOIN mentor.person p ON p.id = m.person_id
            LEFT JOIN LATERAL (
                SELECT v.version, a.accepted_at
                FROM mentor.agreement_acceptance a JOIN mentor.agreement_version v ON v.id = a.agreement_version_id
                WHERE v.circle_id = m.circle_id AND a.person_id = m.person_id
                ORDER BY v.version DESC LIMIT 1
            ) last ON true
            WHERE m.circle_id = @circleId AND m.left_at IS NULL
            ORDER BY CASE m.role WHEN 'facilitator' THEN 0 WHEN 'mentor' THEN 1 ELSE 2 END, p.display_name
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<AcceptanceStatus>(new CommandDefinition(sql, new { circleId }, cancellationToken: ct))).AsList();
    }

    /// <summary>The circle's name and format, and the asking person's display name and time zone: what the agreement page is about.</summary>
    public async Task<(string CircleName, string Format, bool ReacceptOnJoin, string MyName, string MyTimeZone)> HeaderAsync(long circleId, long personId, CancellationToken ct)
    {
        const string sql = """
            SELECT c.name, c.format, c.reaccept_on_join, p.display_name, p.time_zone
            FROM mentor.circle c, mentor.person p
            WHERE c.id = @circleId AND p.id = @personId
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<(string, string, bool, string, string)>(new CommandDefinition(sql, new { circleId, personId }, cancellationToken: ct));
    }
}

/// <summary>Why a version was made: the codes stored in mentor.agreement_version.reason.</summary>
public static class AgreementReasons
{
    public const string Created = "created";
    public const string Edited = "edited";
    public const string MemberJoined = "member_joined";
}
