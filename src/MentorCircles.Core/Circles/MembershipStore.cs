using System.Data.Common;
using Dapper;

namespace MentorCircles.Core.Circles;

/// <summary>The circle row as membership changes need it, locked for the rest of the transaction.</summary>
public sealed record LockedCircle(long Id, long ProgramId, string Name, string Format, int MinSize, int MaxSize, bool ReacceptOnJoin);

/// <summary>A current member as membership changes see them.</summary>
public sealed record CurrentMember(long PersonId, string DisplayName, string Role, string? Stage)
{
    public RuleMember ForRules => new(Role, Stage, DisplayName);
}

/// <summary>
/// Membership rows inside the caller's transaction. A membership is never deleted: leaving or removal sets left_at,
/// so objectives and check-ins stay with their owner, and a later rejoin is a new row.
/// </summary>
public static class MembershipStore
{
    /// <summary>Locks the circle (so two changes cannot both take the last place) and returns it; null when it does not exist or is archived.</summary>
    public static Task<LockedCircle?> LockCircleAsync(DbConnection conn, DbTransaction tx, long circleId, CancellationToken ct) =>
        conn.QuerySingleOrDefaultAsync<LockedCircle>(new CommandDefinition("""
            SELECT id, program_id, name, format, min_size, max_size, reaccept_on_join
            FROM mentor.circle WHERE id = @circleId AND archived_at IS NULL
            FOR NO KEY UPDATE
            """, new { circleId }, tx, cancellationToken: ct));

    public static async Task<IReadOnlyList<CurrentMember>> CurrentAsync(DbConnection conn, DbTransaction tx, long circleId, CancellationToken ct) =>
        (await conn.QueryAsync<CurrentMember>(new CommandDefinition("""
            SELECT m.person_id, p.display_name, m.role, m.stage
            FROM mentor.membership m JOIN mentor.person p ON p.id = m.person_id
            WHERE m.circle_id = @circleId AND m.left_at IS NULL
            ORDER BY m.joined_at, m.id
            """, new { circleId }, tx, cancellationToken: ct))).AsList();

    public static Task InsertAsync(DbConnection conn, DbTransaction tx, long circleId, long personId, string role, string? stage, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO mentor.membership (circle_id, person_id, role, stage) VALUES (@circleId, @personId, @role, @stage)
            """, new { circleId, personId, role, stage }, tx, cancellationToken: ct));

    /// <summary>Ends a current membership now; false when the person was not a current member.</summary>
    public static async Task<bool> EndAsync(DbConnection conn, DbTransaction tx, long circleId, long personId, CancellationToken ct) =>
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE mentor.membership SET left_at = greatest(now(), joined_at)
            WHERE circle_id = @circleId AND person_id = @personId AND left_at IS NULL
            """, new { circleId, personId }, tx, cancellationToken: ct)) > 0;
}
