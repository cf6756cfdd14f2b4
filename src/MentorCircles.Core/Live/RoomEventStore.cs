using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace MentorCircles.Core.Live;

public sealed record StoredRoomEvent(long Seq, RoomEvent Event);

/// <summary>What became of an append: written and announced; nothing written because another append took the seq; or
/// nothing written because the gate refused the actor.</summary>
public enum AppendOutcome { Appended, SeqTaken, Refused }

/// <summary>
/// The append-only log of a live room in mentor.room_event. An append names the seq it expects to follow; if another
/// node got there first the append changes nothing and returns false, and the caller re-decides against the newer state.
/// Every successful append is announced with one NOTIFY on <see cref="Channel"/> carrying "sessionId:lastSeq" only
/// (payloads stay tiny; listeners read the events themselves).
/// </summary>
public sealed class RoomEventStore(NpgsqlDataSource db)
{
    public const string Channel = "room_events";

    // jsonb keeps keys in its own order, so the "type" discriminator may not come first when read back.
    private static readonly JsonSerializerOptions json = RoomSetup.Json;

    /// <summary>
    /// Appends <paramref name="events"/> right after <paramref name="expectedSeq"/> and announces them, in one statement
    /// (one round trip, atomic on its own). False, with nothing written, when another append took one of those seqs first.
    /// </summary>
    public async Task<bool> AppendAsync(long sessionId, long expectedSeq, long? actorId, IReadOnlyList<RoomEvent> events, CancellationToken ct) =>
        await AppendAsync(sessionId, expectedSeq, actorId, events, "true", ct) == AppendOutcome.Appended;

    /// <summary>
    /// As <see cref="AppendAsync(long, long, long?, IReadOnlyList{RoomEvent}, CancellationToken)"/>, only if
    /// <paramref name="gateSql"/> (an SQL condition over @sessionId and @personId, the actor; @circleId is bound to
    /// null) holds in the same statement: a live room's every press waits for this one round trip, which checks the
    /// sender's access, appends and announces. The gate and the append see one snapshot, so access taken away before
    /// the statement refuses it.
    /// </summary>
    public async Task<AppendOutcome> AppendAsync(
        long sessionId, long expectedSeq, long? actorId, IReadOnlyList<RoomEvent> events, string gateSql, CancellationToken ct)
    {
        if (events.Count == 0) return AppendOutcome.Appended;
        var bodies = events.Select(e => JsonSerializer.Serialize(e, json)).ToArray();
        var started = Stopwatch.GetTimestamp();
        await using var conn = await db.OpenConnectionAsync(ct);
        RoomMetrics.Step(RoomMetrics.Steps.Connect, started);
        started = Stopwatch.GetTimestamp();
        try
        {
            // The NOTIFY is delivered at commit, so only if every row went in.
            var allowed = await conn.ExecuteScalarAsync<bool>(new CommandDefinition($"""
                WITH allowed AS (
                    SELECT ({gateSql}) AS ok
                ), appended AS (
                    INSERT INTO mentor.room_event (session_id, seq, actor_id, body)
                    SELECT @sessionId, @expectedSeq + e.n, @actorId, CAST(e.body AS jsonb)
                    FROM unnest(@bodies::text[]) WITH ORDINALITY AS e(body, n)
                    WHERE (SELECT ok FROM allowed)
                    RETURNING seq
                ), announced AS (
                    SELECT pg_notify(@Channel, @sessionId::text || ':' || max(seq)::text) FROM appended HAVING count(*) > 0
                )
                SELECT (SELECT ok FROM allowed) AS ok, (SELECT count(*) FROM announced) AS announced -- a CTE runs only if read
                """, new { sessionId, expectedSeq, actorId, personId = actorId, circleId = (long?)null, bodies, Channel }, cancellationToken: ct));
            return allowed ? AppendOutcome.Appended : AppendOutcome.Refused;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return AppendOutcome.SeqTaken;
        }
        finally { RoomMetrics.Step(RoomMetrics.Steps.Append, started); }
    }

    /// <summary>The events after <paramref name="afterSeq"/>, in order.</summary>
    public async Task<IReadOnlyList<StoredRoomEvent>> LoadAsync(long sessionId, long afterSeq, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(long Seq, string Body)>(new CommandDefinition("""
            SELECT seq, body::text FROM mentor.room_event WHERE session_id = @sessionId AND seq > @afterSeq ORDER BY seq
            """, new { sessionId, afterSeq }, cancellationToken: ct));
        return rows.Select(r => new StoredRoomEvent(r.Seq, JsonSerializer.Deserialize<RoomEvent>(r.Body, json)
            ?? throw new InvalidOperationException($"Room event {sessionId}:{r.Seq} is empty."))).ToList();
    }

    /// <summary>Parses a NOTIFY payload "sessionId:lastSeq".</summary>
    public static (long SessionId, long Seq)? ParseNotification(string payload)
    {
        var parts = payload.Split(':');
        return parts.Length == 2 && long.TryParse(parts[0], out var s) && long.TryParse(parts[1], out var q) ? (s, q) : null;
    }
}
