using Dapper;
using MentorCircles.Core.Agreements;
using MentorCircles.Core.Audit;
using MentorCircles.Core.Common;
using MentorCircles.Core.Programs;
using MentorCircles.Core.Scheduling;
using Npgsql;

namespace MentorCircles.Core.Circles;

/// <summary>What the new-circle page starts from: the program and settings with its time zone.</summary>
public sealed record NewCircleForm(long ProgramId, string ProgramName, CircleSettings Defaults);

public sealed record ManagedMember(long PersonId, string DisplayName, string Email, string Role, string? Stage, DateTimeOffset JoinedAt);

public sealed record FormerMember(long PersonId, string DisplayName, string Role, DateTimeOffset JoinedAt, DateTimeOffset LeftAt);

/// <summary>Someone of the program a coordinator can add to the circle.</summary>
public sealed record PersonChoice(long Id, string DisplayName, string Email)
{
    public string Label => $"{DisplayName} ({Email})";
}

/// <summary>A circle as its coordinator manages it: settings, members, people who could join, and what the format rules say now.</summary>
public sealed record CircleManagement(
    long Id, long ProgramId, string ProgramName, CircleSettings Settings,
    IReadOnlyList<ManagedMember> Members, IReadOnlyList<FormerMember> Former, IReadOnlyList<PersonChoice> Candidates,
    IReadOnlyList<RuleFinding> Findings, CircleAccessInfo Access);

public sealed record NewMember(long PersonId, string Role, string? Stage = null);

/// <summary>A saved membership change: what happened, and the warnings the format rules still give.</summary>
public sealed record MembershipChange(string Message, IReadOnlyList<RuleFinding> Warnings);

/// <summary>
/// A coordinator forms circles: creates and edits them, adds and removes members under the format rules, archives them.
/// Every call checks that the actor coordinates the circle's program; every change is one transaction with its audit row.
/// </summary>
public sealed class CircleAdminService(NpgsqlDataSource db, CircleAccess access, SessionChanges? changes = null)
{
    public async Task<NewCircleForm> NewCircleAsync(long programId, long actorId, CancellationToken ct)
    {
        const string sql = """
            SELECT p.id, p.name, p.time_zone FROM mentor.program p
            JOIN mentor.program_person pp ON pp.program_id = p.id AND pp.person_id = @actorId AND pp.role = 'coordinator'
            WHERE p.id = @programId
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<ProgramRow>(
            new CommandDefinition(sql, new { programId, actorId }, cancellationToken: ct)) ?? throw NotCoordinator();
        return new NewCircleForm(row.Id, row.Name, CircleRules.Defaults("group", row.TimeZone));
    }

    public async Task<long> CreateAsync(long programId, long actorId, CircleSettings input, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        if (!await ProgramAccess.IsCoordinatorAsync(conn, tx, programId, actorId, ct))
            throw NotCoordinator();
        InvalidInputException.ThrowIfAny(CircleRules.CheckSettings(input));
        var s = input.Normalized();

        var circleId = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.circle (program_id, name, purpose, format, modality, meeting_place, meeting_fallback, time_zone,
                                       cadence, session_minutes, min_size, max_size, reaccept_on_join)
            VALUES (@programId, @Name, @Purpose, @Format, @Modality, @MeetingPlace, @MeetingFallback, @TimeZone,
                    @Cadence, @SessionMinutes, @MinSize, @MaxSize, @ReacceptOnJoin)
            RETURNING id
            """, Parameters(s, new { programId }), tx, cancellationToken: ct));
        await AuditLog.WriteAsync(conn, tx, actorId, "circle.created", $"circle:{circleId}",
            new { programId, name = s.Name, format = s.Format }, ct);
        await tx.CommitAsync(ct);
        return circleId;
    }

    public async Task<CircleManagement> ManageAsync(long circleId, long actorId, CancellationToken ct)
    {
        var who = await access.RequireCoordinatorAsync(circleId, actorId, ct);
        const string sql = """
            SELECT c.name, c.purpose, c.format, c.modality, c.meeting_place, c.meeting_fallback, c.time_zone, c.cadence,
                   c.session_minutes, c.min_size, c.max_size, c.reaccept_on_join
            FROM mentor.circle c WHERE c.id = @circleId;

            SELECT name FROM mentor.program WHERE id = @programId;

            SELECT m.person_id, p.display_name, p.email, m.role, m.stage, m.joined_at
            FROM mentor.membership m JOIN mentor.person p ON p.id = m.person_id
            WHERE m.circle_id = @circleId AND m.left_at IS NULL
            ORDER BY CASE m.role WHEN 'facilitator' THEN 0 WHEN 'mentor' THEN 1 ELSE 2 END, p.display_name;

            SELECT m.person_id, p.display_name, m.role, m.joined_at, m.left_at
            FROM mentor.membership m JOIN mentor.person p ON p.id = m.person_id
            WHERE m.circle_id = @circleId AND m.left_at IS NOT NULL
            ORDER BY m.left_at DESC;

            SELECT p.id, p.display_name, p.email
            FROM mentor.program_person pp JOIN mentor.person p ON p.id = pp.person_id
            WHERE pp.program_id = @programId AND p.disabled_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM mentor.membership m WHERE m.circle_id = @circleId AND m.person_id = p.id AND m.left_at IS NULL)
            ORDER BY p.display_name, p.email;
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { circleId, programId = who.ProgramId }, cancellationToken: ct));
        var settings = await grid.ReadSingleAsync<CircleSettings>();
        var programName = await grid.ReadSingleAsync<string>();
        var members = (await grid.ReadAsync<ManagedMember>()).AsList();
        var former = (await grid.ReadAsync<FormerMember>()).AsList();
        var candidates = (await grid.ReadAsync<PersonChoice>()).AsList();
        var findings = CircleRules.Check(settings.Format, settings.MaxSize,
            members.Select(m => new RuleMember(m.Role, m.Stage, m.DisplayName)).ToList(), settings.MinSize);
        return new CircleManagement(circleId, who.ProgramId, programName, settings, members, former, candidates, findings, who);
    }

    /// <summary>Saves new settings; refused when the current members would break the new format or size. Returns the warnings that remain.</summary>
    public async Task<IReadOnlyList<RuleFinding>> UpdateAsync(long circleId, long actorId, CircleSettings input, CancellationToken ct)
    {
        await access.RequireCoordinatorAsync(circleId, actorId, ct);
        InvalidInputException.ThrowIfAny(CircleRules.CheckSettings(input));
        var s = input.Normalized();

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        _ = await MembershipStore.LockCircleAsync(conn, tx, circleId, ct) ?? throw NotCoordinator();
        var before = await conn.QuerySingleAsync<CircleSettings>(new CommandDefinition("""
            SELECT name, purpose, format, modality, meeting_place, meeting_fallback, time_zone, cadence,
                   session_minutes, min_size, max_size, reaccept_on_join
            FROM mentor.circle WHERE id = @circleId
            """, new { circleId }, tx, cancellationToken: ct));
        var members = (await MembershipStore.CurrentAsync(conn, tx, circleId, ct)).Select(m => m.ForRules).ToList();
        var findings = CircleRules.Check(s.Format, s.MaxSize, members, s.MinSize);
        var errors = findings.Where(f => f.IsError).Select(f => new FieldError(before.Format != s.Format ? "Format" : "MaxSize",
            $"The current members do not fit these settings: {f.Message}")).ToList();
        InvalidInputException.ThrowIfAny(errors);

        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE mentor.circle SET name = @Name, purpose = @Purpose, format = @Format, modality = @Modality,
                   meeting_place = @MeetingPlace, meeting_fallback = @MeetingFallback, time_zone = @TimeZone, cadence = @Cadence,
                   session_minutes = @SessionMinutes, min_size = @MinSize, max_size = @MaxSize, reaccept_on_join = @ReacceptOnJoin
            WHERE id = @circleId
            """, Parameters(s, new { circleId }), tx, cancellationToken: ct));
        await AuditLog.WriteAsync(conn, tx, actorId, "circle.updated", $"circle:{circleId}", new { changed = Changed(before, s) }, ct);
        await tx.CommitAsync(ct);
        return findings;
    }

    /// <summary>
    /// Adds a person of the program under the format rules: an error (full, a role the format has no room for, a second
    /// one-to-one mentor...) refuses the change and saves nothing; warnings come back with the saved change. When the circle
    /// asks for re-acceptance on joining, its agreement gets a new version in the same transaction.
    /// </summary>
    public async Task<MembershipChange> AddMemberAsync(long circleId, long actorId, NewMember input, CancellationToken ct)
    {
        await access.RequireCoordinatorAsync(circleId, actorId, ct);
        InvalidInputException.ThrowIfAny(CircleRules.CheckMember(input.Role, input.Stage));
        var stage = string.IsNullOrWhiteSpace(input.Stage) ? null : input.Stage.Trim();

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var circle = await MembershipStore.LockCircleAsync(conn, tx, circleId, ct) ?? throw NotCoordinator();
        var person = await conn.QuerySingleOrDefaultAsync<PersonRow>(new CommandDefinition("""
            SELECT p.id, p.display_name FROM mentor.person p
            JOIN mentor.program_person pp ON pp.person_id = p.id AND pp.program_id = @programId
            WHERE p.id = @personId AND p.disabled_at IS NULL
            """, new { programId = circle.ProgramId, personId = input.PersonId }, tx, cancellationToken: ct))
            ?? throw new InvalidInputException("Person", "Choose a person of this circle's program.");

        var current = await MembershipStore.CurrentAsync(conn, tx, circleId, ct);
        if (current.FirstOrDefault(m => m.PersonId == person.Id) is { } already)
            throw new InvalidInputException("Person", $"{person.DisplayName} is already a member of this circle (as {already.Role}).");

        var after = current.Select(m => m.ForRules).Append(new RuleMember(input.Role, stage, person.DisplayName)).ToList();
        var findings = CircleRules.Check(circle.Format, circle.MaxSize, after, circle.MinSize);
        InvalidInputException.ThrowIfAny(findings.Where(f => f.IsError).Select(f => new FieldError("Member", f.Message)).ToList());

        await MembershipStore.InsertAsync(conn, tx, circleId, person.Id, input.Role, stage, ct);
        await AuditLog.WriteAsync(conn, tx, actorId, "membership.added", $"circle:{circleId}",
            new { personId = person.Id, role = input.Role, stage }, ct);
        await AgreementStore.AskEveryoneToReacceptAsync(conn, tx, circleId, actorId, person.DisplayName, ct);
        await tx.CommitAsync(ct);
        // A full scan of the person's programs: it covers their new sessions and everyone's re-acceptance too.
        changes?.Person(person.Id);
        return new MembershipChange($"{person.DisplayName} joined the circle as {input.Role}.", findings);
    }

    /// <summary>Ends a member's membership now; their objectives and check-ins stay theirs. Returns the warnings that remain.</summary>
    public async Task<MembershipChange> RemoveMemberAsync(long circleId, long actorId, long personId, CancellationToken ct)
    {
        await access.RequireCoordinatorAsync(circleId, actorId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var circle = await MembershipStore.LockCircleAsync(conn, tx, circleId, ct) ?? throw NotCoordinator();
        var current = await MembershipStore.CurrentAsync(conn, tx, circleId, ct);
        var leaving = current.FirstOrDefault(m => m.PersonId == personId)
            ?? throw new InvalidInputException("Person", "That person is not a member of this circle.");

        await MembershipStore.EndAsync(conn, tx, circleId, personId, ct);
        await AuditLog.WriteAsync(conn, tx, actorId, "membership.removed", $"circle:{circleId}", new { personId, role = leaving.Role }, ct);
        await tx.CommitAsync(ct);
        changes?.Person(personId);
        var remaining = current.Where(m => m.PersonId != personId).Select(m => m.ForRules).ToList();
        return new MembershipChange($"{leaving.DisplayName} is no longer a member of this circle.",
            CircleRules.Check(circle.Format, circle.MaxSize, remaining, circle.MinSize));
    }

    /// <summary>Archives the circle: it disappears from every list and page, and nothing of it is deleted.</summary>
    public async Task ArchiveAsync(long circleId, long actorId, CancellationToken ct)
    {
        await access.RequireCoordinatorAsync(circleId, actorId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        _ = await MembershipStore.LockCircleAsync(conn, tx, circleId, ct) ?? throw NotCoordinator();
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE mentor.circle SET archived_at = now() WHERE id = @circleId", new { circleId }, tx, cancellationToken: ct));
        await AuditLog.WriteAsync(conn, tx, actorId, "circle.archived", $"circle:{circleId}", null, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The settings' properties (@Name, @Format...) plus the ids a statement needs.</summary>
    private static DynamicParameters Parameters(CircleSettings s, object ids)
    {
        var p = new DynamicParameters(s);
        p.AddDynamicParams(ids);
        return p;
    }

    private static List<string> Changed(CircleSettings a, CircleSettings b)
    {
        var changed = new List<string>();
        void Compare<T>(string field, T x, T y) { if (!EqualityComparer<T>.Default.Equals(x, y)) changed.Add(field); }
        Compare("name", a.Name, b.Name);
        Compare("purpose", a.Purpose, b.Purpose);
        Compare("format", a.Format, b.Format);
        Compare("modality", a.Modality, b.Modality);
        Compare("meeting_place", a.MeetingPlace, b.MeetingPlace);
        Compare("meeting_fallback", a.MeetingFallback, b.MeetingFallback);
        Compare("time_zone", a.TimeZone, b.TimeZone);
        Compare("cadence", a.Cadence, b.Cadence);
        Compare("session_minutes", a.SessionMinutes, b.SessionMinutes);
        Compare("min_size", a.MinSize, b.MinSize);
        Compare("max_size", a.MaxSize, b.MaxSize);
        Compare("reaccept_on_join", a.ReacceptOnJoin, b.ReacceptOnJoin);
        return changed;
    }

    private sealed record ProgramRow(long Id, string Name, string TimeZone);
    private sealed record PersonRow(long Id, string DisplayName);

    private static AccessDeniedException NotCoordinator() => new("Only a coordinator of this circle's program can do that.");
}
