using System.Globalization;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using MentorCircles.Core.Common;
using MentorCircles.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;

namespace MentorCircles.IntegrationTests.Scheduling;

[Collection(PostgresCollection.Name)]
public sealed class ProgramSchedulingTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    // The clock starts Monday 9 March 2026; the term to schedule is the four Mondays from 16 March, across London's
    // clock change on 29 March.
    private static readonly DateOnly From = new(2026, 3, 16), To = new(2026, 4, 12);
    private readonly RecordingJobClient jobs = new();
    private long program, coordinator, outsider;

    private ProgramSchedulingService Service => new(Db, jobs, new SessionChanges(jobs), Clock);
    private ProgramSchedulingJob Job => new(Db, Clock, NullLogger<ProgramSchedulingJob>.Instance);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        program = await Given.ProgramAsync(Db);
        coordinator = await Given.CoordinatorAsync(Db, program);
        outsider = await Given.PersonAsync(Db, program, "olly@example.org");
    }

    /// <summary>
    /// Twelve people in London and New York, free weekday evenings on their own clocks; five circles, each led by one
    /// of them, with three others drawn so that people share circles.
    /// </summary>
    private async Task<long[]> GeneratedProgramAsync()
    {
        var people = new List<long>();
        for (var i = 0; i < 12; i++)
            people.Add(await Given.PersonAsync(Db, program, $"p{i}@example.org", timeZone: i % 2 == 0 ? "Europe/London" : "America/New_York", displayName: $"Person {i}"));
        await ExecuteAsync("""
            INSERT INTO mentor.availability_window (person_id, day, start_time, end_time)
            SELECT p, d, time '17:00', time '21:00' FROM unnest(@people::bigint[]) p CROSS JOIN generate_series(1, 5) d
            """, new { people = people.ToArray() });
        var circles = new List<long>();
        for (var c = 0; c < 5; c++)
        {
            var members = new List<(long, string)> { (people[c], "facilitator") };
            for (var k = 1; k <= 3; k++) members.Add((people[(c + 3 * k + 1) % 12], "mentee"));
            circles.Add(await Given.CircleAsync(Db, program, $"Circle {(char)('A' + c)}", [.. members]));
        }
        return [.. circles];
    }

    private Task<long> DoubleBookingsAsync() => ScalarAsync<long>("""
        SELECT count(*) FROM mentor.session a
        JOIN mentor.session b ON a.id < b.id AND tstzrange(a.starts_at, a.ends_at) && tstzrange(b.starts_at, b.ends_at)
        JOIN mentor.membership ma ON ma.circle_id = a.circle_id AND ma.left_at IS NULL
        JOIN mentor.membership mb ON mb.circle_id = b.circle_id AND mb.left_at IS NULL AND mb.person_id = ma.person_id
        WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'
        """);

    [Fact]
    public async Task Scheduling_a_generated_program_proposes_a_weekly_time_per_circle_and_publishing_creates_the_sessions_once()
    {
        var circles = await GeneratedProgramAsync();

        var runId = await Service.StartAsync(program, coordinator, new ScheduleParameters(From, To), Ct);
        Assert.Equal("queued", (await Service.GetRunAsync(runId, coordinator, Ct)).Status);
        var enqueued = Assert.Single(jobs.Created);
        Assert.Equal((typeof(ProgramSchedulingJob), nameof(ProgramSchedulingJob.RunAsync)), (enqueued.Type, enqueued.Method.Name));

        await Job.RunAsync(runId, Ct);

        var run = await Service.GetRunAsync(runId, coordinator, Ct);
        Assert.Equal(("done", 5, 5, 5, 0), (run.Status, run.DoneCircles, run.TotalCircles, run.PlacedCount, run.NotPlacedCount));
        var proposals = run.Proposals!.Circles;
        Assert.Equal(circles.Order(), proposals.Select(p => p.CircleId).Order());
        Assert.All(proposals, p =>
        {
            Assert.Equal(4, p.Sessions.Count);
            Assert.InRange(p.FirstDate!.Value, From, From.AddDays(6));
            Assert.Equal("Europe/London", p.TimeZone);
            // The same local time in London on both sides of the clock change.
            var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
            Assert.All(p.Sessions, s => Assert.Equal(p.LocalTime, TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(s.StartUtc, london).DateTime)));
        });

        jobs.Created.Clear();
        var published = await Service.PublishAsync(runId, coordinator, null, Ct);

        Assert.Equal(5, published.Series);
        Assert.Equal(20, published.SessionIds.Count);
        Assert.Equal(20, await ScalarAsync<long>("SELECT count(*) FROM mentor.session WHERE series_id IS NOT NULL AND status = 'scheduled'"));
        Assert.Equal(5, await ScalarAsync<long>("SELECT count(*) FROM mentor.session_series WHERE cadence = 'weekly' AND count = 4"));
        Assert.Equal(0, await ScalarAsync<long>("SELECT count(*) FROM mentor.session s WHERE NOT EXISTS (SELECT 1 FROM mentor.agenda_item a WHERE a.session_id = s.id)"));
        Assert.Equal(0, await DoubleBookingsAsync());
        var expected = proposals.SelectMany(p => p.Sessions.Select(s => (p.CircleId, s.StartUtc))).Order().ToList();
        var stored = await QueryAsync<(long CircleId, DateTimeOffset StartsAt)>("SELECT circle_id, starts_at FROM mentor.session");
        Assert.Equal(expected, stored.Order().ToList());
        Assert.Equal("published", (await Service.GetRunAsync(runId, coordinator, Ct)).Status);
        // Follow-up through SessionChanges: one conflict scan of the program, and each new session's reminders and re-check.
        Assert.Equal(1 + 20, jobs.Created.Count);
        Assert.Equal(20, jobs.Created.Count(j => j.Method.Name == nameof(SessionChangeJob.SessionAsync)));

        var again = await Assert.ThrowsAsync<InvalidInputException>(() => Service.PublishAsync(runId, coordinator, null, Ct));
        Assert.Equal("This run was already published; its sessions exist. Start a new run to schedule again.", again.Message);
        Assert.Equal(20, await ScalarAsync<long>("SELECT count(*) FROM mentor.session"));
    }

    [Fact]
    public async Task Running_the_job_twice_changes_nothing_the_second_time()
    {
        await GeneratedProgramAsync();
        var runId = await Service.StartAsync(program, coordinator, new ScheduleParameters(From, To), Ct);
        await Job.RunAsync(runId, Ct);
        var first = await ScalarAsync<string>("SELECT proposals::text || finished_at::text FROM mentor.scheduling_run WHERE id = @runId", new { runId });

        Clock.Advance(TimeSpan.FromMinutes(5));
        await Job.RunAsync(runId, Ct);

        Assert.Equal(first, await ScalarAsync<string>("SELECT proposals::text || finished_at::text FROM mentor.scheduling_run WHERE id = @runId", new { runId }));
    }

    [Fact]
    public async Task Publishing_is_refused_naming_the_circle_when_a_session_created_since_the_run_double_books_someone()
    {
        var circles = await GeneratedProgramAsync();
        var runId = await Service.StartAsync(program, coordinator, new ScheduleParameters(From, To), Ct);
        await Job.RunAsync(runId, Ct);
        var proposal = (await Service.GetRunAsync(runId, coordinator, Ct)).Proposals!.Circles.Single(c => c.CircleId == circles[0]);
        // Someone plans a one-off session of another circle that shares circle A's facilitator, at circle A's proposed time.
        var sharing = await ScalarAsync<long>("""
            SELECT m2.circle_id FROM mentor.membership m JOIN mentor.membership m2 ON m2.person_id = m.person_id AND m2.circle_id <> m.circle_id
            WHERE m.circle_id = @circle ORDER BY m2.circle_id LIMIT 1
            """, new { circle = circles[0] });
        await Given.SessionAsync(Db, sharing, proposal.Sessions[1].StartUtc);

        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => Service.PublishAsync(runId, coordinator, null, Ct));

        Assert.Contains(refused.Errors, e => e.Message.StartsWith("Circle A can no longer be published:", StringComparison.Ordinal));
        Assert.Equal(0, await ScalarAsync<long>("SELECT count(*) FROM mentor.session WHERE series_id IS NOT NULL"));
        Assert.Equal("done", (await Service.GetRunAsync(runId, coordinator, Ct)).Status);

        // Leaving circle A out, the rest is published.
        var rest = await Service.PublishAsync(runId, coordinator, circles.Skip(1).Where(c => c != sharing).ToList(), Ct);
        Assert.Equal(3, rest.Series);
    }

    [Fact]
    public async Task Someone_who_does_not_coordinate_the_program_can_neither_start_nor_see_nor_publish_nor_discard_a_run()
    {
        await GeneratedProgramAsync();
        var runId = await Service.StartAsync(program, coordinator, new ScheduleParameters(From, To), Ct);
        await Job.RunAsync(runId, Ct);

        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.StartAsync(program, outsider, new ScheduleParameters(From, To), Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.GetRunAsync(runId, outsider, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.ListRunsAsync(program, outsider, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.PublishAsync(runId, outsider, null, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.DiscardAsync(runId, outsider, Ct));
        Assert.Equal("done", (await Service.GetRunAsync(runId, coordinator, Ct)).Status);
        Assert.Equal(0, await ScalarAsync<long>("SELECT count(*) FROM mentor.session"));
    }

    [Fact]
    public async Task Bad_parameters_are_refused_with_what_was_wrong_and_nothing_is_started()
    {
        var errors = (await Assert.ThrowsAsync<InvalidInputException>(() => Service.StartAsync(program, coordinator,
            new ScheduleParameters(new DateOnly(2026, 3, 1), new DateOnly(2027, 3, 1), 5, "monthly"), Ct))).Errors;

        Assert.Equal(
            [
                "The first date, 2026-03-01, is not after today (2026-03-09 in Europe/London); start 2026-03-10 or later.",
                "2026-03-01 to 2027-03-01 is 366 days; schedule at most 25 weeks (175 days) at a time.",
                "A session lasts from 15 to 480 minutes, not 5.",
                "A whole program is scheduled weekly; \"monthly\" is not available here. Schedule fortnightly or monthly circles one at a time.",
            ],
            errors.Select(e => e.Message));
        Assert.Equal(0, await ScalarAsync<long>("SELECT count(*) FROM mentor.scheduling_run"));
        Assert.Empty(jobs.Created);
    }

    [Fact]
    public async Task A_discarded_run_cannot_be_published_and_a_second_run_waits_for_the_first()
    {
        await GeneratedProgramAsync();
        var runId = await Service.StartAsync(program, coordinator, new ScheduleParameters(From, To), Ct);
        var second = await Assert.ThrowsAsync<InvalidInputException>(() => Service.StartAsync(program, coordinator, new ScheduleParameters(From, To), Ct));
        Assert.Equal($"Run {runId} is still working on this program; wait for it to finish or discard it first.", second.Message);

        await Service.DiscardAsync(runId, coordinator, Ct);
        await Job.RunAsync(runId, Ct);

        Assert.Equal("discarded", (await Service.GetRunAsync(runId, coordinator, Ct)).Status);
        var refused = await Assert.ThrowsAsync<InvalidInputException>(() => Service.PublishAsync(runId, coordinator, null, Ct));
        Assert.Equal("This run was discarded; start a new run.", refused.Message);
        Assert.Equal("discarded", Assert.Single(await Service.ListRunsAsync(program, coordinator, Ct)).Status);
    }

    [Fact]
    public async Task A_circle_that_already_meets_in_those_weeks_is_left_out_with_the_reason()
    {
        var circles = await GeneratedProgramAsync();
        await Given.SessionAsync(Db, circles[2], new DateTimeOffset(2026, 3, 18, 18, 0, 0, TimeSpan.Zero));
        var runId = await Service.StartAsync(program, coordinator, new ScheduleParameters(From, To), Ct);

        await Job.RunAsync(runId, Ct);

        var c = (await Service.GetRunAsync(runId, coordinator, Ct)).Proposals!.Circles.Single(p => p.CircleId == circles[2]);
        Assert.False(c.Placed);
        Assert.Equal("It already has 1 session in these weeks (the first 2026-03-18 18:00 UTC); cancel them to schedule it here.", c.Text);
    }

    [Fact]
    public async Task A_run_the_scheduler_refuses_is_marked_failed_with_the_reason_and_is_not_retried_into_something_else()
    {
        await GeneratedProgramAsync();
        var runId = await Service.StartAsync(program, coordinator, new ScheduleParameters(From, To), Ct);
        // Parameters the service would never store, as if written by hand: the term ends before it starts.
        await ExecuteAsync("""UPDATE mentor.scheduling_run SET parameters = '{"from":"2026-03-20","to":"2026-03-10","cadence":"weekly"}' WHERE id = @runId""", new { runId });

        await Job.RunAsync(runId, Ct);
        await Job.RunAsync(runId, Ct);

        var run = await Service.GetRunAsync(runId, coordinator, Ct);
        Assert.Equal(("failed", "The term ends (2026-03-10) before it starts (2026-03-20)."), (run.Status, run.Error));
        Assert.Null(run.Proposals);
        Assert.Equal(Clock.GetUtcNow(), run.FinishedAt);
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql)
    {
        await using var conn = await Db.OpenConnectionAsync();
        return (await Dapper.SqlMapper.QueryAsync<T>(conn, new Dapper.CommandDefinition(sql))).ToList();
    }

    private sealed class RecordingJobClient : IBackgroundJobClient
    {
        public List<Job> Created { get; } = [];

        public string Create(Job job, IState state)
        {
            Created.Add(job);
            return Created.Count.ToString(CultureInfo.InvariantCulture);
        }

        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}
