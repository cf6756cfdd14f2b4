using System.Text.Json;
using Dapper;
using Hangfire;
using MentorCircles.Core.Audit;
using MentorCircles.Core.Common;
using MentorCircles.Core.Programs;
using Npgsql;

namespace MentorCircles.Core.Scheduling;

/// <summary>What a coordinator asks for: the dates to fill (default: the program's term from tomorrow) and one length for every circle (default: each circle's own).</summary>
public sealed record ScheduleParameters(DateOnly? From = null, DateOnly? To = null, int? LengthMinutes = null, string Cadence = "weekly");

/// <summary>The parameters a run was started with, defaults filled in; stored as the run's parameters jsonb.</summary>
public sealed record ResolvedScheduleParameters(DateOnly From, DateOnly To, int? LengthMinutes, string Cadence);

/// <summary>A scheduling run as its page shows it. <see cref="Proposals"/> is there once the run is done (not in lists).</summary>
public sealed record SchedulingRunView(
    long Id, long ProgramId, string Status, ResolvedScheduleParameters Parameters, int DoneCircles, int TotalCircles,
    int PlacedCount, int NotPlacedCount, string? Error, string? CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt,
    ProgramSchedule? Proposals)
{
    public bool IsWorking => Status is "queued" or "running";

    public bool CanPublish => Status == "done" && PlacedCount > 0;
}

/// <summary>What publishing created.</summary>
public sealed record PublishResult(int Series, IReadOnlyList<long> SessionIds);

/// <summary>
/// Program-wide term scheduling for coordinators: start a run (a Hangfire job, <see cref="ProgramSchedulingJob"/>), watch
/// its progress, then publish its proposals as series and sessions or discard them. Every call checks that the caller
/// coordinates the program.
/// </summary>
public sealed partial class ProgramSchedulingService(NpgsqlDataSource db, IBackgroundJobClient jobs, SessionChanges changes, TimeProvider clock)
{
    public const string Weekly = "weekly";
    private const int MaxYearsAhead = 2;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record ProgramFacts(string TimeZone, DateOnly TermStart, DateOnly TermEnd);

    /// <summary>Checks the parameters, records a queued run and enqueues its job; returns the run's id.</summary>
    public async Task<long> StartAsync(long programId, long coordinatorId, ScheduleParameters parameters, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await RequireCoordinatorAsync(conn, programId, coordinatorId, ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // One start at a time per program, so two coordinators cannot both start a run.
        var program = await conn.QuerySingleAsync<ProgramFacts>(new CommandDefinition("""
            SELECT time_zone, term_start, term_end FROM mentor.program WHERE id = @programId FOR UPDATE
            """, new { programId }, tx, cancellationToken: ct));
        var resolved = Resolve(parameters, program);

        var working = await conn.ExecuteScalarAsync<long?>(new CommandDefinition("""
            SELECT id FROM mentor.scheduling_run WHERE program_id = @programId AND status IN ('queued', 'running') ORDER BY id LIMIT 1
            """, new { programId }, tx, cancellationToken: ct));
        if (working is { } busy)
            throw new InvalidInputException("run", $"Run {busy} is still working on this program; wait for it to finish or discard it first.");

        var runId = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.scheduling_run (program_id, status, parameters, total_circles, created_by, created_at)
            VALUES (@programId, 'queued', CAST(@parameters AS jsonb),
                    (SELECT count(*) FROM mentor.circle WHERE program_id = @programId AND archived_at IS NULL), @coordinatorId, @now)
            RETURNING id
            """, new { programId, parameters = JsonSerializer.Serialize(resolved, Json), coordinatorId, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
        await AuditLog.WriteAsync(conn, tx, coordinatorId, "scheduling.started", $"scheduling_run:{runId}", new { programId, resolved.From, resolved.To }, ct);
        await tx.CommitAsync(ct);
        jobs.Enqueue<ProgramSchedulingJob>(j => j.RunAsync(runId, CancellationToken.None));
        return runId;
    }

    private ResolvedScheduleParameters Resolve(ScheduleParameters p, ProgramFacts program)
    {
        var errors = new List<FieldError>();
        var zone = TimeZones.IsValid(program.TimeZone) ? TimeZoneInfo.FindSystemTimeZoneById(program.TimeZone) : TimeZoneInfo.Utc;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), zone).DateTime);
        var from = p.From ?? (program.TermStart > today ? program.TermStart : today.AddDays(1));
        var to = p.To ?? program.TermEnd;

        if (from <= today)
            errors.Add(new("from", $"The first date, {ScheduleText.Date(from)}, is not after today ({ScheduleText.Date(today)} in {program.TimeZone}); start {ScheduleText.Date(today.AddDays(1))} or later."));
        else if (from > today.AddYears(MaxYearsAhead))
            errors.Add(new("from", $"The first date, {ScheduleText.Date(from)}, is more than {MaxYearsAhead} years ahead."));
        if (to < from)
            errors.Add(new("to", p.To is null
                ? $"The program's term ended on {ScheduleText.Date(to)}; give the last date to schedule."
                : $"The last date, {ScheduleText.Date(to)}, is before the first date, {ScheduleText.Date(from)}."));
        else if (to.DayNumber - from.DayNumber + 1 > ProgramScheduler.MaxTermDays)
            errors.Add(new("to", $"{ScheduleText.Date(from)} to {ScheduleText.Date(to)} is {to.DayNumber - from.DayNumber + 1} days; schedule at most 25 weeks ({ProgramScheduler.MaxTermDays} days) at a time."));
        if (p.LengthMinutes is < 15 or > 480)
            errors.Add(new("lengthMinutes", $"A session lasts from 15 to 480 minutes, not {p.LengthMinutes}."));
        if (!string.Equals(p.Cadence, Weekly, StringComparison.Ordinal))
            errors.Add(new("cadence", $"A whole program is scheduled weekly; \"{p.Cadence}\" is not available here. Schedule fortnightly or monthly circles one at a time."));
        InvalidInputException.ThrowIfAny(errors);
        return new ResolvedScheduleParameters(from, to, p.LengthMinutes, Weekly);
    }

    private sealed record RunRow(
        long Id, long ProgramId, string Status, string Parameters, int DoneCircles, int TotalCircles, int PlacedCount, int NotPlacedCount,
        string? Error, string? CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt, string? Proposals);

    private const string RunColumns = """
        r.id, r.program_id, r.status, r.parameters::text AS parameters, r.done_circles, r.total_circles,
        coalesce((SELECT count(*) FROM jsonb_array_elements(r.proposals->'circles') e WHERE (e->>'placed')::boolean), 0)::int AS placed_count,
        coalesce((SELECT count(*) FROM jsonb_array_elements(r.proposals->'circles') e WHERE NOT (e->>'placed')::boolean), 0)::int AS not_placed_count,
        r.error, p.display_name AS created_by, r.created_at, r.finished_at
        """;

    /// <summary>One run with its progress and, once done, its proposals.</summary>
    public async Task<SchedulingRunView> GetRunAsync(long runId, long coordinatorId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var row = await conn.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition($"""
            SELECT {RunColumns}, r.proposals::text AS proposals
            FROM mentor.scheduling_run r LEFT JOIN mentor.person p ON p.id = r.created_by
            WHERE r.id = @runId
            """, new { runId }, cancellationToken: ct));
        // The same answer for "no such run" and "not your program", so run ids cannot be probed.
        if (row is null || !await ProgramAccess.IsCoordinatorAsync(conn, null, row.ProgramId, coordinatorId, ct)) throw new AccessDeniedException(NotYours);
        return View(row);
    }

    /// <summary>The program's runs, newest first, without their proposals.</summary>
    public async Task<IReadOnlyList<SchedulingRunView>> ListRunsAsync(long programId, long coordinatorId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await RequireCoordinatorAsync(conn, programId, coordinatorId, ct);
        var rows = await conn.QueryAsync<RunRow>(new CommandDefinition($"""
            SELECT {RunColumns}, NULL::text AS proposals
            FROM mentor.scheduling_run r LEFT JOIN mentor.person p ON p.id = r.created_by
            WHERE r.program_id = @programId ORDER BY r.created_at DESC, r.id DESC LIMIT 50
            """, new { programId }, cancellationToken: ct));
        return rows.Select(View).ToList();
    }

    /// <summary>Throws the run away: queued or running runs stop at their next write; a published run cannot be discarded.</summary>
    public async Task DiscardAsync(long runId, long coordinatorId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var run = await LockRunAsync(conn, tx, runId, coordinatorId, ct);
        if (run.Status == "discarded") return;
        if (run.Status == "published")
            throw new InvalidInputException("run", "This run was published: its sessions exist. Cancel sessions from the circles or the conflict queue instead.");
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE mentor.scheduling_run SET status = 'discarded', finished_at = coalesce(finished_at, @now) WHERE id = @runId
            """, new { runId, now = clock.GetUtcNow() }, tx, cancellationToken: ct));
        await AuditLog.WriteAsync(conn, tx, coordinatorId, "scheduling.discarded", $"scheduling_run:{runId}", new { run.ProgramId }, ct);
        await tx.CommitAsync(ct);
    }

    private const string NotYours = "This scheduling run does not exist or you do not coordinate its program.";

    private sealed record LockedRun(long ProgramId, string Status, string? Proposals);

    private static async Task<LockedRun> LockRunAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long runId, long coordinatorId, CancellationToken ct)
    {
        var run = await conn.QuerySingleOrDefaultAsync<LockedRun>(new CommandDefinition("""
            SELECT program_id, status, proposals::text AS proposals FROM mentor.scheduling_run WHERE id = @runId FOR UPDATE
            """, new { runId }, tx, cancellationToken: ct));
        if (run is null || !await ProgramAccess.IsCoordinatorAsync(conn, tx, run.ProgramId, coordinatorId, ct)) throw new AccessDeniedException(NotYours);
        return run;
    }

    private static async Task RequireCoordinatorAsync(NpgsqlConnection conn, long programId, long coordinatorId, CancellationToken ct)
    {
        if (!await ProgramAccess.IsCoordinatorAsync(conn, null, programId, coordinatorId, ct))
            throw new AccessDeniedException("This program does not exist or you are not one of its coordinators.");
    }

    private static SchedulingRunView View(RunRow r) => new(
        r.Id, r.ProgramId, r.Status, JsonSerializer.Deserialize<ResolvedScheduleParameters>(r.Parameters, Json)!, r.DoneCircles, r.TotalCircles,
        r.PlacedCount, r.NotPlacedCount, r.Error, r.CreatedBy, r.CreatedAt, r.FinishedAt,
        r.Proposals is null ? null : JsonSerializer.Deserialize<ProgramSchedule>(r.Proposals, Json));
}
