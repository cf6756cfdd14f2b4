using System.Diagnostics;
using Dapper;
using MentorCircles.Benchmarks.RoomLoad;
using MentorCircles.Core.Conflicts;
using Npgsql;

namespace MentorCircles.Benchmarks.SchedulingLoad;

/// <summary>A clock stopped at one instant: detection judges "upcoming" and "a day before" against it.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>
/// ConflictDetectionJob on the generated program: the first full scan (opens every conflict), the steady state (nothing
/// changed), where a scan's time goes, and the re-check after one session moves; then a full scan that must find
/// nothing left to open or close, which shows the re-checks kept the queue complete.
/// </summary>
internal static class ConflictLoad
{
    public static readonly TimeSpan ScanTarget = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan RecheckTarget = TimeSpan.FromMilliseconds(50);

    public static async Task RunAsync(NpgsqlDataSource db, LoadIds ids, LoadProgram g, SchedulingLoadOptions o, SchedulingLoadReport report, CpuSampler cpu)
    {
        var ct = CancellationToken.None;
        var clock = new FixedClock(LoadProgram.Now);
        var job = new ConflictDetectionJob(new ConflictStore(db), clock);
        var programId = ids.ProgramId;
        Task Clear(int _) => ExecAsync(db, "TRUNCATE mentor.conflict");

        // The very first scan in the process pays for JIT, the pool's first connections and zone data.
        var (first, cold) = await Measure.OnceAsync(() => job.RunAsync(programId, ct));
        report.Add("full conflict scan, first run in a fresh process", Single(cold), Target.None,
            $"opened {first.Opened:N0}; includes JIT and first connections");
        await CountKindsAsync(db, programId, g, report);

        var openedEach = new List<int>();
        var before = cpu.Take();
        var opening = await Measure.RepeatAsync(o.Repeat, async _ => openedEach.Add((await job.RunAsync(programId, ct)).Opened), Clear);
        report.Add("full conflict scan, first run (empty queue, opens every conflict)", opening, Target.Under(ScanTarget), $"opened {first.Opened:N0} each time");
        report.Cpu("first runs, with the TRUNCATE between them", cpu, before, opening.Count);
        report.Check(openedEach.All(n => n == first.Opened), $"every first run opened the same {first.Opened:N0} conflicts ({string.Join(", ", openedEach.Distinct())})");

        var steadyResults = new List<ConflictRunResult>();
        before = cpu.Take();
        var steady = await Measure.RepeatAsync(o.Repeat, async _ => steadyResults.Add(await job.RunAsync(programId, ct)));
        report.Add("full conflict scan, steady state (nothing changed)", steady, Target.Under(ScanTarget));
        report.Cpu("steady-state scans", cpu, before, steady.Count);
        report.Check(steadyResults.All(r => r.Opened == 0 && r.Closed == 0 && r.Open == first.Opened),
            $"steady-state scans opened and closed nothing and saw {first.Opened:N0} open ({string.Join("; ", steadyResults.Distinct())})");

        await BreakdownAsync(db, programId, clock.GetUtcNow(), o.Repeat, report);
        await RechecksAsync(db, job, programId, o, report, cpu);

        var after = await job.RunAsync(programId, ct);
        report.Check(after.Opened == 0 && after.Closed == 0,
            $"a full scan after the re-checks opened {after.Opened} and closed {after.Closed} (0 and 0: the re-checks left the queue as a full scan would)");
    }

    private static Samples Single(TimeSpan t)
    {
        var s = new Samples();
        s.Add(t);
        return s;
    }

    /// <summary>
    /// The steady-state scan in its three parts, each timed: load (SQL), detect (pure rules), reconcile (SQL); then, in
    /// the same transaction with the program's conflicts deleted, the reconcile of a first run (every conflict inserted).
    /// Rolled back, so the queue is as before.
    /// </summary>
    private static async Task BreakdownAsync(NpgsqlDataSource db, long programId, DateTimeOffset now, int runs, SchedulingLoadReport report)
    {
        var ct = CancellationToken.None;
        var (load, detect, reconcile, insert) = (new Samples(), new Samples(), new Samples(), new Samples());
        int sessions = 0, people = 0, detected = 0;
        for (var i = 0; i < runs; i++)
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            var sw = Stopwatch.StartNew();
            await ConflictStore.LockProgramAsync(conn, tx, programId, ct);
            var input = await ConflictStore.LoadAsync(conn, tx, programId, null, now, ct);
            load.Add(sw.Elapsed);
            sw.Restart();
            var found = ConflictRules.Detect(input);
            detect.Add(sw.Elapsed);
            sw.Restart();
            await ConflictStore.ReconcileAsync(conn, tx, programId, found, _ => true, now, ct);
            reconcile.Add(sw.Elapsed);
            await conn.ExecuteAsync("DELETE FROM mentor.conflict WHERE program_id = @programId", new { programId }, tx);
            sw.Restart();
            await ConflictStore.ReconcileAsync(conn, tx, programId, found, _ => true, now, ct);
            insert.Add(sw.Elapsed);
            await tx.RollbackAsync(ct);
            (sessions, people, detected) = (input.Sessions.Count, input.People.Count, found.Count);
        }
        report.Add("  of which ConflictStore.LoadAsync (SQL and mapping)", load, Target.None, $"{sessions:N0} upcoming sessions, {people:N0} people");
        report.Add("  of which ConflictRules.Detect (pure)", detect, Target.None, $"{detected:N0} conflicts");
        report.Add("  of which ConflictStore.ReconcileAsync (nothing to change)", reconcile, Target.None);
        report.Add("  ReconcileAsync on an empty queue, as in a first run", insert, Target.None, $"{detected:N0} INSERTs, one statement each");
    }

    /// <summary>
    /// RecheckSessionAsync's parts for the given sessions (as moved), each timed, as the job does them: its people and
    /// their circles' sessions loaded, detection over those, and the reconcile (which reads every open conflict of the
    /// program to pick the ones in scope). Rolled back.
    /// </summary>
    private static async Task RecheckBreakdownAsync(NpgsqlDataSource db, long programId, IReadOnlyList<long> sessionIds, DateTimeOffset now, SchedulingLoadReport report)
    {
        var ct = CancellationToken.None;
        var (load, detect, reconcile) = (new Samples(), new Samples(), new Samples());
        var loaded = new List<int>();
        foreach (var sessionId in sessionIds)
        {
            await using var conn = await db.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            var sw = Stopwatch.StartNew();
            await ConflictStore.LockProgramAsync(conn, tx, programId, ct);
            var people = (await conn.QueryAsync<long>("""
                SELECT m.person_id FROM mentor.session s JOIN mentor.membership m ON m.circle_id = s.circle_id AND m.left_at IS NULL
                WHERE s.id = @sessionId
                UNION SELECT lead_person_id FROM mentor.session WHERE id = @sessionId AND lead_person_id IS NOT NULL
                """, new { sessionId }, tx)).ToArray();
            var input = await ConflictStore.LoadAsync(conn, tx, programId, people, now, ct);
            load.Add(sw.Elapsed);
            sw.Restart();
            var sessions = input.Sessions.Select(s => s.Id).Append(sessionId).ToHashSet();
            var persons = people.ToHashSet();
            bool InScope(string kind, IEnumerable<long> s, IEnumerable<long> p) =>
                s.Any(sessions.Contains) && (kind != ConflictKinds.DoubleBooked || p.Any(persons.Contains));
            var detected = ConflictRules.Detect(input).Where(d => InScope(d.Kind, d.SessionIds, d.PersonIds)).ToList();
            detect.Add(sw.Elapsed);
            sw.Restart();
            await ConflictStore.ReconcileAsync(conn, tx, programId, detected, o => InScope(o.Kind, o.SessionIds, o.PersonIds), now, ct);
            reconcile.Add(sw.Elapsed);
            await tx.RollbackAsync(ct);
            loaded.Add(input.Sessions.Count);
        }
        report.Add("  of which loading its people's circles", load, Target.None, $"{loaded.Order().ElementAt(loaded.Count / 2)} sessions (median)");
        report.Add("  of which ConflictRules.Detect on those", detect, Target.None);
        report.Add("  of which ConflictStore.ReconcileAsync (reads all open conflicts)", reconcile, Target.None);
    }

    /// <summary>
    /// Moves one session at a time as ConflictService does (new start and end, sequence + 1), then times
    /// RecheckSessionAsync for it; each run a different session, in a seeded order, by -2 h to +1 day.
    /// </summary>
    private static async Task RechecksAsync(NpgsqlDataSource db, ConflictDetectionJob job, long programId, SchedulingLoadOptions o, SchedulingLoadReport report, CpuSampler cpu)
    {
        var ct = CancellationToken.None;
        long[] candidates;
        await using (var conn = await db.OpenConnectionAsync(ct))
            candidates = (await conn.QueryAsync<long>("""
                SELECT s.id FROM mentor.session s JOIN mentor.circle c ON c.id = s.circle_id
                WHERE c.program_id = @programId AND s.status = 'scheduled' AND s.ends_at > @now ORDER BY s.id
                """, new { programId, now = LoadProgram.Now })).ToArray();
        var rng = new Random(o.Seed + 1);
        var chosen = candidates.OrderBy(_ => rng.Next()).Take(o.Rechecks).ToArray();
        int[] shifts = [-120, -60, -30, 30, 45, 60, 90, 120, 180, 1440];
        var moves = chosen.Select(_ => shifts[rng.Next(shifts.Length)]).ToArray();
        int opened = 0, closed = 0;

        var before = cpu.Take();
        var samples = await Measure.RepeatAsync(chosen.Length,
            async i =>
            {
                var r = await job.RecheckSessionAsync(chosen[i], ct);
                opened += r.Opened;
                closed += r.Closed;
            },
            i => ExecAsync(db, """
                UPDATE mentor.session SET starts_at = starts_at + make_interval(mins => @minutes), ends_at = ends_at + make_interval(mins => @minutes),
                    sequence = sequence + 1, updated_at = @now
                WHERE id = @id
                """, new { id = chosen[i], minutes = moves[i], now = LoadProgram.Now }));
        report.Add("re-check after one session moves (RecheckSessionAsync)", samples, Target.Under(RecheckTarget),
            $"{chosen.Length} different sessions; opened {opened}, closed {closed} in all");
        report.Cpu("re-checks, with the moves between them", cpu, before, samples.Count);
        await RecheckBreakdownAsync(db, programId, chosen, LoadProgram.Now, report);
    }

    private static async Task CountKindsAsync(NpgsqlDataSource db, long programId, LoadProgram g, SchedulingLoadReport report)
    {
        await using var conn = await db.OpenConnectionAsync();
        var counts = (await conn.QueryAsync<(string Kind, long Count)>("""
            SELECT kind, count(*) FROM mentor.conflict WHERE program_id = @programId AND status = 'open' GROUP BY kind
            """, new { programId })).ToDictionary(x => x.Kind, x => x.Count);
        var p = g.Planted;
        var planted = new (string Kind, string What)[]
        {
            (ConflictKinds.DoubleBooked, $"{p.ClashingSecondCircles} people in a second circle that meets at the same time (up to {p.ClashingSecondCircles * g.Weeks} person-sessions)"),
            (ConflictKinds.OutsideAvailability, $"{p.MembersOutsideWindows} members and the leads of {p.CirclesWithLeadsOutside} circles without the circle's time in their windows, " +
                                                $"2 members in each of {p.CirclesWithTwoMembersOutside} more circles; {p.AwayPeriods} away periods; {p.BusyOnSession} busy blocks on a session, {p.OtherBusyBlocks} elsewhere"),
            (ConflictKinds.NoLeadAvailable, $"{p.CirclesWithLeadsOutside} circles whose leads' windows leave out its time; leads away or busy"),
            (ConflictKinds.QuorumAtRisk, $"{p.CirclesWithTwoMembersOutside} circles with 2 members outside their windows; {p.RsvpNo:N0} RSVP \"no\"s; absences adding up"),
            (ConflictKinds.AgreementNotAccepted, $"{p.Unaccepted} members have not accepted their circle's current agreement, {p.UnacceptedWithinADay} of them in a circle meeting within a day"),
            (ConflictKinds.BlackoutDate, $"{p.SessionsOnBlackout} sessions on the blackout date {g.Blackout:yyyy-MM-dd}"),
        };
        foreach (var (kind, what) in planted)
        {
            var n = counts.GetValueOrDefault(kind);
            report.Conflict(kind, n, what);
            report.Check(n > 0, $"the first scan found {n:N0} {kind} conflicts (planted: {what})");
        }
        foreach (var (kind, n) in counts.Where(c => planted.All(x => x.Kind != c.Key))) report.Conflict(kind, n, "not planted");
    }

    private static async Task ExecAsync(NpgsqlDataSource db, string sql, object? args = null)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync(sql, args);
    }
}
