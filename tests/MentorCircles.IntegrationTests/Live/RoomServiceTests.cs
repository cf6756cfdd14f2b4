using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Dapper;
using MentorCircles.Core.Circles;
using MentorCircles.Core.Common;
using MentorCircles.Core.Live;
using MentorCircles.Core.Objectives;
using MentorCircles.Core.Sessions;
using MentorCircles.IntegrationTests.Objectives;
using Microsoft.Extensions.Logging.Abstractions;

namespace MentorCircles.IntegrationTests.Live;

/// <summary>The live room end to end on PostgreSQL: two "nodes" (each its own RoomHub with its own LISTEN) sharing one database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RoomServiceTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    private long circle, fran, mo, pat, outsider, session;
    private readonly CancellationTokenSource stop = new();
    private Node a = null!, b = null!;

    private sealed record Node(RoomHub Hub, RoomService Rooms, RoomPresenceStore Presence, Task Listener);

    private Node StartNode(TimeSpan? leaveGrace = null)
    {
        var hub = new RoomHub(Db, new RoomEventStore(Db), NullLogger<RoomHub>.Instance);
        var presence = new RoomPresenceStore(Db, Guid.NewGuid());
        var rooms = new RoomService(Db, new CircleAccess(Db), hub, new RoomEventStore(Db), presence, Clock,
            new RoomOptions { LeaveGrace = leaveGrace ?? TimeSpan.Zero, NodeTimeout = TimeSpan.FromSeconds(45) });
        return new Node(hub, rooms, presence, Task.Run(() => hub.RunListenerAsync(stop.Token)));
    }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var program = await Given.ProgramAsync(Db);
        fran = await Given.PersonAsync(Db, program, "fran@example.org", displayName: "Fran Facilitator");
        mo = await Given.PersonAsync(Db, program, "mo@example.org", displayName: "Mo Mentee");
        pat = await Given.PersonAsync(Db, program, "pat@example.org", displayName: "Pat Mentee");
        outsider = await Given.PersonAsync(Db, program, "olly@example.org", displayName: "Olly Outsider");
        circle = await Given.CircleAsync(Db, program, "Room circle", (fran, "facilitator"), (mo, "mentee"), (pat, "mentee"));
        await ObjectiveGiven.AgreementAcceptedByAsync(Db, circle, fran, mo, pat);
        session = await new SessionService(Db, new CircleAccess(Db), Clock).StartNowAsync(circle, fran, Ct);
        a = StartNode();
        b = StartNode();
        await WaitUntil(() => a.Hub.Listening && b.Hub.Listening);
    }

    public override async Task DisposeAsync()
    {
        await stop.CancelAsync();
        await Task.WhenAll(a.Listener, b.Listener);
        await base.DisposeAsync();
    }

    private static async Task WaitUntil(Func<bool> condition, int timeoutMs = 10_000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("The condition did not become true in time.");
            await Task.Delay(20);
        }
    }

    private async Task EveryoneInAndStartedAsync(Node node)
    {
        foreach (var p in new[] { fran, mo, pat }) await node.Rooms.JoinAsync(session, p, Ct);
        Assert.Null(await node.Rooms.SendAsync(session, fran, at => new Start(fran, at), Ct));
    }

    [Fact]
    public async Task A_change_on_one_node_reaches_a_subscriber_on_the_other()
    {
        await b.Rooms.EnterAsync(session, mo, Ct);
        RoomState? seenOnB = null;
        using var sub = await b.Rooms.SubscribeAsync(session, mo, s => seenOnB = s, Ct);

        await EveryoneInAndStartedAsync(a);

        await WaitUntil(() => seenOnB is { Status: RoomStatus.Live });
        Assert.Equal((await a.Hub.GetAsync(session, Ct)).Seq, seenOnB!.Seq);
        Assert.True(seenOnB.IsPresent(pat));
    }

    [Fact]
    public async Task Two_facilitator_presses_of_next_on_two_nodes_move_the_room_on_once()
    {
        await EveryoneInAndStartedAsync(a);
        await b.Hub.CatchUpAsync(session, Ct);
        // The check-in round: Mo and Pat have their turns in order; both nodes press "next" having seen the same speaker.
        Assert.Null(await a.Rooms.SendAsync(session, fran, at => new StartRound(fran, at, new AfterLastStarter(), 60), Ct));
        await b.Hub.CatchUpAsync(session, Ct);
        var seen = (await a.Hub.GetAsync(session, Ct)).Speaker?.PersonId;

        var results = await Task.WhenAll(
            a.Rooms.SendAsync(session, fran, at => new NextSpeaker(fran, at, seen), Ct),
            b.Rooms.SendAsync(session, fran, at => new NextSpeaker(fran, at, seen), Ct));

        Assert.Single(results, r => r is null);
        Assert.Single(results, r => r == "Someone already moved on to the next speaker.");
        var ended = (await a.Hub.CatchUpAsync(session, Ct)).Airtime;
        var turnsEnded = (await new RoomEventStore(Db).LoadAsync(session, 0, Ct)).Count(e => e.Event is TurnEnded);
        Assert.Equal(1, turnsEnded);
        Assert.NotNull(ended);
    }

    [Fact]
    public async Task A_nodes_own_presses_are_not_read_back_from_the_log_when_their_notices_arrive()
    {
        await EveryoneInAndStartedAsync(a);
        for (var i = 0; i < 20; i++)
        {
            Assert.Null(await a.Rooms.SendAsync(session, fran, at => new Pause(fran, at), Ct));
            Assert.Null(await a.Rooms.SendAsync(session, fran, at => new Resume(fran, at), Ct));
        }
        // One press from the other node: its notice is the only one node A reads the log for, and it arrives after A's own.
        await b.Hub.CatchUpAsync(session, Ct);
        Assert.Null(await b.Rooms.SendAsync(session, fran, at => new Pause(fran, at), Ct));
        var last = (await b.Hub.GetAsync(session, Ct)).Seq;
        await WaitUntil(() => a.Hub.GetAsync(session, Ct).Result.Seq == last);

        Assert.Equal(1, a.Hub.NoticeCatchUps);
    }

    [Fact]
    public async Task A_notice_held_while_this_node_appends_catches_the_room_up_once_the_append_is_done()
    {
        await EveryoneInAndStartedAsync(a);
        await b.Hub.CatchUpAsync(session, Ct);
        RoomState? seenOnA = null;
        using var sub = await a.Rooms.SubscribeAsync(session, mo, s => seenOnA = s, Ct);

        var appending = a.Hub.Appending(session); // as if A's own append were waiting for its answer
        Assert.Null(await b.Rooms.SendAsync(session, fran, at => new Pause(fran, at), Ct));
        var seqOnB = (await b.Hub.GetAsync(session, Ct)).Seq;
        await Task.Delay(500); // B's NOTIFY reaches A, which holds it
        Assert.True((await a.Hub.GetAsync(session, Ct)).Seq < seqOnB);

        appending.Dispose(); // the append ended (here without an event of its own): the held notice goes through
        await WaitUntil(() => seenOnA?.Seq == seqOnB);
        Assert.Equal(RoomStatus.Paused, seenOnA!.Status);
    }

    /// <summary>Adds each measurement of the live rooms' <paramref name="instrument"/> to <paramref name="seen"/> with its <paramref name="tagKey"/> tag, until disposed.</summary>
    private static MeterListener Listen(string instrument, string tagKey, ConcurrentBag<(double Seconds, string? Tag)> seen)
    {
        var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == RoomMetrics.MeterName && i.Name == instrument) l.EnableMeasurementEvents(i);
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            foreach (var tag in tags) if (tag.Key == tagKey) seen.Add((seconds, tag.Value as string));
        });
        listener.Start();
        return listener;
    }

    [Fact]
    public async Task Every_command_is_timed_on_the_live_rooms_meter_with_its_outcome()
    {
        var seen = new ConcurrentBag<(double Seconds, string? Outcome)>();
        using var listener = Listen(RoomMetrics.CommandDurationName, "outcome", seen);

        await EveryoneInAndStartedAsync(a); // three joins and the start, accepted
        Assert.Equal("Only the facilitator can pause the session.", await a.Rooms.SendAsync(session, mo, at => new Pause(mo, at), Ct));

        // Other test classes may send commands meanwhile, so these are at-leasts.
        Assert.True(seen.Count(m => m.Outcome == "accepted") >= 4, string.Join(", ", seen));
        Assert.Contains(seen, m => m.Outcome == "refused");
        Assert.All(seen, m => Assert.InRange(m.Seconds, 0, 60));
    }

    [Fact]
    public async Task The_steps_of_an_accepted_command_are_timed_on_the_meter_by_step()
    {
        var seen = new ConcurrentBag<(double Seconds, string? Step)>();
        using var listener = Listen(RoomMetrics.StepDurationName, "step", seen);

        using var page = await a.Rooms.SubscribeAsync(session, mo, _ => { }, Ct); // a page to publish to
        await EveryoneInAndStartedAsync(a); // joins (each after a catch-up) and the start: connect, append, gate, publish
        await a.Rooms.JoinAsync(session, mo, Ct); // already present: a catch-up that reads the log

        foreach (var step in new[] { RoomMetrics.Steps.Connect, RoomMetrics.Steps.Append, RoomMetrics.Steps.Gate, RoomMetrics.Steps.CatchUp, RoomMetrics.Steps.Publish })
            Assert.Contains(seen, m => m.Step == step);
        Assert.All(seen, m => Assert.InRange(m.Seconds, 0, 60));
    }

    [Fact]
    public async Task Every_page_is_told_even_when_another_pages_subscriber_throws_and_the_command_is_still_accepted()
    {
        await EveryoneInAndStartedAsync(a);
        var told = new ConcurrentDictionary<int, long>();
        var pages = new List<IDisposable>();
        for (var i = 0; i < 10; i++)
        {
            var n = i;
            pages.Add(await a.Rooms.SubscribeAsync(session, mo, s =>
            {
                if (n == 3) throw new InvalidOperationException("a broken page");
                told.AddOrUpdate(n, s.Seq, (_, seen) => Math.Max(seen, s.Seq));
            }, Ct));
        }
        try
        {
            Assert.Null(await a.Rooms.SendAsync(session, fran, at => new Pause(fran, at), Ct));
            var seq = (await a.Hub.GetAsync(session, Ct)).Seq;
            await WaitUntil(() => told.Count == 9 && told.Values.All(v => v == seq));
        }
        finally { pages.ForEach(p => p.Dispose()); }
    }

    [Fact]
    public async Task A_non_member_is_refused_entering_following_and_commanding()
    {
        await Assert.ThrowsAsync<AccessDeniedException>(() => a.Rooms.EnterAsync(session, outsider, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => a.Rooms.SubscribeAsync(session, outsider, _ => { }, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => a.Rooms.SendAsync(session, outsider, at => new RaiseHand(outsider, at), Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => a.Rooms.CircleAirtimeAsync(session, outsider, Ct));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM mentor.room_event WHERE actor_id = @outsider", new { outsider }));
    }

    [Fact]
    public async Task A_member_who_has_not_accepted_the_current_agreement_cannot_enter()
    {
        await ExecuteAsync("""
            INSERT INTO mentor.agreement_version (circle_id, version, body, reason) VALUES (@circle, 2, 'New text.', 'edited')
            """, new { circle });
        await Assert.ThrowsAsync<AgreementNotAcceptedException>(() => a.Rooms.EnterAsync(session, mo, Ct));
    }

    [Fact]
    public async Task A_member_removed_mid_session_is_refused_at_their_next_command()
    {
        await EveryoneInAndStartedAsync(a);
        Assert.Null(await a.Rooms.SendAsync(session, fran, at => new SetTurnMode(fran, at, TurnMode.OpenQueue), Ct));
        await ExecuteAsync("UPDATE mentor.membership SET left_at = now() WHERE circle_id = @circle AND person_id = @pat", new { circle, pat });

        await Assert.ThrowsAsync<AccessDeniedException>(() => a.Rooms.SendAsync(session, pat, at => new RaiseHand(pat, at), Ct));
        Assert.Null((await a.Hub.GetAsync(session, Ct)).HandOf(pat));
    }

    [Fact]
    public async Task A_follower_whose_membership_ends_is_told_at_once_and_hears_no_more_of_the_room()
    {
        await EveryoneInAndStartedAsync(a);
        var patSaw = new ConcurrentQueue<long>();
        var moSaw = new ConcurrentQueue<long>();
        AccessDeniedException? patTold = null, moTold = null;
        using var patPage = await b.Rooms.SubscribeAsync(session, pat, s => patSaw.Enqueue(s.Seq), Ct, ex => patTold = ex);
        using var moPage = await b.Rooms.SubscribeAsync(session, mo, s => moSaw.Enqueue(s.Seq), Ct, ex => moTold = ex);

        // Ended by someone else, on no node's command: the database announces it (sql/0007) and node B checks its followers.
        await ExecuteAsync("UPDATE mentor.membership SET left_at = now() WHERE circle_id = @circle AND person_id = @pat", new { circle, pat });
        await WaitUntil(() => patTold is not null);

        var heard = patSaw.Count;
        Assert.Null(await a.Rooms.SendAsync(session, fran, at => new Pause(fran, at), Ct));
        var seq = (await a.Hub.GetAsync(session, Ct)).Seq;
        await WaitUntil(() => moSaw.Contains(seq));
        Assert.Equal(heard, patSaw.Count);
        Assert.Null(moTold);
    }

    [Fact]
    public async Task A_new_agreement_version_stops_every_follower_who_has_not_accepted_it()
    {
        await EveryoneInAndStartedAsync(a);
        AccessDeniedException? moTold = null;
        using var moPage = await b.Rooms.SubscribeAsync(session, mo, _ => { }, Ct, ex => moTold = ex);

        await ExecuteAsync("""
            INSERT INTO mentor.agreement_version (circle_id, version, body, reason) VALUES (@circle, 2, 'New text.', 'edited')
            """, new { circle });
        await WaitUntil(() => moTold is not null);
        Assert.IsType<AgreementNotAcceptedException>(moTold);
    }

    [Fact]
    public async Task A_non_member_learns_nothing_of_the_room_from_a_command_not_even_why_it_would_be_refused()
    {
        await EveryoneInAndStartedAsync(a);
        var member = await Assert.ThrowsAsync<AccessDeniedException>(() => a.Rooms.SendAsync(session, outsider, at => new RaiseHand(outsider, at), Ct));
        // "Not your turn" and "only the facilitator" would tell an outsider who speaks and who leads: they hear the refusal.
        var yield = await Assert.ThrowsAsync<AccessDeniedException>(() => a.Rooms.SendAsync(session, outsider, at => new Yield(outsider, at), Ct));
        var end = await Assert.ThrowsAsync<AccessDeniedException>(() => a.Rooms.SendAsync(session, outsider, at => new End(outsider, at), Ct));
        // A session whose room is not open, or that does not exist, is refused with the same words.
        var notOpen = await Given.SessionAsync(Db, circle);
        var closed = await Assert.ThrowsAsync<AccessDeniedException>(() => a.Rooms.SendAsync(notOpen, outsider, at => new RaiseHand(outsider, at), Ct));
        var missing = await Assert.ThrowsAsync<AccessDeniedException>(() => a.Rooms.SendAsync(notOpen + 1000, outsider, at => new RaiseHand(outsider, at), Ct));
        Assert.Single(new[] { member, yield, end, closed, missing }.Select(e => e.Message).Distinct());
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM mentor.room_event WHERE actor_id = @outsider", new { outsider }));
    }

    [Fact]
    public async Task A_member_is_refused_at_their_next_command_once_the_agreement_changes_until_they_accept_it()
    {
        await EveryoneInAndStartedAsync(a);
        Assert.Null(await a.Rooms.SendAsync(session, fran, at => new SetTurnMode(fran, at, TurnMode.OpenQueue), Ct));
        await ExecuteAsync("""
            INSERT INTO mentor.agreement_version (circle_id, version, body, reason) VALUES (@circle, 2, 'New text.', 'edited')
            """, new { circle });
        var before = await ScalarAsync<long>("SELECT count(*) FROM mentor.room_event WHERE session_id = @session", new { session });

        await Assert.ThrowsAsync<AgreementNotAcceptedException>(() => a.Rooms.SendAsync(session, pat, at => new RaiseHand(pat, at), Ct));
        Assert.Equal(before, await ScalarAsync<long>("SELECT count(*) FROM mentor.room_event WHERE session_id = @session", new { session }));

        await ObjectiveGiven.AgreementAcceptedByAsync(Db, circle, pat);
        Assert.Null(await a.Rooms.SendAsync(session, pat, at => new RaiseHand(pat, at), Ct));
        Assert.NotNull((await a.Hub.GetAsync(session, Ct)).HandOf(pat));
    }

    [Fact]
    public async Task A_refused_command_says_why_and_changes_nothing()
    {
        await EveryoneInAndStartedAsync(a);
        var before = (await a.Hub.GetAsync(session, Ct)).Seq;
        Assert.Equal("It is not your turn.", await a.Rooms.SendAsync(session, mo, at => new Yield(mo, at), Ct));
        Assert.Equal("Only the facilitator can end the session.", await a.Rooms.SendAsync(session, mo, at => new End(mo, at), Ct));
        Assert.Equal(before, await ScalarAsync<long>("SELECT count(*) FROM mentor.room_event WHERE session_id = @session", new { session }));
    }

    [Fact]
    public async Task A_restarted_node_rebuilds_the_room_from_the_log()
    {
        await EveryoneInAndStartedAsync(a);
        Assert.Null(await a.Rooms.SendAsync(session, fran, at => new SetTurnMode(fran, at, TurnMode.OpenQueue), Ct));
        Assert.Null(await a.Rooms.SendAsync(session, mo, at => new RaiseHand(mo, at), Ct));
        var before = await a.Hub.GetAsync(session, Ct);

        var fresh = StartNode();
        var rebuilt = await fresh.Hub.GetAsync(session, Ct);

        Assert.Equal(before.Seq, rebuilt.Seq);
        Assert.Equal(before.Queue, rebuilt.Queue);
        Assert.Equal(before.CurrentItemId, rebuilt.CurrentItemId);
        Assert.Equal(before.Participants, rebuilt.Participants);
    }

    [Fact]
    public async Task A_join_that_loses_every_race_for_the_log_says_so_and_a_reload_joins()
    {
        // Every append to the log loses its seq, as if other presses always got there first.
        await ExecuteAsync("""
            CREATE FUNCTION mentor.test_seq_always_taken() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE unique_violation USING MESSAGE = 'another append took this seq (test)'; END $$;
            CREATE TRIGGER test_seq_always_taken BEFORE INSERT ON mentor.room_event
                FOR EACH ROW EXECUTE FUNCTION mentor.test_seq_always_taken();
            """);
        string? answer;
        try { answer = await a.Rooms.JoinAsync(session, mo, Ct); }
        finally { await ExecuteAsync("DROP TRIGGER test_seq_always_taken ON mentor.room_event; DROP FUNCTION mentor.test_seq_always_taken();"); }

        Assert.Equal("The room is very busy right now; try again.", answer);
        Assert.False((await a.Hub.CatchUpAsync(session, Ct)).IsPresent(mo));

        Assert.Null(await a.Rooms.JoinAsync(session, mo, Ct)); // the page reloaded
        Assert.True((await a.Hub.GetAsync(session, Ct)).IsPresent(mo));
        Assert.Null(await b.Rooms.JoinAsync(session, mo, Ct)); // a second page: already in, nothing to say
    }

    [Fact]
    public async Task A_second_tab_closing_does_not_walk_its_owner_out()
    {
        await a.Rooms.JoinAsync(session, mo, Ct);
        await a.Rooms.JoinAsync(session, mo, Ct);
        await a.Rooms.LeaveAsync(session, mo, Ct);
        Assert.True((await a.Hub.GetAsync(session, Ct)).IsPresent(mo));
        await a.Rooms.LeaveAsync(session, mo, Ct);
        Assert.False((await a.Hub.GetAsync(session, Ct)).IsPresent(mo));
    }

    [Fact]
    public async Task Twelve_people_opening_and_then_closing_their_pages_at_once_on_two_nodes_all_join_and_all_leave()
    {
        var program = await Given.ProgramAsync(Db);
        var people = new List<long>();
        for (var i = 0; i < 12; i++) people.Add(await Given.PersonAsync(Db, program, $"p{i}@example.org", displayName: $"Person {i}"));
        var big = await Given.CircleAsync(Db, program, "Big circle", [(people[0], "facilitator"), .. people.Skip(1).Select(p => (p, "peer"))]);
        await ObjectiveGiven.AgreementAcceptedByAsync(Db, big, [.. people]);
        var room = await new SessionService(Db, new CircleAccess(Db), Clock).StartNowAsync(big, people[0], Ct);
        await Task.WhenAll(people.Select((p, i) => (i % 2 == 0 ? a : b).Rooms.JoinAsync(room, p, Ct)));
        Assert.Equal(people, people.Where((await a.Hub.CatchUpAsync(room, Ct)).IsPresent));

        await Task.WhenAll(people.Select((p, i) => (i % 2 == 0 ? a : b).Rooms.LeaveAsync(room, p, Ct)));

        var after = await a.Hub.CatchUpAsync(room, Ct);
        Assert.Equal(Array.Empty<long>(), people.Where(after.IsPresent).ToArray());
    }

    [Fact]
    public async Task A_page_closing_on_one_node_does_not_walk_out_a_person_who_has_one_open_on_another()
    {
        await a.Rooms.JoinAsync(session, mo, Ct);
        await b.Rooms.JoinAsync(session, mo, Ct);
        await a.Rooms.LeaveAsync(session, mo, Ct);
        await b.Hub.CatchUpAsync(session, Ct);
        Assert.True((await b.Hub.GetAsync(session, Ct)).IsPresent(mo));
        await b.Rooms.LeaveAsync(session, mo, Ct);
        Assert.False((await b.Hub.GetAsync(session, Ct)).IsPresent(mo));
    }

    [Fact]
    public async Task When_a_node_dies_another_walks_out_the_people_who_were_only_there_and_the_facilitator_role_passes()
    {
        // A circle with a mentor, who takes over facilitating when the facilitator drops out.
        var program = await ScalarAsync<long>("SELECT program_id FROM mentor.circle WHERE id = @circle", new { circle });
        var meg = await Given.PersonAsync(Db, program, "meg@example.org", displayName: "Meg Mentor");
        var handover = await Given.CircleAsync(Db, program, "Handover circle", (fran, "facilitator"), (meg, "mentor"), (mo, "mentee"), (pat, "mentee"));
        await ObjectiveGiven.AgreementAcceptedByAsync(Db, handover, fran, meg, mo, pat);
        var room = await new SessionService(Db, new CircleAccess(Db), Clock).StartNowAsync(handover, fran, Ct);
        foreach (var p in new[] { fran, mo }) await b.Rooms.JoinAsync(room, p, Ct);        // Fran and Mo on node B
        foreach (var p in new[] { meg, pat, mo }) await a.Rooms.JoinAsync(room, p, Ct);    // Meg, Pat and Mo (a second page) on node A
        Assert.Null(await b.Rooms.SendAsync(room, fran, at => new Start(fran, at), Ct));
        await a.Presence.HeartbeatAsync(Ct);
        await b.Presence.HeartbeatAsync(Ct);
        Assert.Equal(0, await a.Rooms.SweepDeadNodesAsync(Ct));                            // both alive: nothing to do

        // Node B stops beating (it died: its pages never said goodbye). Later, node A's sweep walks Fran out, not Mo.
        await ExecuteAsync("UPDATE mentor.room_node SET heartbeat_at = now() - interval '1 minute' WHERE node_id = @id", new { id = b.Presence.NodeId });
        Assert.Equal(1, await a.Rooms.SweepDeadNodesAsync(Ct));
        var after = await a.Hub.GetAsync(room, Ct);
        Assert.False(after.IsPresent(fran));
        Assert.True(after.IsPresent(mo));
        Assert.True(after.IsPresent(pat));
        Assert.Equal(meg, after.ActingFacilitatorId);
        Assert.Equal(0, await ScalarAsync<long>("SELECT count(*) FROM mentor.room_presence WHERE node_id = @id", new { id = b.Presence.NodeId }));
        Assert.Equal(0, await ScalarAsync<long>("SELECT count(*) FROM mentor.room_node WHERE node_id = @id", new { id = b.Presence.NodeId }));
        Assert.Equal(0, await a.Rooms.SweepDeadNodesAsync(Ct));                            // a second sweep changes nothing
    }

    [Fact]
    public async Task A_reload_within_the_grace_period_keeps_the_persons_hand_up()
    {
        var node = StartNode(TimeSpan.FromMilliseconds(400));
        foreach (var p in new[] { fran, mo, pat }) await node.Rooms.JoinAsync(session, p, Ct);
        Assert.Null(await node.Rooms.SendAsync(session, fran, at => new Start(fran, at), Ct));
        Assert.Null(await node.Rooms.SendAsync(session, fran, at => new SetTurnMode(fran, at, TurnMode.OpenQueue), Ct));
        Assert.Null(await node.Rooms.SendAsync(session, mo, at => new RaiseHand(mo, at), Ct));

        var leaving = node.Rooms.LeaveAsync(session, mo, Ct);      // the old page goes...
        await node.Rooms.JoinAsync(session, mo, Ct);               // ...and the reloaded one arrives
        await leaving;
        var after = await node.Hub.GetAsync(session, Ct);
        Assert.True(after.IsPresent(mo));
        Assert.NotNull(after.HandOf(mo));

        await node.Rooms.LeaveAsync(session, pat, Ct);              // a page closed for good: gone after the grace period
        Assert.False((await node.Hub.GetAsync(session, Ct)).IsPresent(pat));
    }

    [Fact]
    public async Task Ending_the_session_records_attendance_and_airtime_and_completes_it()
    {
        await EveryoneInAndStartedAsync(a);
        await a.Rooms.LeaveAsync(session, pat, Ct);
        Assert.Null(await a.Rooms.SendAsync(session, fran, at => new GiveFloor(fran, at, mo), Ct));
        Clock.Advance(TimeSpan.FromSeconds(90));
        Assert.Null(await a.Rooms.SendAsync(session, fran, at => new End(fran, at), Ct));

        Assert.Equal("completed", await ScalarAsync<string>("SELECT status FROM mentor.session WHERE id = @session", new { session }));
        await using var conn = await Db.OpenConnectionAsync();
        var rows = (await conn.QueryAsync<(long PersonId, bool Attended, int Spoken)>(new CommandDefinition(
            "SELECT person_id, attended, spoken_seconds FROM mentor.session_participation WHERE session_id = @session", new { session })))
            .ToDictionary(r => r.PersonId);
        Assert.Equal(90, rows[mo].Spoken);
        Assert.True(rows[pat].Attended);
        Assert.Equal(0, rows[fran].Spoken);

        var across = await a.Rooms.CircleAirtimeAsync(session, fran, Ct);
        var moAcross = across.Single(r => r.PersonId == mo);
        Assert.Equal(TimeSpan.FromSeconds(90), moAcross.Spoken);
        Assert.Equal(1, moAcross.SessionsAttended);
        Assert.Equal(TimeSpan.FromSeconds(30), moAcross.FairShare); // 90 s spoken by 3 people who attended
        await Assert.ThrowsAsync<AccessDeniedException>(() => a.Rooms.CircleAirtimeAsync(session, mo, Ct));
    }

    [Fact]
    public async Task An_objective_round_check_in_is_saved_on_the_objective_from_the_room()
    {
        var objectives = new ObjectiveService(Db, new CircleAccess(Db), Clock);
        var shared = await objectives.CreateAsync(circle, mo, new ObjectiveInput("Submit a first grant", "", "", null, Visibility: "facilitators"), Ct);
        var secret = await objectives.CreateAsync(circle, mo, new ObjectiveInput("Change jobs", "", "", null, Visibility: "private"), Ct);

        await objectives.CheckInFromRoomAsync(session, shared, mo, new CheckInInput(40, "Draft done"), Ct);
        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => objectives.CheckInFromRoomAsync(session, secret, mo, new CheckInInput(10, ""), Ct));
        Assert.Contains("private", ex.Message);

        await using var conn = await Db.OpenConnectionAsync();
        var saved = await conn.QuerySingleAsync<(bool InSession, long SessionId, int Progress)>(new CommandDefinition(
            "SELECT in_session, session_id, progress FROM mentor.objective_checkin WHERE objective_id = @shared", new { shared }));
        Assert.Equal((true, session, 40), saved);
        await Assert.ThrowsAsync<AccessDeniedException>(() => objectives.CheckInFromRoomAsync(session, shared, pat, new CheckInInput(50, ""), Ct));
    }
}
