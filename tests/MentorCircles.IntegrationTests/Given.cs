using Dapper;
using MentorCircles.Core.Accounts;
using Npgsql;

namespace MentorCircles.IntegrationTests;

/// <summary>Rows a test starts from, written with plain SQL so a test of one service does not lean on another.</summary>
public static class Given
{
    public const string Password = "correct horse battery";
    public const string CoordinatorEmail = "coordinator@example.org";

    // Hashing is slow on purpose; one hash serves every person given this password.
    private static readonly Lazy<string> passwordHash = new(() => AccountService.HashPassword(Password));

    public static async Task<long> ProgramAsync(NpgsqlDataSource db, string name = "Early Career Mentoring")
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.program (name, time_zone, term_start, term_end)
            VALUES (@name, 'Europe/London', DATE '2026-01-12', DATE '2026-04-05') RETURNING id
            """, new { name }));
    }

    /// <summary>An active person (their password is <see cref="Password"/>) in the program, or an invited one when <paramref name="activated"/> is false.</summary>
    public static async Task<long> PersonAsync(NpgsqlDataSource db, long programId, string email,
        string role = "participant", bool activated = true, string timeZone = "Europe/London", string? displayName = null)
    {
        await using var conn = await db.OpenConnectionAsync();
        var id = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.person (email, display_name, time_zone, password_hash)
            VALUES (@email, @displayName, @timeZone, @hash) RETURNING id
            """, new { email, displayName = displayName ?? email.Split('@')[0], timeZone, hash = activated ? passwordHash.Value : null }));
        await conn.ExecuteAsync(new CommandDefinition(
            "INSERT INTO mentor.program_person (program_id, person_id, role) VALUES (@programId, @id, @role)", new { programId, id, role }));
        return id;
    }

    public static Task<long> CoordinatorAsync(NpgsqlDataSource db, long programId, string email = CoordinatorEmail) =>
        PersonAsync(db, programId, email, "coordinator", displayName: "Cora Ordinator");

    public static async Task<long> CircleAsync(NpgsqlDataSource db, long programId, string name, params (long PersonId, string Role)[] members)
    {
        await using var conn = await db.OpenConnectionAsync();
        var id = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.circle (program_id, name, format, modality, time_zone, cadence, session_minutes, min_size, max_size)
            VALUES (@programId, @name, 'group', 'distance', 'Europe/London', 'weekly', 60, 2, 10) RETURNING id
            """, new { programId, name }));
        foreach (var (personId, role) in members)
            await conn.ExecuteAsync(new CommandDefinition(
                "INSERT INTO mentor.membership (circle_id, person_id, role) VALUES (@id, @personId, @role)", new { id, personId, role }));
        return id;
    }

    /// <summary>A session row of the circle (scheduled, an hour long from <paramref name="startsAt"/>, default now).</summary>
    public static async Task<long> SessionAsync(NpgsqlDataSource db, long circleId, DateTimeOffset? startsAt = null, string status = "scheduled")
    {
        await using var conn = await db.OpenConnectionAsync();
        var start = startsAt ?? DateTimeOffset.UtcNow;
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.session (circle_id, starts_at, ends_at, status) VALUES (@circleId, @start, @end, @status) RETURNING id
            """, new { circleId, start, end = start.AddHours(1), status }));
    }
}
