using Dapper;
using Npgsql;

namespace MentorCircles.Core.Live;

/// <summary>
/// Who has a room page open on which app node (mentor.room_presence), and which nodes are alive (mentor.room_node).
/// Each node counts its own pages per person and beats every few seconds; a person has left a room only when no node
/// holds a page of theirs, and the pages of a node whose heartbeat stopped are removed by whichever node sweeps first.
/// </summary>
public sealed class RoomPresenceStore(NpgsqlDataSource db, Guid nodeId)
{
    public Guid NodeId { get; } = nodeId;

    /// <summary>This node is alive (and registered, the first time).</summary>
    public async Task HeartbeatAsync(CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO mentor.room_node (node_id) VALUES (@NodeId) ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now()
            """, new { NodeId }, cancellationToken: ct));
    }

    /// <summary>A page of this person opened the room on this node.</summary>
    public async Task OpenedAsync(long sessionId, long personId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO mentor.room_node (node_id) VALUES (@NodeId) ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now();
            INSERT INTO mentor.room_presence (session_id, person_id, node_id, pages) VALUES (@sessionId, @personId, @NodeId, 1)
            ON CONFLICT (session_id, person_id, node_id) DO UPDATE SET pages = mentor.room_presence.pages + 1;
            """, new { sessionId, personId, NodeId }, cancellationToken: ct));
    }

    /// <summary>A page of this person closed on this node. Returns whether they still have a page open on any node.</summary>
    public async Task<bool> ClosedAsync(long sessionId, long personId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE mentor.room_presence SET pages = pages - 1
            WHERE session_id = @sessionId AND person_id = @personId AND node_id = @NodeId AND pages > 0;
            DELETE FROM mentor.room_presence WHERE session_id = @sessionId AND person_id = @personId AND node_id = @NodeId AND pages = 0;
            """, new { sessionId, personId, NodeId }, tx, cancellationToken: ct));
        var open = await HasPagesAsync(conn, tx, sessionId, personId, ct);
        await tx.CommitAsync(ct);
        return open;
    }

    /// <summary>Whether this person has a page of the room open on any node.</summary>
    public async Task<bool> HasPagesAsync(long sessionId, long personId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        return await HasPagesAsync(conn, null, sessionId, personId, ct);
    }

    private static Task<bool> HasPagesAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, long sessionId, long personId, CancellationToken ct) =>
        conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
            SELECT EXISTS (SELECT 1 FROM mentor.room_presence WHERE session_id = @sessionId AND person_id = @personId)
            """, new { sessionId, personId }, tx, cancellationToken: ct));

    /// <summary>
    /// Removes the pages of every other node that has not beaten within <paramref name="timeout"/>, and those nodes.
    /// Returns the (session, person) pairs that had a page there and now have none anywhere: they have left.
    /// Two nodes sweeping at once split the rows between them (each row is deleted, and returned, once).
    /// </summary>
    public async Task<IReadOnlyList<(long SessionId, long PersonId)>> RemoveDeadNodesAsync(TimeSpan timeout, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var removed = (await conn.QueryAsync<(long SessionId, long PersonId)>(new CommandDefinition("""
            DELETE FROM mentor.room_presence p
            WHERE p.node_id <> @NodeId
              AND NOT EXISTS (SELECT 1 FROM mentor.room_node n WHERE n.node_id = p.node_id AND n.heartbeat_at > now() - @timeout)
            RETURNING p.session_id, p.person_id
            """, new { NodeId, timeout }, tx, cancellationToken: ct))).Distinct().ToList();
        await conn.ExecuteAsync(new CommandDefinition("""
            DELETE FROM mentor.room_node n
            WHERE n.node_id <> @NodeId AND n.heartbeat_at <= now() - @timeout
              AND NOT EXISTS (SELECT 1 FROM mentor.room_presence p WHERE p.node_id = n.node_id)
            """, new { NodeId, timeout }, tx, cancellationToken: ct));
        var gone = new List<(long, long)>();
        foreach (var (sessionId, personId) in removed)
            if (!await HasPagesAsync(conn, tx, sessionId, personId, ct)) gone.Add((sessionId, personId));
        await tx.CommitAsync(ct);
        return gone;
    }
}
