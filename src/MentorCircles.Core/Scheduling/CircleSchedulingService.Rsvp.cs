using MentorCircles.Core.Common;

namespace MentorCircles.Core.Scheduling;

public sealed partial class CircleSchedulingService
{
    public static readonly IReadOnlyList<string> Answers = ["yes", "no", "maybe"];
    private const string NotMember = "This session does not exist or you are not a member of its circle.";

    /// <summary>A member answers yes, no or maybe to an upcoming scheduled session; the session's conflicts are re-checked (a "no" counts against the quorum).</summary>
    public async Task RsvpAsync(long sessionId, long personId, string? answer, string? note, CancellationToken ct)
    {
        CircleScheduleStore.SessionFacts? session;
        await using (var conn = await db.OpenConnectionAsync(ct))
            session = await CircleScheduleStore.SessionAsync(conn, null, sessionId, forUpdate: false, ct);
        if (session is null) throw new AccessDeniedException(NotMember);
        var who = await access.GetAsync(session.CircleId, personId, ct);
        if (who is null || !who.IsMember) throw new AccessDeniedException(NotMember);

        var errors = new List<FieldError>();
        var a = answer?.Trim().ToLowerInvariant() ?? "";
        if (!Answers.Contains(a)) errors.Add(new("answer", "Answer yes, no or maybe."));
        var n = note?.Trim() ?? "";
        if (n.Length > 500) errors.Add(new("note", $"The note is {n.Length} characters; the limit is 500."));
        TextRules.CheckPlainText("note", "The note", n, errors);
        InvalidInputException.ThrowIfAny(errors);

        var now = clock.GetUtcNow();
        await using (var conn = await db.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            var locked = await CircleScheduleStore.SessionAsync(conn, tx, sessionId, forUpdate: true, ct) ?? throw new AccessDeniedException(NotMember);
            if (locked.Status != "scheduled")
                throw new InvalidInputException("session", locked.Status == "cancelled" ? "This session was cancelled; there is nothing to answer."
                    : "Answers are for sessions still to come; this one is not.");
            if (locked.StartsAt <= now) throw new InvalidInputException("session", "This session has already started; answers are for sessions still to come.");
            await CircleScheduleStore.UpsertRsvpAsync(conn, tx, sessionId, personId, a, n, now, ct);
            await tx.CommitAsync(ct);
        }
        changes?.Recheck(sessionId);
    }

    /// <summary>The answers to one session: counts for members and coordinators, names for the circle's leads.</summary>
    public async Task<SessionRsvps> RsvpsAsync(long sessionId, long viewerId, CancellationToken ct)
    {
        long circleId;
        await using (var conn = await db.OpenConnectionAsync(ct))
            circleId = (await CircleScheduleStore.SessionAsync(conn, null, sessionId, forUpdate: false, ct))?.CircleId ?? throw new AccessDeniedException(NotMember);
        return (await RsvpsForAsync(circleId, viewerId, [sessionId], ct))[sessionId];
    }

    /// <summary>The answers to each upcoming scheduled session of the circle, by session id.</summary>
    public async Task<IReadOnlyDictionary<long, SessionRsvps>> CircleRsvpsAsync(long circleId, long viewerId, CancellationToken ct)
    {
        long[] upcoming;
        var now = clock.GetUtcNow();
        await using (var conn = await db.OpenConnectionAsync(ct))
            upcoming = (await CircleScheduleStore.ScheduleAsync(conn, circleId, now, ct)).Sessions
                .Where(s => s.Status == "scheduled" && s.StartsAt > now).Select(s => s.Id).ToArray();
        return await RsvpsForAsync(circleId, viewerId, upcoming, ct);
    }

    private async Task<IReadOnlyDictionary<long, SessionRsvps>> RsvpsForAsync(long circleId, long viewerId, long[] sessionIds, CancellationToken ct)
    {
        var who = await access.GetAsync(circleId, viewerId, ct);
        if (who is null) throw new AccessDeniedException(NotMember);
        await using var conn = await db.OpenConnectionAsync(ct);
        var members = await CircleScheduleStore.MembersAsync(conn, null, circleId, ct);
        var rows = (await CircleScheduleStore.RsvpsAsync(conn, circleId, sessionIds, ct)).ToLookup(r => r.SessionId);
        return sessionIds.ToDictionary(id => id, id =>
        {
            var list = rows[id].ToList();
            var counts = new RsvpCounts(list.Count(r => r.Answer == "yes"), list.Count(r => r.Answer == "no"), list.Count(r => r.Answer == "maybe"), members.Count);
            return new SessionRsvps(id, counts, list.FirstOrDefault(r => r.PersonId == viewerId).Answer,
                who.IsLead ? list.Select(r => new RsvpName(r.Name, r.Answer, r.Note)).ToList() : null);
        });
    }
}
