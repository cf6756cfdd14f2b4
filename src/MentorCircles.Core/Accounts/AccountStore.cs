using System.Data.Common;
using Dapper;
using Npgsql;

namespace MentorCircles.Core.Accounts;

public sealed record PersonAccount(
    long Id, string Email, string DisplayName, string TimeZone, string? PasswordHash, Guid SecurityStamp,
    int FailedSignIns, DateTimeOffset? LockedUntil, DateTimeOffset? DisabledAt, bool IsCoordinator);

public sealed record InvitationRow(long Id, long PersonId, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt, DateTimeOffset? RevokedAt,
    string DisplayName, string Email, string TimeZone);

public sealed class AccountStore(NpgsqlDataSource db)
{
    private const string PersonColumns = """
        p.id, p.email, p.display_name, p.time_zone, p.password_hash, p.security_stamp, p.failed_sign_ins,
        p.locked_until, p.disabled_at,
        EXISTS (SELECT 1 FROM mentor.program_person pp WHERE pp.person_id = p.id AND pp.role = 'coordinator') AS is_coordinator
        """;

    public async Task<PersonAccount?> FindByEmailAsync(string email, CancellationToken ct)
    {
        var sql = $"SELECT {PersonColumns} FROM mentor.person p WHERE lower(p.email) = lower(@email)";
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<PersonAccount>(new CommandDefinition(sql, new { email }, cancellationToken: ct));
    }

    public async Task<PersonAccount?> FindAsync(long id, CancellationToken ct)
    {
        var sql = $"SELECT {PersonColumns} FROM mentor.person p WHERE p.id = @id";
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<PersonAccount>(new CommandDefinition(sql, new { id }, cancellationToken: ct));
    }

    /// <summary>Counts one failed sign-in; at the limit, locks the account and starts the count again.</summary>
    public async Task<DateTimeOffset?> RecordFailedSignInAsync(long id, int maxFailures, DateTimeOffset lockUntil, CancellationToken ct)
    {
        const string sql = """
            UPDATE mentor.person SET
                locked_until    = CASE WHEN failed_sign_ins + 1 >= @maxFailures THEN @lockUntil ELSE locked_until END,
                failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= @maxFailures THEN 0 ELSE failed_sign_ins + 1 END
            WHERE id = @id
            RETURNING locked_until
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<DateTimeOffset?>(new CommandDefinition(sql, new { id, maxFailures, lockUntil }, cancellationToken: ct));
    }

    public async Task RecordSuccessfulSignInAsync(long id, string? rehashed, CancellationToken ct)
    {
        const string sql = """
            UPDATE mentor.person SET failed_sign_ins = 0, locked_until = NULL,
                   password_hash = COALESCE(@rehashed, password_hash)
            WHERE id = @id
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, new { id, rehashed }, cancellationToken: ct));
    }

    public static Task<bool> EmailTakenAsync(DbConnection conn, DbTransaction tx, string email, CancellationToken ct) =>
        conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM mentor.person WHERE lower(email) = lower(@email))", new { email }, tx, cancellationToken: ct));

    public static Task<long> InsertPersonAsync(DbConnection conn, DbTransaction tx, string email, string displayName, string timeZone, string? passwordHash, CancellationToken ct) =>
        conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.person (email, display_name, time_zone, password_hash)
            VALUES (@email, @displayName, @timeZone, @passwordHash)
            RETURNING id
            """, new { email, displayName, timeZone, passwordHash }, tx, cancellationToken: ct));

    public static Task AddToProgramAsync(DbConnection conn, DbTransaction tx, long programId, long personId, string role, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO mentor.program_person (program_id, person_id, role) VALUES (@programId, @personId, @role)
            ON CONFLICT (program_id, person_id) DO UPDATE SET role = EXCLUDED.role
            """, new { programId, personId, role }, tx, cancellationToken: ct));

    /// <summary>Revokes the person's earlier unused links, then stores the new one (its hash only).</summary>
    public static async Task InsertInvitationAsync(DbConnection conn, DbTransaction tx, long personId, byte[] tokenHash, long? createdBy,
        DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken ct)
    {
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE mentor.invitation SET revoked_at = @now WHERE person_id = @personId AND used_at IS NULL AND revoked_at IS NULL
            """, new { personId, now }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO mentor.invitation (person_id, token_hash, created_by, created_at, expires_at)
            VALUES (@personId, @tokenHash, @createdBy, @now, @expiresAt)
            """, new { personId, tokenHash, createdBy, now, expiresAt }, tx, cancellationToken: ct));
    }

    public async Task<InvitationRow?> FindInvitationAsync(byte[] tokenHash, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await FindInvitationAsync(conn, null, tokenHash, forUpdate: false, ct);
    }

    public static Task<InvitationRow?> FindInvitationAsync(DbConnection conn, DbTransaction? tx, byte[] tokenHash, bool forUpdate, CancellationToken ct)
    {
        var sql = $"""
            SELECT i.id, i.person_id, i.expires_at, i.used_at, i.revoked_at, p.display_name, p.email, p.time_zone
            FROM mentor.invitation i JOIN mentor.person p ON p.id = i.person_id
            WHERE i.token_hash = @tokenHash
            {(forUpdate ? "FOR UPDATE OF i" : "")}
            """;
        return conn.QuerySingleOrDefaultAsync<InvitationRow>(new CommandDefinition(sql, new { tokenHash }, tx, cancellationToken: ct));
    }

    public static Task MarkInvitationUsedAsync(DbConnection conn, DbTransaction tx, long invitationId, DateTimeOffset now, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition(
            "UPDATE mentor.invitation SET used_at = @now WHERE id = @invitationId", new { invitationId, now }, tx, cancellationToken: ct));

    public static Task SetPasswordAsync(DbConnection conn, DbTransaction tx, long personId, string passwordHash, string timeZone, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            UPDATE mentor.person SET password_hash = @passwordHash, time_zone = @timeZone,
                   security_stamp = gen_random_uuid(), failed_sign_ins = 0, locked_until = NULL
            WHERE id = @personId
            """, new { personId, passwordHash, timeZone }, tx, cancellationToken: ct));

    /// <summary>Deletes links that ended (used, revoked or expired) more than <paramref name="keep"/> ago.</summary>
    public async Task<int> PurgeEndedInvitationsAsync(DateTimeOffset now, TimeSpan keep, CancellationToken ct)
    {
        const string sql = """
            DELETE FROM mentor.invitation
            WHERE COALESCE(used_at, revoked_at, expires_at) < @cutoff AND (used_at IS NOT NULL OR revoked_at IS NOT NULL OR expires_at < @now)
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition(sql, new { cutoff = now - keep, now }, cancellationToken: ct));
    }
}
