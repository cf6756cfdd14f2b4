using Dapper;
using MentorCircles.Core.Accounts;
using MentorCircles.Core.Circles;
using MentorCircles.Core.Common;
using Npgsql;

namespace MentorCircles.Core.Programs;

public sealed record ProgramSummary(long Id, string Name, string TimeZone, DateOnly TermStart, DateOnly TermEnd, int CircleCount, int PeopleCount);

public sealed record ProgramPerson(long Id, string DisplayName, string Email, string TimeZone, string Role, string Status, int CircleCount);

/// <summary>What a coordinator sees of their program: circles, people, and adding people. Every call checks the coordinator role.</summary>
public sealed class ProgramService(NpgsqlDataSource db, CircleStore circles, AccountService accounts, TimeProvider clock)
{
    public async Task<IReadOnlyList<ProgramSummary>> ForCoordinatorAsync(long personId, CancellationToken ct)
    {
        const string sql = """
            SELECT p.id, p.name, p.time_zone, p.term_start, p.term_end,
                   (SELECT count(*) FROM mentor.circle c WHERE c.program_id = p.id AND c.archived_at IS NULL)::int AS circle_count,
                   (SELECT count(*) FROM mentor.program_person x WHERE x.program_id = p.id)::int AS people_count
            FROM mentor.program p
            JOIN mentor.program_person pp ON pp.program_id = p.id AND pp.person_id = @personId AND pp.role = 'coordinator'
            ORDER BY p.term_start DESC, p.name
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<ProgramSummary>(new CommandDefinition(sql, new { personId }, cancellationToken: ct))).AsList();
    }

    public async Task<ProgramSummary> GetAsync(long programId, long actorId, CancellationToken ct) =>
        (await ForCoordinatorAsync(actorId, ct)).FirstOrDefault(p => p.Id == programId)
        ?? throw new AccessDeniedException("This program does not exist or you are not one of its coordinators.");

    public async Task<IReadOnlyList<CircleSummary>> CirclesAsync(long programId, long actorId, CancellationToken ct)
    {
        await EnsureCoordinatorAsync(programId, actorId, ct);
        return await circles.ListForProgramAsync(programId, ct);
    }

    public async Task<IReadOnlyList<ProgramPerson>> PeopleAsync(long programId, long actorId, CancellationToken ct)
    {
        await EnsureCoordinatorAsync(programId, actorId, ct);
        const string sql = """
            SELECT p.id, p.display_name, p.email, p.time_zone, pp.role,
                   CASE WHEN p.disabled_at IS NOT NULL THEN 'disabled'
                        WHEN p.locked_until > @now THEN 'locked'
                        WHEN p.password_hash IS NULL THEN 'invited'
                        ELSE 'active' END AS status,
                   (SELECT count(*) FROM mentor.membership m JOIN mentor.circle c ON c.id = m.circle_id
                     WHERE m.person_id = p.id AND m.left_at IS NULL AND c.program_id = @programId)::int AS circle_count
            FROM mentor.program_person pp JOIN mentor.person p ON p.id = pp.person_id
            WHERE pp.program_id = @programId
            ORDER BY p.display_name
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<ProgramPerson>(new CommandDefinition(sql, new { programId, now = clock.GetUtcNow() }, cancellationToken: ct))).AsList();
    }

    public async Task<CreatedPerson> AddPersonAsync(long programId, long actorId, NewPerson input, CancellationToken ct)
    {
        await EnsureCoordinatorAsync(programId, actorId, ct);
        return await accounts.CreatePersonAsync(programId, actorId, input, ct);
    }

    public async Task<CreatedPerson> NewInvitationAsync(long programId, long actorId, long personId, CancellationToken ct)
    {
        await EnsureCoordinatorAsync(programId, actorId, ct);
        const string sql = "SELECT EXISTS (SELECT 1 FROM mentor.program_person WHERE program_id = @programId AND person_id = @personId)";
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            if (!await conn.ExecuteScalarAsync<bool>(new CommandDefinition(sql, new { programId, personId }, cancellationToken: ct)))
                throw new AccessDeniedException("That person is not in this program.");
        }
        return await accounts.ReissueInvitationAsync(personId, actorId, ct);
    }

    private async Task EnsureCoordinatorAsync(long programId, long actorId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        if (!await ProgramAccess.IsCoordinatorAsync(conn, null, programId, actorId, ct))
            throw new AccessDeniedException("This program does not exist or you are not one of its coordinators.");
    }
}

/// <summary>Starts a program from the command line (no one can sign in yet): the program and its first coordinator.</summary>
public sealed class ProgramBootstrap(NpgsqlDataSource db, AccountService accounts, TimeProvider clock)
{
    public async Task<CreatedPerson> CreateCoordinatorAsync(string programName, string timeZone, NewPerson coordinator, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(programName) || programName.Trim().Length > 200)
            errors.Add(new("Program", "Give the program a name of 1 to 200 characters."));
        Accounts.AccountRules.CheckTimeZone(timeZone, errors);
        InvalidInputException.ThrowIfAny(errors);
        coordinator = coordinator with { IsCoordinator = true };
        AccountService.CheckNewPerson(coordinator);

        // The program and its coordinator land together or not at all.
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var programId = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM mentor.program WHERE name = @name ORDER BY id LIMIT 1", new { name = programName.Trim() }, tx, cancellationToken: ct))
            ?? await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO mentor.program (name, time_zone, term_start, term_end) VALUES (@name, @timeZone, @start, @end) RETURNING id
                """, new { name = programName.Trim(), timeZone, start = today, end = today.AddDays(12 * 7 - 1) }, tx, cancellationToken: ct));
        var created = await accounts.CreatePersonAsync(conn, tx, programId, null, coordinator, ct);
        await tx.CommitAsync(ct);
        return created;
    }
}
