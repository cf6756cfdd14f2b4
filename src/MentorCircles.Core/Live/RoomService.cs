using System.Diagnostics;
using Dapper;
using MentorCircles.Core.Agreements;
using MentorCircles.Core.Circles;
using MentorCircles.Core.Common;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MentorCircles.Core.Live;

public sealed record RoomOptions
{
    /// <summary>How long a person whose last page closed stays present, so a reload or a blip keeps their hand and turn.</summary>
    public TimeSpan LeaveGrace { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often this node says it is alive and looks for nodes that are not.</summary>
    public TimeSpan NodeHeartbeat { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A node silent this long is dead: its pages are gone, and people with no page elsewhere leave their rooms.</summary>
    public TimeSpan NodeTimeout { get; init; } = TimeSpan.FromSeconds(45);
}

/// <summary>What a page needs to show a room: who the viewer is, the agreement's key points, and the room itself.</summary>
public sealed record RoomEntry(
    long SessionId, long CircleId, string CircleName, string SessionTitle, string CircleTimeZone, CircleAccessInfo Who,
    int? AgreementVersion, IReadOnlyList<string> AgreementKeyPoints, RoomState State);

/// <summary>A person's speaking time and attendance over a circle's finished sessions, for the facilitator's airtime view.</summary>
public sealed record CircleAirtime(long PersonId, string Name, int SessionsAttended, int SessionsHeld, TimeSpan Spoken, TimeSpan FairShare)
{
    public double OfFairShare => FairShare > TimeSpan.Zero ? Spoken / FairShare : 0;
}

/// <summary>
/// The live room's commands, end to end: access is checked on every command (a member removed mid-session is refused
/// at once), the pure engine decides against this node's copy, the events are appended with the expected sequence,
/// and on a lost race the copy catches up and the command is decided again (so two "next" presses give one change).
/// </summary>
public sealed class RoomService(
    NpgsqlDataSource db, CircleAccess access, RoomHub hub, RoomEventStore store, RoomPresenceStore presence, TimeProvider clock, RoomOptions? options = null,
    ILogger<RoomService>? log = null)
{
    /// <summary>
    /// Appends lost to another at the same seq before giving up. Each loss means someone else's event went in, so the
    /// bound is only ever reached by that many people acting at the same instant: a room's twelve people opening or
    /// closing their pages at once may need up to 11 (with 8, one of them was now and then left present for good).
    /// </summary>
    private const int MaxAttempts = 64;
    private readonly RoomOptions options = options ?? new RoomOptions();

    public async Task<RoomEntry> EnterAsync(long sessionId, long personId, CancellationToken ct)
    {
        var (who, circleId) = await access.RequireSessionContentAsync(sessionId, personId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        var head = await conn.QuerySingleAsync<(string CircleName, string TimeZone, string Title, string Status, string? Body)>(new CommandDefinition("""
            SELECT c.name, c.time_zone, s.title, s.status,
                   (SELECT v.body FROM mentor.agreement_version v WHERE v.circle_id = c.id ORDER BY v.version DESC LIMIT 1)
            FROM mentor.session s JOIN mentor.circle c ON c.id = s.circle_id WHERE s.id = @sessionId
            """, new { sessionId }, cancellationToken: ct));
        var state = await hub.GetAsync(sessionId, ct);
        if (state.Status == RoomStatus.Ended && head.Status == "live") await FinishAsync(sessionId, ct);
        return new RoomEntry(sessionId, circleId, head.CircleName, head.Title, head.TimeZone, who, who.AgreementVersion,
            AgreementMarkdown.KeyPoints(head.Body), state);
    }

    /// <summary>
    /// Follows the room until disposed. Access is checked here, on every command, and again whenever the circle
    /// announces a change of who may see it (a membership ended, a new agreement version, the circle archived:
    /// sql/0007): a follower refused then is told through <paramref name="onDenied"/> and hears no more of the room.
    /// </summary>
    public async Task<IDisposable> SubscribeAsync(
        long sessionId, long personId, Action<RoomState> onChange, CancellationToken ct, Action<AccessDeniedException>? onDenied = null)
    {
        await access.RequireSessionContentAsync(sessionId, personId, ct);
        var refused = 0;
        IDisposable? subscription = null;
        subscription = await hub.SubscribeAsync(sessionId, state =>
        {
            if (Volatile.Read(ref refused) == 0) onChange(state);
        }, ct, () => _ = CheckAgainAsync(), personId);
        return subscription;

        async Task CheckAgainAsync()
        {
            try { await access.RequireSessionContentAsync(sessionId, personId, CancellationToken.None); }
            catch (AccessDeniedException ex)
            {
                if (Interlocked.Exchange(ref refused, 1) == 1) return;
                subscription?.Dispose();
                onDenied?.Invoke(ex);
            }
            catch (Exception ex)
            {
                // Could not tell (the database unreachable): the follower keeps following; the next change checks again.
                log?.LogWarning(ex, "Checking again whether person {PersonId} may follow room {SessionId} failed", personId, sessionId);
            }
        }
    }

    /// <summary>
    /// Runs one command. <paramref name="command"/> builds it for the instant it is decided at. Returns null when it
    /// was accepted, or the reason it was refused (nothing changed). Throws <see cref="AccessDeniedException"/> for
    /// anyone who is not a current member who accepted the circle's current agreement, before they learn anything of
    /// the room (not even why their command would have been refused).
    /// </summary>
    public async Task<string?> SendAsync(long sessionId, long personId, Func<DateTimeOffset, RoomCommand> command, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var answer = await DecideAndAppendAsync(sessionId, personId, command, ct);
        RoomMetrics.CommandDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds,
            new KeyValuePair<string, object?>("outcome", answer is null ? "accepted" : answer == Busy ? "busy" : "refused"));
        return answer;
    }

    private const string Busy = "The room is very busy right now; try again.";

    private async Task<string?> DecideAndAppendAsync(long sessionId, long personId, Func<DateTimeOffset, RoomCommand> command, CancellationToken ct)
    {
        // An accepted command is gated, appended and announced in one round trip (a press waits for nothing else);
        // every other outcome asks the access service first, and that refusal is what the sender hears.
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            RoomState state;
            try { state = attempt == 0 ? await hub.GetAsync(sessionId, ct) : await hub.CatchUpAsync(sessionId, ct); }
            catch (RoomNotOpenException)
            {
                await access.RequireSessionContentAsync(sessionId, personId, ct);
                throw;
            }
            var cmd = command(clock.GetUtcNow());
            if (cmd.ActorId != personId) throw new ArgumentException("A command acts for the person who sends it.", nameof(command));
            switch (RoomEngine.Decide(state, cmd))
            {
                case RoomDecision.Rejected no:
                    await access.RequireSessionContentAsync(sessionId, personId, ct);
                    return no.Reason;
                case RoomDecision.Accepted yes:
                    switch (await AppendAndApplyAsync(sessionId, state.Seq, personId, yes.Events, CircleAccess.SessionContentGateSql, attempt, ct))
                    {
                        case AppendOutcome.Refused:
                            await access.RequireSessionContentAsync(sessionId, personId, ct); // throws, saying why
                            continue; // access was granted since the append: decide again
                        case AppendOutcome.SeqTaken:
                            continue; // another append got there first
                    }
                    if (yes.Events.Any(e => e is SessionEnded)) await FinishAsync(sessionId, ct);
                    return null;
            }
        }
        return Busy;
    }

    /// <summary>
    /// A page of this person opened the room: they are present (once, however many tabs, on however many nodes).
    /// Returns null when they are in the room (or it has ended), else why not: their join lost every race for the log
    /// to other appends, and the page says so (a reload tries again).
    /// </summary>
    public async Task<string?> JoinAsync(long sessionId, long personId, CancellationToken ct)
    {
        await presence.OpenedAsync(sessionId, personId, ct);
        if (InOrEnded(await hub.CatchUpAsync(sessionId, ct))) return null;
        if (await SendAsync(sessionId, personId, at => new Join(personId, at), ct) is not { } refused) return null;
        // Refused: another page of theirs joined first ("already in the room"), or the room was too busy.
        return InOrEnded(await hub.CatchUpAsync(sessionId, ct)) ? null : refused;

        bool InOrEnded(RoomState state) => state.Status == RoomStatus.Ended || state.IsPresent(personId);
    }

    /// <summary>
    /// A page of this person closed: when it was their last one on any node and they have not come back within the
    /// grace period (a reload, a dropped connection), they leave the room, lowering their hand and ending their turn.
    /// </summary>
    public async Task LeaveAsync(long sessionId, long personId, CancellationToken ct)
    {
        if (await presence.ClosedAsync(sessionId, personId, ct)) return;
        if (options.LeaveGrace > TimeSpan.Zero)
        {
            await Task.Delay(options.LeaveGrace, clock, ct);
            if (await presence.HasPagesAsync(sessionId, personId, ct)) return;
        }
        await WalkOutAsync(sessionId, personId, ct);
    }

    /// <summary>
    /// Pages on nodes that stopped beating are gone: the people who had no page anywhere else leave their rooms (so a
    /// facilitator lost with their node hands over, and attendance ends). Run on every node, every heartbeat.
    /// Returns how many people were walked out.
    /// </summary>
    public async Task<int> SweepDeadNodesAsync(CancellationToken ct)
    {
        var gone = await presence.RemoveDeadNodesAsync(options.NodeTimeout, ct);
        // Their pages are already removed, so one room failing must not leave the others' people present for good.
        var failures = new List<Exception>();
        foreach (var (sessionId, personId) in gone)
        {
            try { await WalkOutAsync(sessionId, personId, ct); }
            catch (Exception ex) when (ex is not OperationCanceledException) { failures.Add(ex); }
        }
        if (failures.Count > 0) throw new AggregateException($"Walking {failures.Count} of {gone.Count} people out of their rooms failed.", failures);
        return gone.Count;
    }

    /// <summary>Appends this person's Leave unless they are already out or the room has ended.</summary>
    private async Task WalkOutAsync(long sessionId, long personId, CancellationToken ct)
    {
        var state = await hub.GetAsync(sessionId, ct);
        if (state.Status == RoomStatus.Ended || !state.IsPresent(personId)) return;
        // Leaving is never refused for lack of access: a removed member must still be able to walk out.
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            state = attempt == 0 ? state : await hub.CatchUpAsync(sessionId, ct);
            if (RoomEngine.Decide(state, new Leave(personId, clock.GetUtcNow())) is not RoomDecision.Accepted yes) return;
            if (await AppendAndApplyAsync(sessionId, state.Seq, personId, yes.Events, "true", attempt, ct) == AppendOutcome.Appended) return;
        }
        throw new InvalidOperationException(
            $"Person {personId} could not be walked out of room {sessionId}: {MaxAttempts} appends lost to others at the same time.");
    }

    /// <summary>
    /// Appends <paramref name="events"/> after <paramref name="expectedSeq"/> if <paramref name="gateSql"/> holds, and
    /// applies them to this node's copy at once, holding any NOTIFY that arrives meanwhile (<see cref="RoomHub.Appending"/>).
    /// After losing the seq to another append it waits a random 0 to <paramref name="attempt"/> ms, so those who lost
    /// together spread out before they try again.
    /// </summary>
    private async Task<AppendOutcome> AppendAndApplyAsync(
        long sessionId, long expectedSeq, long personId, IReadOnlyList<RoomEvent> events, string gateSql, int attempt, CancellationToken ct)
    {
        AppendOutcome outcome;
        using (hub.Appending(sessionId))
        {
            outcome = await store.AppendAsync(sessionId, expectedSeq, personId, events, gateSql, ct);
            if (outcome == AppendOutcome.Appended) await hub.AppliedAsync(sessionId, expectedSeq, events, personId);
        }
        if (outcome == AppendOutcome.SeqTaken) await Task.Delay(Random.Shared.Next(attempt + 1), ct);
        return outcome;
    }

    /// <summary>Who was the client in this circle's earlier peer consultations, oldest first, so the role rotates across sessions.</summary>
    public async Task<IReadOnlyList<long>> PreviousClientsAsync(long sessionId, long personId, CancellationToken ct)
    {
        var (_, circleId) = await access.RequireSessionContentAsync(sessionId, personId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<long>(new CommandDefinition("""
            SELECT (e.body ->> 'ClientId')::bigint
            FROM mentor.room_event e JOIN mentor.session s ON s.id = e.session_id
            WHERE s.circle_id = @circleId AND e.session_id <> @sessionId AND e.body ->> 'type' = 'consultation-started'
            ORDER BY e.recorded_at, e.session_id, e.seq
            """, new { circleId, sessionId }, cancellationToken: ct))).AsList();
    }

    /// <summary>Speaking time per member over this circle's finished sessions, against a fair share per session attended. Leads only.</summary>
    public async Task<IReadOnlyList<CircleAirtime>> CircleAirtimeAsync(long sessionId, long personId, CancellationToken ct)
    {
        var (who, circleId) = await access.RequireSessionContentAsync(sessionId, personId, ct);
        if (!who.IsLead) throw new AccessDeniedException("Only the circle's facilitators and mentors see airtime across sessions.");
        await using var conn = await db.OpenConnectionAsync(ct);
        // Fair share per session = that session's total speaking / people present; a person's fair share sums over sessions attended.
        var rows = await conn.QueryAsync<(long PersonId, string Name, int Attended, int Held, long Spoken, double Fair)>(new CommandDefinition("""
            WITH per_session AS (
                SELECT sp.session_id, sum(sp.spoken_seconds)::float8 / NULLIF(count(*) FILTER (WHERE sp.attended), 0) AS fair
                FROM mentor.session_participation sp JOIN mentor.session s ON s.id = sp.session_id
                WHERE s.circle_id = @circleId AND s.status = 'completed'
                GROUP BY sp.session_id
            )
            SELECT m.person_id, p.display_name,
                   count(sp.session_id) FILTER (WHERE sp.attended)::int AS attended,
                   (SELECT count(*) FROM per_session)::int AS held,
                   coalesce(sum(sp.spoken_seconds), 0)::bigint AS spoken,
                   coalesce(sum(ps.fair) FILTER (WHERE sp.attended), 0)::float8 AS fair
            FROM mentor.membership m
            JOIN mentor.person p ON p.id = m.person_id
            LEFT JOIN mentor.session_participation sp ON sp.person_id = m.person_id AND sp.session_id IN (SELECT session_id FROM per_session)
            LEFT JOIN per_session ps ON ps.session_id = sp.session_id
            WHERE m.circle_id = @circleId AND m.left_at IS NULL
            GROUP BY m.person_id, p.display_name
            ORDER BY spoken DESC, p.display_name
            """, new { circleId }, cancellationToken: ct));
        return rows.Select(r => new CircleAirtime(r.PersonId, r.Name, r.Attended, r.Held, TimeSpan.FromSeconds(r.Spoken), TimeSpan.FromSeconds(r.Fair))).ToList();
    }

    /// <summary>
    /// After the end: the session is completed and attendance and airtime are written out from the log. Safe to repeat
    /// (a node that died after appending the end leaves it to whoever looks next).
    /// </summary>
    public async Task FinishAsync(long sessionId, CancellationToken ct)
    {
        var final = await hub.CatchUpAsync(sessionId, ct);
        if (final.Status != RoomStatus.Ended) return;
        var events = await store.LoadAsync(sessionId, 0, ct);
        var firstJoined = new Dictionary<long, DateTimeOffset>();
        foreach (var e in events)
            if (e.Event is ParticipantJoined j && !firstJoined.ContainsKey(j.PersonId)) firstJoined[j.PersonId] = j.At;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        foreach (var p in final.Participants.Values)
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                INSERT INTO mentor.session_participation (session_id, person_id, attended, first_joined_at, spoken_seconds)
                VALUES (@sessionId, @personId, @attended, @joined, @spoken)
                ON CONFLICT (session_id, person_id) DO UPDATE
                SET attended = EXCLUDED.attended, first_joined_at = EXCLUDED.first_joined_at, spoken_seconds = EXCLUDED.spoken_seconds
                """, new
            {
                sessionId, personId = p.PersonId, attended = p.JoinOrder is not null,
                joined = firstJoined.TryGetValue(p.PersonId, out var at) ? at : (DateTimeOffset?)null,
                spoken = (int)Math.Round(final.SpokenBy(p.PersonId).TotalSeconds),
            }, tx, cancellationToken: ct));
        }
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE mentor.session SET status = 'completed', ended_at = @endedAt, updated_at = now() WHERE id = @sessionId AND status = 'live'
            """, new { sessionId, endedAt = final.EndedAt }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }
}
