using System.Text.Json;
using Dapper;
using MentorCircles.Core.Common;
using MentorCircles.Core.Conflicts;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MentorCircles.Core.Scheduling;

/// <summary>
/// Runs one program-wide scheduling run (Hangfire): loads the program in a few queries, runs <see cref="ProgramScheduler"/>,
/// writes its progress while it works (at most every <see cref="ProgressEvery"/>) and stores the proposals, or the error.
/// Safe to run twice: a run that is done, failed, published or discarded is left alone, and a run left "running" by a
/// crash is simply worked out again. A run discarded while it works keeps its discarded status.
/// </summary>
public sealed class ProgramSchedulingJob(NpgsqlDataSource db, TimeProvider clock, ILogger<ProgramSchedulingJob> log)
{
    public static readonly TimeSpan ProgressEvery = TimeSpan.FromMilliseconds(250);

    private sealed class Progress
    {
        public int Done;
    }

    public async Task RunAsync(long runId, CancellationToken ct)
    {
        (long ProgramId, string Parameters)? claimed;
        await using (var conn = await db.OpenConnectionAsync(ct))
            claimed = await conn.QuerySingleOrDefaultAsync<(long, string)?>(new CommandDefinition("""
                UPDATE mentor.scheduling_run SET status = 'running', done_circles = 0
                WHERE id = @runId AND status IN ('queued', 'running')
                RETURNING program_id, parameters::text
                """, new { runId }, cancellationToken: ct));
        if (claimed is not { } run) return;

        try
        {
            var parameters = JsonSerializer.Deserialize<ResolvedScheduleParameters>(run.Parameters, ProgramSchedulingService.Json)!;
            ProgramScheduler.CheckTerm(parameters.From, parameters.To);
            var input = await LoadAsync(run.ProgramId, parameters, ct);
            await UpdateAsync("UPDATE mentor.scheduling_run SET total_circles = @total WHERE id = @runId AND status = 'running'",
                new { runId, total = input.Circles.Count }, ct);

            var progress = new Progress();
            var work = Task.Run(() => ProgramScheduler.Schedule(input, (done, _) => Volatile.Write(ref progress.Done, done), ct), ct);
            var written = 0;
            while (await Task.WhenAny(work, Task.Delay(ProgressEvery, ct)) != work)
            {
                var done = Volatile.Read(ref progress.Done);
                if (done == written) continue;
                await UpdateAsync("UPDATE mentor.scheduling_run SET done_circles = @done WHERE id = @runId AND status = 'running'", new { runId, done }, ct);
                written = done;
            }
            var schedule = await work;

            await UpdateAsync("""
                UPDATE mentor.scheduling_run
                SET status = 'done', done_circles = total_circles, proposals = CAST(@proposals AS jsonb), finished_at = @now
                WHERE id = @runId AND status = 'running'
                """, new { runId, proposals = JsonSerializer.Serialize(schedule, ProgramSchedulingService.Json), now = clock.GetUtcNow() }, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The server is stopping: the run stays "running" and Hangfire runs the job again.
            throw;
        }
        catch (Exception ex)
        {
            log.LogError(ex, "Scheduling run {RunId} failed", runId);
            var error = ex is InvalidInputException ? ex.Message : $"The scheduler stopped: {ex.GetType().Name}: {ex.Message}";
            await UpdateAsync("""
                UPDATE mentor.scheduling_run SET status = 'failed', error = @error, finished_at = @now WHERE id = @runId AND status = 'running'
                """, new { runId, error = error.Length > 2000 ? error[..2000] : error, now = clock.GetUtcNow() }, CancellationToken.None);
        }
    }

    private async Task UpdateAsync(string sql, object args, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(sql, args, cancellationToken: ct));
    }

    private sealed record CircleRow(long Id, string Name, string TimeZone, int SessionMinutes, int? Quorum);

    /// <summary>Everything the scheduler needs, in a fixed number of queries whatever the size of the program.</summary>
    public async Task<ProgramScheduleInput> LoadAsync(long programId, ResolvedScheduleParameters p, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Local dates are within 14 hours of UTC; a day either side is enough for any zone.
        var fromUtc = new DateTimeOffset(p.From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-1);
        var toUtc = new DateTimeOffset(p.To.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(2);
        await using var conn = await db.OpenConnectionAsync(ct);

        var circles = (await conn.QueryAsync<CircleRow>(new CommandDefinition("""
            SELECT id, name, time_zone, session_minutes, quorum FROM mentor.circle
            WHERE program_id = @programId AND archived_at IS NULL ORDER BY name, id
            """, new { programId }, cancellationToken: ct))).ToList();
        var members = (await conn.QueryAsync<(long CircleId, long PersonId, string Role)>(new CommandDefinition("""
            SELECT m.circle_id, m.person_id, m.role FROM mentor.membership m JOIN mentor.circle c ON c.id = m.circle_id
            WHERE c.program_id = @programId AND c.archived_at IS NULL AND m.left_at IS NULL
            ORDER BY m.circle_id, m.person_id
            """, new { programId }, cancellationToken: ct))).ToLookup(m => m.CircleId);
        // A circle that already meets in these weeks is left as it is: scheduling it again would give it two series.
        var already = (await conn.QueryAsync<(long CircleId, int Count, DateTimeOffset First)>(new CommandDefinition("""
            SELECT s.circle_id, count(*)::int, min(s.starts_at) FROM mentor.session s JOIN mentor.circle c ON c.id = s.circle_id
            WHERE c.program_id = @programId AND s.status NOT IN ('cancelled', 'completed') AND s.starts_at < @toUtc AND s.ends_at > @fromUtc
            GROUP BY s.circle_id
            """, new { programId, fromUtc, toUtc }, cancellationToken: ct))).ToDictionary(a => a.CircleId);

        var personIds = members.SelectMany(g => g.Select(m => m.PersonId)).Distinct().Order().ToArray();
        var people = await ConflictStore.LoadAvailabilityAsync(conn, null, personIds, fromUtc, toUtc, ct);
        var booked = (await conn.QueryAsync<(long PersonId, DateTimeOffset Start, DateTimeOffset End, string Circle, bool Leading)>(new CommandDefinition("""
            SELECT x.person_id, s.starts_at, s.ends_at, c.name, x.leading
            FROM mentor.session s JOIN mentor.circle c ON c.id = s.circle_id
            CROSS JOIN LATERAL (
                SELECT m.person_id, s.lead_person_id IS NULL AND m.role IN ('facilitator', 'mentor') AS leading
                FROM mentor.membership m
                WHERE m.circle_id = s.circle_id AND m.left_at IS NULL AND m.person_id IS DISTINCT FROM s.lead_person_id
                UNION ALL
                SELECT s.lead_person_id, true WHERE s.lead_person_id IS NOT NULL
            ) x
            WHERE x.person_id = ANY(@personIds) AND s.status NOT IN ('cancelled', 'completed')
              AND s.starts_at < @toUtc AND s.ends_at > @fromUtc
            ORDER BY x.person_id, s.starts_at, s.id
            """, new { personIds, fromUtc, toUtc }, cancellationToken: ct)))
            .Select(b => new BookedTime(b.PersonId, b.Start, b.End, b.Circle, b.Leading)).ToList();
        var limits = (await conn.QueryAsync<(long PersonId, int Max)>(new CommandDefinition("""
            SELECT person_id, max_sessions_per_week FROM mentor.program_person WHERE program_id = @programId
            """, new { programId }, cancellationToken: ct))).ToDictionary(l => l.PersonId, l => l.Max);
        var blackouts = await ConflictStore.LoadBlackoutsAsync(conn, null, programId, ct);

        var list = circles.Select(c =>
        {
            var who = members[c.Id].ToList();
            return new ScheduledCircle(c.Id, c.Name, c.TimeZone, p.LengthMinutes ?? c.SessionMinutes,
                who.Where(m => m.Role is "facilitator" or "mentor").Select(m => m.PersonId).ToList(),
                who.Where(m => m.Role is not ("facilitator" or "mentor")).Select(m => m.PersonId).ToList())
            {
                Quorum = c.Quorum,
                Skip = already.TryGetValue(c.Id, out var a)
                    ? $"It already has {a.Count} {(a.Count == 1 ? "session" : "sessions")} in these weeks (the first {a.First:yyyy-MM-dd HH:mm} UTC); cancel them to schedule it here."
                    : null,
            };
        }).ToList();
        return new ProgramScheduleInput(list, people.Values.OrderBy(v => v.PersonId).ToList(), booked, limits, p.From, p.To, blackouts, now);
    }
}
