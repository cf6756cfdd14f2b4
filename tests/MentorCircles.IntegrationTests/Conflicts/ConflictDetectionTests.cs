using MentorCircles.Core.Common;
using MentorCircles.Core.Conflicts;

namespace MentorCircles.IntegrationTests.Conflicts;

[Collection(PostgresCollection.Name)]
public sealed class ConflictDetectionTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    private long program, coordinator, fran, gus, hal, mo, pat, outsider, circleA, circleB, sessionA, sessionB;
    private ConflictDetectionJob Job => new(new ConflictStore(Db), Clock);
    private ConflictService Service => new(Db, Job, Clock);
    // Wednesday 11 March 10:00 UTC (10:00 in London, the circles' zone), two days after the clock's start.
    private static readonly DateTimeOffset Tuesday10 = new DateTimeOffset(2026, 3, 11, 10, 0, 0, TimeSpan.Zero);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        program = await Given.ProgramAsync(Db);
        coordinator = await Given.CoordinatorAsync(Db, program);
        fran = await Given.PersonAsync(Db, program, "fran@example.org");
        gus = await Given.PersonAsync(Db, program, "gus@example.org");
        hal = await Given.PersonAsync(Db, program, "hal@example.org");
        mo = await Given.PersonAsync(Db, program, "mo@example.org");
        pat = await Given.PersonAsync(Db, program, "pat@example.org");
        outsider = await Given.PersonAsync(Db, program, "olly@example.org");
        // Mo is in both circles; each circle has enough members that Mo's absence alone leaves the quorum met.
        circleA = await Given.CircleAsync(Db, program, "Circle A", (fran, "facilitator"), (hal, "facilitator"), (mo, "mentee"), (pat, "mentee"));
        circleB = await Given.CircleAsync(Db, program, "Circle B", (gus, "mentor"), (mo, "mentee"), (pat, "mentee"));
        sessionA = await Given.SessionAsync(Db, circleA, Tuesday10);
        sessionB = await Given.SessionAsync(Db, circleB, Tuesday10.AddMinutes(30));
    }

    private Task<long> OpenCountAsync(string kind) =>
        ScalarAsync<long>("SELECT count(*) FROM mentor.conflict WHERE program_id = @program AND kind = @kind AND status = 'open'", new { program, kind });

    [Fact]
    public async Task Detection_finds_a_double_booking_and_running_it_again_does_not_duplicate_it()
    {
        var first = await Job.RunAsync(program, Ct);
        var second = await Job.RunAsync(program, Ct);

        var conflicts = await Service.ListAsync(program, coordinator, new(Kind: ConflictKinds.DoubleBooked), Ct);
        Assert.Equal([$"double_booked:p{mo}:s{sessionA}:s{sessionB}", $"double_booked:p{pat}:s{sessionA}:s{sessionB}"], conflicts.Select(c => c.Key).Order());
        Assert.All(conflicts, c => Assert.Equal([sessionA, sessionB], c.SessionIds));
        Assert.True(first.Opened >= 2);
        Assert.Equal(0, second.Opened);
        Assert.Equal(0, second.Closed);
    }

    [Fact]
    public async Task Running_twice_at_once_opens_each_conflict_once()
    {
        await Task.WhenAll(Job.RunAsync(program, Ct), Job.RunAsync(program, Ct), Job.RunAsync(program, Ct));
        Assert.Equal(2, await OpenCountAsync(ConflictKinds.DoubleBooked));
    }

    [Fact]
    public async Task Moving_the_session_and_re_running_closes_the_double_booking()
    {
        await Job.RunAsync(program, Ct);
        await ExecuteAsync("UPDATE mentor.session SET starts_at = starts_at + interval '3 hours', ends_at = ends_at + interval '3 hours' WHERE id = @sessionB", new { sessionB });

        var result = await Job.RunAsync(program, Ct);

        Assert.Equal(2, result.Closed);
        Assert.Equal(0, await OpenCountAsync(ConflictKinds.DoubleBooked));
        var closed = await Service.ListAsync(program, coordinator, new(Status: "closed"), Ct);
        Assert.Equal(2, closed.Count);
        Assert.All(closed, c => Assert.Equal(Clock.GetUtcNow(), c.ClosedAt));
    }

    [Fact]
    public async Task Re_checking_one_moved_session_closes_its_double_booking_only()
    {
        var sessionC = await Given.SessionAsync(Db, circleB, Tuesday10.AddDays(7));
        var sessionD = await Given.SessionAsync(Db, circleA, Tuesday10.AddDays(7));
        await Job.RunAsync(program, Ct);
        Assert.Equal(4, await OpenCountAsync(ConflictKinds.DoubleBooked));

        await ExecuteAsync("UPDATE mentor.session SET starts_at = starts_at + interval '3 hours', ends_at = ends_at + interval '3 hours' WHERE id = @sessionB", new { sessionB });
        var result = await Job.RecheckSessionAsync(sessionB, Ct);

        Assert.Equal(2, result.Closed);
        var open = await Service.ListAsync(program, coordinator, new(Kind: ConflictKinds.DoubleBooked), Ct);
        Assert.All(open, c => Assert.Equal([Math.Min(sessionC, sessionD), Math.Max(sessionC, sessionD)], c.SessionIds));
        Assert.Equal(2, open.Count);
    }

    [Fact]
    public async Task Resolving_by_handing_over_keeps_the_resolution_history_and_a_later_run_does_not_reopen_it()
    {
        // Fran leads circle A and is also a mentee in circle B at the same time; Hal co-facilitates circle A.
        await ExecuteAsync("INSERT INTO mentor.membership (circle_id, person_id, role) VALUES (@circleB, @fran, 'mentee')", new { circleB, fran });
        await Job.RunAsync(program, Ct);
        var conflict = Assert.Single(await Service.ListAsync(program, coordinator, new(Kind: ConflictKinds.DoubleBooked), Ct), c => c.PersonIds.SequenceEqual([fran]));

        var handOver = Assert.Single(await Service.SuggestionsAsync(conflict.Id, coordinator, Ct), r => r.Kind == ResolutionKind.HandOver);
        Assert.Equal(hal, handOver.PersonId);
        await Service.ResolveAsync(conflict.Id, coordinator, handOver, "Hal leads this week", Ct);
        await Job.RunAsync(program, Ct);

        Assert.Equal(hal, await ScalarAsync<long>("SELECT lead_person_id FROM mentor.session WHERE id = @sessionA", new { sessionA }));
        var resolved = Assert.Single(await Service.ListAsync(program, coordinator, new(Status: "resolved"), Ct));
        Assert.Equal((conflict.Id, coordinator, "Hal leads this week"), (resolved.Id, resolved.ResolvedBy, resolved.Note));
        Assert.Contains("HandOver", resolved.Resolution);
        Assert.DoesNotContain(await Service.ListAsync(program, coordinator, new(), Ct), c => c.Key == conflict.Key);
    }

    [Fact]
    public async Task Resolving_by_moving_applies_the_suggested_time_and_bumps_the_sequence()
    {
        await Job.RunAsync(program, Ct);
        var conflict = (await Service.ListAsync(program, coordinator, new(Kind: ConflictKinds.DoubleBooked), Ct))[0];
        var move = Assert.Single(await Service.SuggestionsAsync(conflict.Id, coordinator, Ct), r => r.Kind == ResolutionKind.Move);

        await Service.ResolveAsync(conflict.Id, coordinator, move, null, Ct);

        Assert.Equal(move.NewStart, await ScalarAsync<DateTimeOffset>("SELECT starts_at FROM mentor.session WHERE id = @SessionId", new { move.SessionId }));
        Assert.Equal(1, await ScalarAsync<int>("SELECT sequence FROM mentor.session WHERE id = @SessionId", new { move.SessionId }));
        Assert.Equal(0, await OpenCountAsync(ConflictKinds.DoubleBooked));
    }

    [Fact]
    public async Task Excusing_a_member_records_a_no_with_the_note()
    {
        await Job.RunAsync(program, Ct);
        var conflict = Assert.Single(await Service.ListAsync(program, coordinator, new(Kind: ConflictKinds.DoubleBooked), Ct), c => c.PersonIds.SequenceEqual([mo]));
        var excuse = (await Service.SuggestionsAsync(conflict.Id, coordinator, Ct)).First(r => r.Kind == ResolutionKind.Excuse);

        await Service.ResolveAsync(conflict.Id, coordinator, excuse, "Mo goes to the other circle", Ct);

        Assert.Equal("no", await ScalarAsync<string>("SELECT answer FROM mentor.rsvp WHERE session_id = @SessionId AND person_id = @mo", new { excuse.SessionId, mo }));
        Assert.Equal(1, await OpenCountAsync(ConflictKinds.DoubleBooked));
    }

    [Fact]
    public async Task A_blackout_date_and_a_cancelled_session_are_handled()
    {
        await ExecuteAsync("INSERT INTO mentor.program_blackout (program_id, day, label) VALUES (@program, DATE '2026-03-11', 'Holiday')", new { program });
        await Job.RunAsync(program, Ct);
        Assert.Equal(2, await OpenCountAsync(ConflictKinds.BlackoutDate));

        await ExecuteAsync("UPDATE mentor.session SET status = 'cancelled' WHERE id = @sessionB", new { sessionB });
        await Job.RecheckSessionAsync(sessionB, Ct);
        Assert.Equal(1, await OpenCountAsync(ConflictKinds.BlackoutDate));
        Assert.Equal(0, await OpenCountAsync(ConflictKinds.DoubleBooked));
    }

    [Fact]
    public async Task A_non_coordinator_is_refused()
    {
        await Job.RunAsync(program, Ct);
        var conflict = (await Service.ListAsync(program, coordinator, new(), Ct))[0];

        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.ListAsync(program, outsider, new(), Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.SuggestionsAsync(conflict.Id, fran, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Service.ResolveAsync(conflict.Id, mo, new(ResolutionKind.Cancel, sessionA, $"Cancel session {sessionA}"), null, Ct));
        Assert.Equal("scheduled", await ScalarAsync<string>("SELECT status FROM mentor.session WHERE id = @sessionA", new { sessionA }));
    }
}
