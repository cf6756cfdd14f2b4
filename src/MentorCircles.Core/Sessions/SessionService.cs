using System.Data.Common;
using System.Text.Json;
using Dapper;
using MentorCircles.Core.Audit;
using MentorCircles.Core.Circles;
using MentorCircles.Core.Common;
using MentorCircles.Core.Live;
using MentorCircles.Core.Scheduling;
using Npgsql;

namespace MentorCircles.Core.Sessions;

public sealed record SessionsView(CircleAccessInfo Access, string CircleName, string Format, string TimeZone, int SessionMinutes, bool MayRun,
    IReadOnlyList<SessionRow> Sessions, IReadOnlyList<AgendaStep> Template, bool TemplateIsCircles)
{
    public SessionRow? Live => Sessions.FirstOrDefault(s => s.Status == "live");
}

public sealed record SessionPlan(CircleAccessInfo Access, string CircleName, string TimeZone, SessionRow Session, bool MayRun,
    IReadOnlyList<PlannedAgendaItem> Agenda, IReadOnlyList<TopicProposal> Topics, IReadOnlyList<RoomMember> Members)
{
    public bool Editable => Session.Status is "proposed" or "scheduled";
}

public sealed record PlanInput(DateTime? LocalStart, int Minutes, string? Title);

/// <summary>
/// A circle's sessions before and around the live room: start one now, plan one, build its agenda from a template,
/// take topic proposals, open the room. Every call asks <see cref="CircleAccess"/> first; running a session is for the
/// circle's facilitators and mentors (or any member of a circle that has neither).
/// </summary>
public sealed class SessionService(NpgsqlDataSource db, CircleAccess access, TimeProvider clock, SessionChanges? changes = null)
{
    private sealed record CircleFacts(string Name, string Format, string TimeZone, int SessionMinutes, bool HasLeads);

    public async Task<SessionsView> ListAsync(long circleId, long personId, CancellationToken ct)
    {
        var who = await access.RequireContentAsync(circleId, personId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        var circle = await FactsAsync(conn, null, circleId, ct);
        var sessions = await SessionStore.ListForCircleAsync(conn, circleId, ct);
        var (template, own) = await TemplateAsync(conn, null, circleId, circle.Format, ct);
        return new SessionsView(who, circle.Name, circle.Format, circle.TimeZone, circle.SessionMinutes, MayRun(who, circle), sessions, template, own);
    }

    /// <summary>Starts a session now with the circle's agenda template and opens its room. If one is already live, returns that one.</summary>
    public async Task<long> StartNowAsync(long circleId, long personId, CancellationToken ct)
    {
        var who = await access.RequireContentAsync(circleId, personId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await MembershipStore.LockCircleAsync(conn, tx, circleId, ct);
        var circle = await FactsAsync(conn, tx, circleId, ct);
        RequireRun(who, circle);
        var live = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM mentor.session WHERE circle_id = @circleId AND status = 'live'", new { circleId }, tx, cancellationToken: ct));
        if (live is { } existing) return existing;
        var now = clock.GetUtcNow();
        var id = await SessionStore.InsertAsync(conn, tx, circleId, "", now, now.AddMinutes(circle.SessionMinutes), "scheduled", personId, ct);
        var (template, _) = await TemplateAsync(conn, tx, circleId, circle.Format, ct);
        await SessionStore.ReplaceAgendaAsync(conn, tx, id, template.Select(t => ((long?)null, t)).ToList(), ct);
        await OpenAsync(conn, tx, id, circleId, personId, circle, now, ct);
        await tx.CommitAsync(ct);
        return id;
    }

    /// <summary>Plans one session at a local time in the circle's zone, with the template agenda to edit before it starts.</summary>
    public async Task<long> PlanAsync(long circleId, long personId, PlanInput input, CancellationToken ct)
    {
        var who = await access.RequireContentAsync(circleId, personId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        var circle = await FactsAsync(conn, null, circleId, ct);
        RequireRun(who, circle);
        var errors = new List<FieldError>();
        var title = input.Title?.Trim() ?? "";
        if (title.Length > 200) errors.Add(new("title", $"The title is {title.Length} characters; the limit is 200."));
        TextRules.CheckPlainText("title", "The title", title, errors);
        if (input.Minutes is < 15 or > 480) errors.Add(new("minutes", $"A session lasts from 15 to 480 minutes, not {input.Minutes}."));
        DateTimeOffset start = default;
        if (input.LocalStart is not { } local) errors.Add(new("start", "Choose the date and time the session starts."));
        else
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(circle.TimeZone);
            var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
            if (zone.IsInvalidTime(unspecified))
                errors.Add(new("start", $"{local:yyyy-MM-dd HH:mm} does not exist in {circle.TimeZone} (the clocks skip it); choose another time."));
            else
            {
                start = new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified)).ToUniversalTime();
                if (start < clock.GetUtcNow()) errors.Add(new("start", $"{local:yyyy-MM-dd HH:mm} ({circle.TimeZone}) is in the past."));
                else if (start > clock.GetUtcNow().AddYears(2)) errors.Add(new("start", "Plan sessions at most two years ahead."));
            }
        }
        InvalidInputException.ThrowIfAny(errors);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var id = await SessionStore.InsertAsync(conn, tx, circleId, title, start, start.AddMinutes(input.Minutes), "scheduled", personId, ct);
        var (template, _) = await TemplateAsync(conn, tx, circleId, circle.Format, ct);
        await SessionStore.ReplaceAgendaAsync(conn, tx, id, template.Select(t => ((long?)null, t)).ToList(), ct);
        await AuditLog.WriteAsync(conn, tx, personId, "session.planned", $"session:{id}", new { circleId, start }, ct);
        await tx.CommitAsync(ct);
        changes?.Session(id, SessionChange.Scheduled);
        return id;
    }

    public async Task<SessionPlan> GetPlanAsync(long sessionId, long personId, CancellationToken ct)
    {
        var (who, circleId) = await access.RequireSessionContentAsync(sessionId, personId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        var circle = await FactsAsync(conn, null, circleId, ct);
        var session = await SessionStore.GetAsync(conn, null, sessionId, false, ct) ?? throw new AccessDeniedException("This session no longer exists.");
        var agenda = await SessionStore.AgendaAsync(conn, null, sessionId, ct);
        var topics = await SessionStore.TopicsAsync(conn, sessionId, ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var members = await SessionStore.RosterAsync(conn, tx, circleId, ct);
        await tx.CommitAsync(ct);
        return new SessionPlan(who, circle.Name, circle.TimeZone, session, MayRun(who, circle), agenda, topics, members);
    }

    /// <summary>Saves the whole planned agenda (the page edits a copy); rows keep their ids so accepted topics stay linked.</summary>
    public async Task SaveAgendaAsync(long sessionId, long personId, IReadOnlyList<(long? Id, AgendaStep Step)> items, CancellationToken ct)
    {
        var (who, circleId) = await access.RequireSessionContentAsync(sessionId, personId, ct);
        InvalidInputException.ThrowIfAny(AgendaRules.CheckAgenda(items.Select(i => i.Step).ToList()));
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var circle = await FactsAsync(conn, tx, circleId, ct);
        RequireRun(who, circle);
        await RequireEditableAsync(conn, tx, sessionId, ct);
        var roster = (await SessionStore.RosterAsync(conn, tx, circleId, ct)).Select(m => m.PersonId).ToHashSet();
        var errors = new List<FieldError>();
        for (var i = 0; i < items.Count; i++)
            if (items[i].Step.OwnerId is { } owner && !roster.Contains(owner))
                errors.Add(new($"items[{i}].owner", "The owner of an agenda item must be a member of this circle."));
        InvalidInputException.ThrowIfAny(errors);
        await SessionStore.ReplaceAgendaAsync(conn, tx, sessionId, items, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Keeps this session's agenda as the circle's own template for the next sessions.</summary>
    public async Task SaveAsCircleTemplateAsync(long sessionId, long personId, CancellationToken ct)
    {
        var (who, circleId) = await access.RequireSessionContentAsync(sessionId, personId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var circle = await FactsAsync(conn, tx, circleId, ct);
        RequireRun(who, circle);
        var steps = (await SessionStore.AgendaAsync(conn, tx, sessionId, ct)).Select(a => new AgendaStep(a.Kind, a.Title, a.Minutes)).ToList();
        InvalidInputException.ThrowIfAny(AgendaRules.CheckAgenda(steps));
        await SessionStore.SaveCircleTemplateAsync(conn, tx, circleId, JsonSerializer.Serialize(steps, RoomSetup.Json), personId, ct);
        await tx.CommitAsync(ct);
    }

    public async Task<long> ProposeTopicAsync(long sessionId, long personId, string? title, string? note, CancellationToken ct)
    {
        await access.RequireSessionContentAsync(sessionId, personId, ct);
        var errors = new List<FieldError>();
        var t = title?.Trim() ?? "";
        var n = note?.Trim() ?? "";
        if (t.Length == 0) errors.Add(new("topic", "Say what you would like to talk about."));
        else if (t.Length > 200) errors.Add(new("topic", $"The topic is {t.Length} characters; the limit is 200. Put the detail in the note."));
        if (n.Length > 2000) errors.Add(new("note", $"The note is {n.Length} characters; the limit is 2,000."));
        TextRules.CheckPlainText("topic", "The topic", t, errors);
        TextRules.CheckPlainText("note", "The note", n, errors);
        InvalidInputException.ThrowIfAny(errors);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var session = await SessionStore.GetAsync(conn, tx, sessionId, true, ct);
        if (session is null || session.Status is "completed" or "cancelled")
            throw new InvalidInputException("topic", "This session is over; propose the topic for the next one.");
        var id = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.topic_proposal (session_id, person_id, title, note) VALUES (@sessionId, @personId, @t, @n) RETURNING id
            """, new { sessionId, personId, t, n }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return id;
    }

    /// <summary>Accepts a proposed topic into the planned agenda (before the closing round) or declines it.</summary>
    public async Task DecideTopicAsync(long sessionId, long topicId, long personId, bool accept, int minutes, CancellationToken ct)
    {
        var (who, circleId) = await access.RequireSessionContentAsync(sessionId, personId, ct);
        if (accept && minutes is < 1 or > AgendaRules.MaxItemMinutes)
            throw new InvalidInputException("minutes", $"Give the topic from 1 to {AgendaRules.MaxItemMinutes} minutes, not {minutes}.");
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var circle = await FactsAsync(conn, tx, circleId, ct);
        RequireRun(who, circle);
        await RequireEditableAsync(conn, tx, sessionId, ct);
        var topic = await conn.QuerySingleOrDefaultAsync<(long PersonId, string Title, string Status)?>(new CommandDefinition("""
            SELECT person_id, title, status FROM mentor.topic_proposal WHERE id = @topicId AND session_id = @sessionId FOR UPDATE
            """, new { topicId, sessionId }, tx, cancellationToken: ct))
            ?? throw new InvalidInputException("topic", "That topic proposal does not exist in this session.");
        if (topic.Status != "proposed") throw new InvalidInputException("topic", $"That topic was already {topic.Status}.");
        long? itemId = null;
        if (accept)
        {
            var agenda = (await SessionStore.AgendaAsync(conn, tx, sessionId, ct)).Select(a => ((long?)a.Id, new AgendaStep(a.Kind, a.Title, a.Minutes, a.OwnerId))).ToList();
            if (agenda.Count >= AgendaRules.MaxItems) throw new InvalidInputException("topic", $"The agenda already has {AgendaRules.MaxItems} items.");
            // Topics go before a closing round, which stays last.
            var at = agenda.Count > 0 && agenda[^1].Item2.Kind == AgendaKind.Reflection ? agenda.Count - 1 : agenda.Count;
            agenda.Insert(at, (null, new AgendaStep(AgendaKind.OpenDiscussion, topic.Title, minutes, topic.PersonId)));
            await SessionStore.ReplaceAgendaAsync(conn, tx, sessionId, agenda, ct);
            itemId = (await SessionStore.AgendaAsync(conn, tx, sessionId, ct))[at].Id;
        }
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE mentor.topic_proposal SET status = @status, agenda_item_id = @itemId, decided_by = @personId, decided_at = now() WHERE id = @topicId
            """, new { status = accept ? "accepted" : "declined", itemId, personId, topicId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>Opens a planned session's room now: freezes the roster and agenda the room starts from.</summary>
    public async Task OpenRoomAsync(long sessionId, long personId, CancellationToken ct)
    {
        var (who, circleId) = await access.RequireSessionContentAsync(sessionId, personId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await MembershipStore.LockCircleAsync(conn, tx, circleId, ct);
        var circle = await FactsAsync(conn, tx, circleId, ct);
        RequireRun(who, circle);
        var session = await SessionStore.GetAsync(conn, tx, sessionId, true, ct);
        if (session is null) throw new AccessDeniedException("This session no longer exists.");
        if (session.Status == "live") return;
        if (session.Status is not ("scheduled" or "proposed"))
            throw new InvalidInputException("session", $"This session is {session.Status}; its room cannot be opened again.");
        var other = await conn.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM mentor.session WHERE circle_id = @circleId AND status = 'live'", new { circleId }, tx, cancellationToken: ct));
        if (other is not null) throw new InvalidInputException("session", "Another session of this circle is live; end it before opening this one.");
        await OpenAsync(conn, tx, sessionId, circleId, personId, circle, clock.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
    }

    private static async Task OpenAsync(DbConnection conn, DbTransaction tx, long sessionId, long circleId, long personId, CircleFacts circle,
        DateTimeOffset now, CancellationToken ct)
    {
        var agenda = await SessionStore.AgendaAsync(conn, tx, sessionId, ct);
        if (agenda.Count == 0) throw new InvalidInputException("agenda", "Add at least one agenda item before opening the room.");
        var roster = (await SessionStore.RosterAsync(conn, tx, circleId, ct)).ToList();
        // A circle with no facilitator or mentor (peers only): whoever opens the room facilitates it.
        if (!circle.HasLeads)
            roster = roster.Select(m => m.PersonId == personId ? m with { Role = RoomRole.Facilitator } : m)
                .OrderBy(m => m.Role == RoomRole.Facilitator ? 0 : 1).ToList();
        var setup = new RoomSetup(roster, agenda.Select(a => new PlannedItem(a.Id, a.Kind, a.Title, a.Minutes, a.OwnerId)).ToList());
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE mentor.session SET status = 'live', room_setup = CAST(@setup AS jsonb), opened_at = @now, updated_at = @now WHERE id = @sessionId
            """, new { setup = setup.ToJson(), now, sessionId }, tx, cancellationToken: ct));
        await AuditLog.WriteAsync(conn, tx, personId, "session.room_opened", $"session:{sessionId}", new { circleId }, ct);
    }

    private static async Task RequireEditableAsync(DbConnection conn, DbTransaction tx, long sessionId, CancellationToken ct)
    {
        var s = await SessionStore.GetAsync(conn, tx, sessionId, true, ct);
        if (s is null || s.Status is not ("scheduled" or "proposed"))
            throw new InvalidInputException("agenda", s?.Status == "live"
                ? "The room is open: change the agenda from the room."
                : "This session is over; its agenda can no longer change.");
    }

    private static bool MayRun(CircleAccessInfo who, CircleFacts circle) => who.IsLead || (!circle.HasLeads && who.IsMember);

    private static void RequireRun(CircleAccessInfo who, CircleFacts circle)
    {
        if (!MayRun(who, circle)) throw new AccessDeniedException("Only this circle's facilitators and mentors can run its sessions.");
    }

    private static async Task<CircleFacts> FactsAsync(DbConnection conn, DbTransaction? tx, long circleId, CancellationToken ct) =>
        await conn.QuerySingleAsync<CircleFacts>(new CommandDefinition("""
            SELECT name, format, time_zone, session_minutes,
                   EXISTS (SELECT 1 FROM mentor.membership m WHERE m.circle_id = c.id AND m.left_at IS NULL AND m.role IN ('facilitator', 'mentor')) AS has_leads
            FROM mentor.circle c WHERE c.id = @circleId
            """, new { circleId }, tx, cancellationToken: ct));


    /// <summary>The circle's own agenda template, or the built-in one for its format (also used when a whole term is published).</summary>
    internal static async Task<(IReadOnlyList<AgendaStep> Steps, bool Own)> TemplateAsync(DbConnection conn, DbTransaction? tx, long circleId, string format, CancellationToken ct)
    {
        var json = await SessionStore.CircleTemplateJsonAsync(conn, tx, circleId, ct);
        if (json is not null && JsonSerializer.Deserialize<List<AgendaStep>>(json, RoomSetup.Json) is { Count: > 0 } own) return (own, true);
        return (AgendaRules.BuiltInTemplate(format), false);
    }
}
