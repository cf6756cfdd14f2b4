using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using MentorCircles.Core.Audit;
using MentorCircles.Core.Common;
using MentorCircles.Core.Conflicts;
using MentorCircles.Core.Sessions;

namespace MentorCircles.Core.Scheduling;

public sealed partial class ProgramSchedulingService
{
    /// <summary>
    /// Creates a weekly series and its sessions (agenda from each circle's template) for the placed circles of a finished
    /// run, all of them or those in <paramref name="circleIds"/>, in one transaction. Refused, with nothing saved, when
    /// anyone would now be double-booked (a session created since the run, a member who joined since), when a circle
    /// was archived or already has sessions in those weeks, or when a session has passed. Then the follow-up runs:
    /// a conflict scan of the program and reminders for each new session.
    /// </summary>
    public async Task<PublishResult> PublishAsync(long runId, long coordinatorId, IReadOnlyCollection<long>? circleIds, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        long programId;
        var created = new List<long>();
        int seriesCount;
        await using (var conn = await db.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            var run = await LockRunAsync(conn, tx, runId, coordinatorId, ct);
            programId = run.ProgramId;
            var problem = run.Status switch
            {
                "published" => "This run was already published; its sessions exist. Start a new run to schedule again.",
                "discarded" => "This run was discarded; start a new run.",
                "failed" => "This run failed and has nothing to publish; start a new run.",
                "queued" or "running" => "This run is still working; publish it when it is done.",
                _ => null,
            };
            if (problem is not null) throw new InvalidInputException("run", problem);
            var schedule = JsonSerializer.Deserialize<ProgramSchedule>(run.Proposals ?? "null", Json)
                ?? throw new InvalidInputException("run", "This run has no proposals; start a new run.");

            var placed = schedule.Circles.Where(c => c.Placed).ToDictionary(c => c.CircleId);
            var errors = new List<FieldError>();
            if (circleIds is not null)
                foreach (var id in circleIds.Where(id => !placed.ContainsKey(id)))
                    errors.Add(new("circles", $"Circle {id} has no proposed time in this run."));
            var chosen = placed.Values.Where(c => circleIds is null || circleIds.Contains(c.CircleId)).OrderBy(c => c.CircleId).ToList();
            if (chosen.Count == 0 && errors.Count == 0) errors.Add(new("circles", "Choose at least one circle with a proposed time to publish."));
            InvalidInputException.ThrowIfAny(errors);

            // Conflict detection and other publishes of this program wait for this one.
            await ConflictStore.LockProgramAsync(conn, tx, programId, ct);
            InvalidInputException.ThrowIfAny(await RecheckAsync(conn, tx, programId, chosen, now, ct));

            var formats = (await conn.QueryAsync<(long Id, string Format)>(new CommandDefinition(
                "SELECT id, format FROM mentor.circle WHERE id = ANY(@ids)", new { ids = chosen.Select(c => c.CircleId).ToArray() }, tx, cancellationToken: ct)))
                .ToDictionary(c => c.Id, c => c.Format);
            foreach (var c in chosen)
                created.AddRange(await InsertSeriesAsync(conn, tx, c, formats[c.CircleId], coordinatorId, ct));
            seriesCount = chosen.Count;

            await conn.ExecuteAsync(new CommandDefinition(
                "UPDATE mentor.scheduling_run SET status = 'published' WHERE id = @runId", new { runId }, tx, cancellationToken: ct));
            await AuditLog.WriteAsync(conn, tx, coordinatorId, "scheduling.published", $"scheduling_run:{runId}",
                new { programId, circles = chosen.Select(c => c.CircleId).ToArray(), sessions = created.Count }, ct);
            await tx.CommitAsync(ct);
        }
        changes.Program(programId);
        foreach (var id in created) changes.Session(id, SessionChange.Scheduled);
        return new PublishResult(seriesCount, created);
    }

    /// <summary>Everything that makes the proposals wrong now, one message per circle, naming the circle and what clashes.</summary>
    private static async Task<List<FieldError>> RecheckAsync(DbConnection conn, DbTransaction tx, long programId, List<CircleProposal> chosen,
        DateTimeOffset now, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var ids = chosen.Select(c => c.CircleId).ToArray();
        var active = (await conn.QueryAsync<long>(new CommandDefinition("""
            SELECT id FROM mentor.circle WHERE id = ANY(@ids) AND program_id = @programId AND archived_at IS NULL
            """, new { ids, programId }, tx, cancellationToken: ct))).ToHashSet();
        foreach (var c in chosen)
        {
            if (!active.Contains(c.CircleId)) errors.Add(new("circles", $"{c.CircleName} was archived or moved since the run; leave it out or run the scheduler again."));
            else if (c.Sessions[0].StartUtc <= now)
                errors.Add(new("circles", $"{c.CircleName}'s first proposed session ({ScheduleText.Day(c.Sessions[0].LocalDate)}) has already started; run the scheduler again."));
        }
        if (errors.Count > 0) return errors;

        var occ = chosen.SelectMany(c => c.Sessions.Select(s => (c.CircleId, Start: s.StartUtc.ToUniversalTime(), End: s.EndUtc.ToUniversalTime()))).ToList();
        // Any current session overlapping a new one and sharing a person with its circle (the circle's own included).
        var clashes = await conn.QueryAsync<(long CircleId, DateTimeOffset Start, string Person, string Other, DateTimeOffset OtherStart)>(new CommandDefinition("""
            WITH occ AS (
                SELECT * FROM unnest(@circles::bigint[], @starts::timestamptz[], @ends::timestamptz[]) AS o(circle_id, starts_at, ends_at)
            ), people AS (
                SELECT o.*, m.person_id FROM occ o JOIN mentor.membership m ON m.circle_id = o.circle_id AND m.left_at IS NULL
            ), taken AS (
                SELECT m.person_id, s.id, s.circle_id, s.starts_at, s.ends_at FROM mentor.session s
                JOIN mentor.membership m ON m.circle_id = s.circle_id AND m.left_at IS NULL
                WHERE s.status NOT IN ('cancelled', 'completed') AND s.ends_at > @now
                UNION
                SELECT s.lead_person_id, s.id, s.circle_id, s.starts_at, s.ends_at FROM mentor.session s
                WHERE s.lead_person_id IS NOT NULL AND s.status NOT IN ('cancelled', 'completed') AND s.ends_at > @now
            )
            SELECT DISTINCT ON (p.circle_id) p.circle_id, p.starts_at, pe.display_name, c.name, t.starts_at
            FROM people p
            JOIN taken t ON t.person_id = p.person_id AND t.starts_at < p.ends_at AND t.ends_at > p.starts_at
            JOIN mentor.person pe ON pe.id = p.person_id
            JOIN mentor.circle c ON c.id = t.circle_id
            ORDER BY p.circle_id, p.starts_at, pe.display_name
            """, new
        {
            circles = occ.Select(o => o.CircleId).ToArray(),
            starts = occ.Select(o => o.Start).ToArray(),
            ends = occ.Select(o => o.End).ToArray(),
            now,
        }, tx, cancellationToken: ct));
        var names = chosen.ToDictionary(c => c.CircleId, c => c.CircleName);
        foreach (var x in clashes)
            errors.Add(new("circles", $"{names[x.CircleId]} can no longer be published: {x.Person} now has a session of {x.Other} at {x.OtherStart:yyyy-MM-dd HH:mm} UTC, "
                + $"which overlaps its session at {x.Start:yyyy-MM-dd HH:mm} UTC. Leave it out or run the scheduler again."));

        // Between the new sessions themselves, with the members the circles have now (someone may have joined since).
        var members = (await conn.QueryAsync<(long CircleId, long PersonId, string Name)>(new CommandDefinition("""
            SELECT m.circle_id, m.person_id, p.display_name FROM mentor.membership m JOIN mentor.person p ON p.id = m.person_id
            WHERE m.circle_id = ANY(@ids) AND m.left_at IS NULL
            """, new { ids }, tx, cancellationToken: ct))).ToList();
        var byCircle = chosen.ToDictionary(c => c.CircleId);
        var reported = errors.Select(e => e.Message).ToHashSet();
        foreach (var person in members.GroupBy(m => (m.PersonId, m.Name)).Where(g => g.Count() > 1))
        {
            var sessions = person.SelectMany(m => byCircle[m.CircleId].Sessions.Select(s => (m.CircleId, s.StartUtc, s.EndUtc)))
                .OrderBy(s => s.StartUtc).ThenBy(s => s.CircleId).ToList();
            for (var i = 1; i < sessions.Count; i++)
            {
                var (a, b) = (sessions[i - 1], sessions[i]);
                if (b.StartUtc >= a.EndUtc || a.CircleId == b.CircleId) continue;
                var message = $"{names[b.CircleId]} can no longer be published with {names[a.CircleId]}: {person.Key.Name} is now in both, "
                    + $"and they meet at the same time ({b.StartUtc:yyyy-MM-dd HH:mm} UTC). Leave one out or run the scheduler again.";
                if (reported.Add(message)) errors.Add(new("circles", message));
                break;
            }
        }
        return errors;
    }

    private static async Task<IReadOnlyList<long>> InsertSeriesAsync(DbConnection conn, DbTransaction tx, CircleProposal c, string format, long coordinatorId, CancellationToken ct)
    {
        var seriesId = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.session_series (circle_id, cadence, first_date, local_start, length_minutes, time_zone, count, until_date, created_by)
            VALUES (@CircleId, 'weekly', @first, CAST(@localStart AS time), @LengthMinutes, @TimeZone, @count, @last, @coordinatorId)
            RETURNING id
            """, new
        {
            c.CircleId,
            first = c.FirstDate!.Value,
            localStart = c.LocalTime!.Value.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            c.LengthMinutes,
            c.TimeZone,
            count = c.Sessions.Count,
            last = c.LastDate!.Value,
            coordinatorId,
        }, tx, cancellationToken: ct));
        var sessionIds = (await conn.QueryAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.session (circle_id, title, starts_at, ends_at, status, created_by, series_id, occurrence)
            SELECT @CircleId, '', t.starts_at, t.ends_at, 'scheduled', @coordinatorId, @seriesId, t.occurrence
            FROM unnest(@starts::timestamptz[], @ends::timestamptz[], @numbers::int[]) AS t(starts_at, ends_at, occurrence)
            ORDER BY t.occurrence
            RETURNING id
            """, new
        {
            c.CircleId,
            coordinatorId,
            seriesId,
            starts = c.Sessions.Select(s => s.StartUtc.ToUniversalTime()).ToArray(),
            ends = c.Sessions.Select(s => s.EndUtc.ToUniversalTime()).ToArray(),
            numbers = c.Sessions.Select(s => s.Number).ToArray(),
        }, tx, cancellationToken: ct))).ToArray();

        var (template, _) = await SessionService.TemplateAsync(conn, tx, c.CircleId, format, ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO mentor.agenda_item (session_id, position, kind, title, planned_minutes)
            SELECT s.id, t.position, t.kind, t.title, t.minutes
            FROM unnest(@sessionIds::bigint[]) AS s(id)
            CROSS JOIN unnest(@positions::int[], @kinds::text[], @titles::text[], @minutes::int[]) AS t(position, kind, title, minutes)
            """, new
        {
            sessionIds,
            positions = template.Select((_, i) => i).ToArray(),
            kinds = template.Select(t => AgendaRules.KindKey(t.Kind)).ToArray(),
            titles = template.Select(t => t.Title.Trim()).ToArray(),
            minutes = template.Select(t => t.Minutes).ToArray(),
        }, tx, cancellationToken: ct));
        return sessionIds;
    }
}
