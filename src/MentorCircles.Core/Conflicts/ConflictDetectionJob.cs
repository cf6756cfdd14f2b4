using Dapper;

namespace MentorCircles.Core.Conflicts;

/// <summary>
/// Detects a program's scheduling conflicts and reconciles them with the stored ones in one transaction, under a
/// per-program advisory lock so two runs (Hangfire delivers at least once) queue rather than race.
/// </summary>
public sealed class ConflictDetectionJob(ConflictStore store, TimeProvider clock)
{
    public const string RecurringId = "conflict-scan";

    /// <summary>The recurring scan: every program with an upcoming session, one after another.</summary>
    public async Task RunAllAsync(CancellationToken ct)
    {
        long[] programs;
        await using (var conn = await store.DataSource.OpenConnectionAsync(ct))
            programs = (await conn.QueryAsync<long>(new CommandDefinition("""
                SELECT DISTINCT c.program_id FROM mentor.session s JOIN mentor.circle c ON c.id = s.circle_id
                WHERE s.status NOT IN ('cancelled', 'completed') AND s.ends_at > now()
                UNION SELECT program_id FROM mentor.conflict WHERE status = 'open'
                """, cancellationToken: ct))).ToArray();
        foreach (var programId in programs) await RunAsync(programId, ct);
    }

    /// <summary>The programs whose circles a person belongs to now.</summary>
    public async Task<IReadOnlyList<long>> ProgramsOfAsync(long personId, CancellationToken ct)
    {
        await using var conn = await store.DataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<long>(new CommandDefinition("""
            SELECT DISTINCT c.program_id FROM mentor.membership m JOIN mentor.circle c ON c.id = m.circle_id
            WHERE m.person_id = @personId
            """, new { personId }, cancellationToken: ct))).AsList();
    }

    public async Task<ConflictRunResult> RunAsync(long programId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await store.DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await ConflictStore.LockProgramAsync(conn, tx, programId, ct);
        var input = await ConflictStore.LoadAsync(conn, tx, programId, null, now, ct);
        var result = await ConflictStore.ReconcileAsync(conn, tx, programId, ConflictRules.Detect(input), _ => true, now, ct);
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// After one session changes: re-evaluates only the sessions of circles its people belong to. Within those, every
    /// conflict touching one of them is complete except another person's double booking with a session outside the set,
    /// so a double booking is in scope only when it is about one of this session's people.
    /// </summary>
    public async Task<ConflictRunResult> RecheckSessionAsync(long sessionId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var conn = await store.DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var programId = await conn.ExecuteScalarAsync<long?>(new CommandDefinition("""
            SELECT c.program_id FROM mentor.session s JOIN mentor.circle c ON c.id = s.circle_id WHERE s.id = @sessionId
            """, new { sessionId }, tx, cancellationToken: ct));
        if (programId is null) return new(0, 0, 0);
        await ConflictStore.LockProgramAsync(conn, tx, programId.Value, ct);
        var people = (await conn.QueryAsync<long>(new CommandDefinition("""
            SELECT m.person_id FROM mentor.session s JOIN mentor.membership m ON m.circle_id = s.circle_id AND m.left_at IS NULL
            WHERE s.id = @sessionId
            UNION SELECT lead_person_id FROM mentor.session WHERE id = @sessionId AND lead_person_id IS NOT NULL
            """, new { sessionId }, tx, cancellationToken: ct))).ToArray();
        var input = await ConflictStore.LoadAsync(conn, tx, programId.Value, people, now, ct);
        // The session itself is in scope even when it is no longer upcoming (cancelled, moved into the past).
        var sessions = input.Sessions.Select(s => s.Id).Append(sessionId).ToHashSet();
        var persons = people.ToHashSet();
        bool InScope(string kind, IEnumerable<long> sessionIds, IEnumerable<long> personIds) =>
            sessionIds.Any(sessions.Contains) && (kind != ConflictKinds.DoubleBooked || personIds.Any(persons.Contains));
        var detected = ConflictRules.Detect(input).Where(d => InScope(d.Kind, d.SessionIds, d.PersonIds)).ToList();
        var result = await ConflictStore.ReconcileAsync(conn, tx, programId.Value, detected, o => InScope(o.Kind, o.SessionIds, o.PersonIds), now, ct);
        await tx.CommitAsync(ct);
        return result;
    }
}
