using System.Text.Json;
using Dapper;
using MentorCircles.Core.Common;
using MentorCircles.Core.Programs;
using MentorCircles.Core.Scheduling;
using Npgsql;

namespace MentorCircles.Core.Conflicts;

/// <summary>A conflict as the coordinator's queue shows it: scheduling facts only, never confidential content.</summary>
/// <remarks>Properties rather than a positional constructor: Dapper reports bigint[] columns as System.Array when matching constructors.</remarks>
public sealed record ConflictRow
{
    public long Id { get; init; }
    public long ProgramId { get; init; }
    public string Kind { get; init; } = "";
    public string Key { get; init; } = "";
    public long? SessionId { get; init; }
    public long[] PersonIds { get; init; } = [];
    public long[] SessionIds { get; init; } = [];
    public string Detail { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTimeOffset DetectedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public long? ResolvedBy { get; init; }
    public string? Resolution { get; init; }
    public string? Note { get; init; }
}

/// <summary>Filters for the queue; null means any. Status is open, resolved or closed.</summary>
public sealed record ConflictFilter(string? Status = "open", string? Kind = null, long? SessionId = null);

/// <summary>
/// What coordinators call: the conflict queue, the ways out of one conflict, and resolving it. <paramref name="changes"/>
/// is optional so tests can build the service without Hangfire; the app always injects it.
/// </summary>
public sealed partial class ConflictService(NpgsqlDataSource db, ConflictDetectionJob detection, TimeProvider clock, SessionChanges? changes = null)
{
    public async Task<IReadOnlyList<ConflictRow>> ListAsync(long programId, long coordinatorId, ConflictFilter filter, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        if (!await ProgramAccess.IsCoordinatorAsync(conn, null, programId, coordinatorId, ct)) throw new AccessDeniedException();
        var rows = await conn.QueryAsync<ConflictRow>(new CommandDefinition("""
            SELECT id, program_id, kind, key, session_id, person_ids, session_ids, coalesce(detail->>'text', '') AS detail, status,
                   detected_at, closed_at, resolved_by, resolution, note
            FROM mentor.conflict
            WHERE program_id = @programId
              AND (@Status::text IS NULL OR status = @Status)
              AND (@Kind::text IS NULL OR kind = @Kind)
              AND (@SessionId::bigint IS NULL OR @SessionId = ANY(session_ids))
            ORDER BY detected_at DESC, id DESC
            LIMIT 1000
            """, new { programId, filter.Status, filter.Kind, filter.SessionId }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>The suggested resolutions of an open conflict, computed now from the program's current schedule.</summary>
    public async Task<IReadOnlyList<ConflictResolution>> SuggestionsAsync(long conflictId, long coordinatorId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var (conflict, programId) = await OpenForCoordinatorAsync(conn, conflictId, coordinatorId, ct);
        var input = await ConflictStore.LoadAsync(conn, null, programId, null, clock.GetUtcNow(), ct);
        return ConflictRules.Suggest(conflict, input);
    }

    /// <summary>
    /// Applies one of the suggested resolutions, records it on the conflict (resolved, by whom, how, note), then
    /// re-checks the session's conflicts at once (so the queue is right when the page reloads) and, for a move or a
    /// cancellation, hands the follow-up (notices to members, reminders) to <see cref="SessionChanges"/>.
    /// A resolution that is no longer suggested (the schedule moved on) is refused.
    /// </summary>
    public async Task ResolveAsync(long conflictId, long coordinatorId, ConflictResolution chosen, string? note, CancellationToken ct)
    {
        if (note is { Length: > 2000 }) throw new InvalidInputException([new("note", "A note can be at most 2,000 characters.")]);
        var now = clock.GetUtcNow();
        await using (var conn = await db.OpenConnectionAsync(ct))
        {
            var (conflict, programId) = await OpenForCoordinatorAsync(conn, conflictId, coordinatorId, ct);
            var input = await ConflictStore.LoadAsync(conn, null, programId, null, now, ct);
            if (!ConflictRules.Suggest(conflict, input).Contains(chosen))
                throw new InvalidInputException([new("resolution", "That resolution is no longer possible; choose one of the current suggestions.")]);

            await using var tx = await conn.BeginTransactionAsync(ct);
            var s = chosen.SessionId;
            var apply = chosen.Kind switch
            {
                ResolutionKind.Move => new CommandDefinition("""
                    UPDATE mentor.session SET starts_at = @NewStart, ends_at = @NewEnd, sequence = sequence + 1, updated_at = @now WHERE id = @s
                    """, new { chosen.NewStart, chosen.NewEnd, now, s }, tx, cancellationToken: ct),
                ResolutionKind.Excuse => new CommandDefinition("""
                    INSERT INTO mentor.rsvp (session_id, person_id, answer, note, updated_at) VALUES (@s, @PersonId, 'no', @note, @now)
                    ON CONFLICT (session_id, person_id) DO UPDATE SET answer = 'no', note = excluded.note, updated_at = excluded.updated_at
                    """, new { s, chosen.PersonId, note = Shorten(note ?? "Excused by the coordinator", 500), now }, tx, cancellationToken: ct),
                ResolutionKind.HandOver => new CommandDefinition("""
                    UPDATE mentor.session SET lead_person_id = @PersonId, updated_at = @now WHERE id = @s
                    """, new { chosen.PersonId, now, s }, tx, cancellationToken: ct),
                _ => new CommandDefinition("""
                    UPDATE mentor.session SET status = 'cancelled', cancelled_reason = @reason, sequence = sequence + 1, updated_at = @now WHERE id = @s
                    """, new { reason = Shorten(note ?? "Cancelled to resolve a scheduling conflict", 500), now, s }, tx, cancellationToken: ct),
            };
            await conn.ExecuteAsync(apply);
            var resolution = JsonSerializer.Serialize(new { kind = chosen.Kind.ToString(), chosen.SessionId, chosen.PersonId, chosen.NewStart, chosen.NewEnd, chosen.Label });
            await conn.ExecuteAsync(new CommandDefinition("""
                UPDATE mentor.conflict SET status = 'resolved', closed_at = @now, resolved_by = @coordinatorId, resolution = @resolution, note = @note
                WHERE id = @conflictId AND status = 'open'
                """, new { now, coordinatorId, resolution, note, conflictId }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
        }
        await detection.RecheckSessionAsync(chosen.SessionId, ct);
        if (chosen.Kind == ResolutionKind.Move) changes?.Session(chosen.SessionId, SessionChange.Moved);
        else if (chosen.Kind == ResolutionKind.Cancel) changes?.Session(chosen.SessionId, SessionChange.Cancelled);
    }

    private static async Task<(DetectedConflict Conflict, long ProgramId)> OpenForCoordinatorAsync(NpgsqlConnection conn, long conflictId, long coordinatorId, CancellationToken ct)
    {
        var row = await conn.QuerySingleOrDefaultAsync<ConflictRow>(new CommandDefinition("""
            SELECT id, program_id, kind, key, session_id, person_ids, session_ids, status, coalesce(detail->>'text', '') AS detail
            FROM mentor.conflict WHERE id = @conflictId
            """, new { conflictId }, cancellationToken: ct));
        // Same answer for "no such conflict" and "not yours", so ids cannot be probed.
        if (row is null || !await ProgramAccess.IsCoordinatorAsync(conn, null, row.ProgramId, coordinatorId, ct)) throw new AccessDeniedException();
        if (row.Status != "open") throw new InvalidInputException([new("conflict", "This conflict is no longer open.")]);
        return (new DetectedConflict(row.Kind, row.Key, row.SessionId ?? 0, row.PersonIds, row.SessionIds, row.Detail), row.ProgramId);
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max];
}
