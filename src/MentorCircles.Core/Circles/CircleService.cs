using Dapper;
using MentorCircles.Core.Audit;
using MentorCircles.Core.Common;
using MentorCircles.Core.Scheduling;
using Npgsql;

namespace MentorCircles.Core.Circles;

public sealed record CircleMember(long PersonId, string DisplayName, string Role, string TimeZone, string? Stage);

public sealed record CircleOverview(
    long Id, string Name, string Purpose, string Format, string Modality, string MeetingPlace, string MeetingFallback,
    string TimeZone, string Cadence, int SessionMinutes, int MinSize, int MaxSize)
{
    public IReadOnlyList<CircleMember> Members { get; init; } = [];
    public CircleAccessInfo Access { get; init; } = null!;
    /// <summary>True for a member who has not accepted the current agreement: only the name is filled in.</summary>
    public bool Gated { get; init; }
}

/// <summary>What circle pages show; every call goes through <see cref="CircleAccess"/> first.</summary>
public sealed class CircleService(NpgsqlDataSource db, CircleAccess access, SessionChanges? changes = null)
{
    public async Task<CircleOverview> OverviewAsync(long circleId, long personId, CancellationToken ct)
    {
        var who = await access.RequireAsync(circleId, personId, ct);
        // Coordinators formed the circle and see its set-up; a member sees it once bound by the current agreement.
        var gated = !who.IsCoordinator && !who.MaySeeContent;
        const string sql = """
            SELECT id, name, purpose, format, modality, meeting_place, meeting_fallback, time_zone, cadence,
                   session_minutes, min_size, max_size
            FROM mentor.circle WHERE id = @circleId;

            SELECT m.person_id, p.display_name, m.role, p.time_zone, m.stage
            FROM mentor.membership m JOIN mentor.person p ON p.id = m.person_id
            WHERE m.circle_id = @circleId AND m.left_at IS NULL
            ORDER BY CASE m.role WHEN 'facilitator' THEN 0 WHEN 'mentor' THEN 1 ELSE 2 END, p.display_name;
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { circleId }, cancellationToken: ct));
        var circle = await grid.ReadSingleAsync<CircleOverview>();
        var members = (await grid.ReadAsync<CircleMember>()).AsList();
        if (gated)
            return new CircleOverview(circle.Id, circle.Name, "", circle.Format, circle.Modality, "", "", "", "", 0, 0, 0) { Access = who, Gated = true };
        return circle with { Members = members, Access = who };
    }

    /// <summary>
    /// A member leaves the circle: their access ends now, their objectives and check-ins stay theirs, and a coordinator can add them again later.
    /// Allowed before accepting the agreement too: leaving must never be gated.
    /// </summary>
    public async Task LeaveAsync(long circleId, long personId, CancellationToken ct)
    {
        var who = await access.RequireAsync(circleId, personId, ct);
        if (!who.IsMember) throw new AccessDeniedException("You are not a member of this circle, so there is nothing to leave.");
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        _ = await MembershipStore.LockCircleAsync(conn, tx, circleId, ct);
        var current = await MembershipStore.CurrentAsync(conn, tx, circleId, ct);
        var role = current.FirstOrDefault(m => m.PersonId == personId)?.Role
            ?? throw new AccessDeniedException("You are not a member of this circle, so there is nothing to leave.");
        await MembershipStore.EndAsync(conn, tx, circleId, personId, ct);
        await AuditLog.WriteAsync(conn, tx, personId, "membership.left", $"circle:{circleId}", new { personId, role }, ct);
        await tx.CommitAsync(ct);
        changes?.Person(personId);
    }
}
