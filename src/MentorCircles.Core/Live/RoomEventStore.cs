using System.Text.Json;
using Dapper;
using Npgsql;

namespace MentorCircles.Core.Live;

public sealed record StoredRoomEvent(long Seq, RoomEvent Event);

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

    public async Task<bool> AppendAsync(long sessionId, long expectedSeq, long? actorId, IReadOnlyList<RoomEvent> events, CancellationToken ct)
    {
        if (events.Count == 0) return true;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        try
        {
            var seq = expectedSeq;
            foreach (var e in events)
            {
                seq++;
                await conn.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO mentor.room_event (session_id, seq, actor_id, body) VALUES (@sessionId, @seq, @actorId, CAST(@body AS jsonb))
                    """, new { sessionId, seq, actorId, body = JsonSerializer.Serialize(e, json) }, tx, cancellationToken: ct));
            }
            await conn.ExecuteAsync(new CommandDefinition("SELECT pg_notify(@Channel, @payload)",
                new { Channel, payload = $"{sessionId}:{seq}" }, tx, cancellationToken: ct));
            await tx.CommitAsync(ct);
            return true;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await tx.RollbackAsync(CancellationToken.None);
            return false;
        }
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
