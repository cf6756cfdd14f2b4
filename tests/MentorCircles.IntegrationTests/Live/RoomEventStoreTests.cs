using MentorCircles.Core.Circles;
using MentorCircles.Core.Live;
using MentorCircles.IntegrationTests.Objectives;
using Npgsql;

namespace MentorCircles.IntegrationTests.Live;

[Collection(PostgresCollection.Name)]
public sealed class RoomEventStoreTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    private long SessionId;
    private static readonly DateTimeOffset T0 = new(2026, 11, 25, 17, 0, 0, TimeSpan.Zero);
    private long facilitator, mentee, peer, circle;

    private RoomEventStore Store => new(Db);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var program = await Given.ProgramAsync(Db);
        facilitator = await Given.PersonAsync(Db, program, "fran@example.org", displayName: "Fran Facilitator");
        mentee = await Given.PersonAsync(Db, program, "mo@example.org", displayName: "Mo Mentee");
        peer = await Given.PersonAsync(Db, program, "pat@example.org", displayName: "Pat Peer");
        circle = await Given.CircleAsync(Db, program, "Room log circle", (facilitator, "facilitator"), (mentee, "mentee"), (peer, "peer"));
        SessionId = await Given.SessionAsync(Db, circle, status: "live");
    }

    private RoomState Initial() => RoomState.Create(SessionId,
        [new RoomMember(facilitator, "Fran Facilitator", RoomRole.Facilitator), new RoomMember(mentee, "Mo Mentee", RoomRole.Mentee),
         new RoomMember(peer, "Pat Peer", RoomRole.Peer)],
        [new PlannedItem(1, AgendaKind.CheckInRound, "Check-in", 10), new PlannedItem(2, AgendaKind.OpenDiscussion, "Discussion", 30)]);

    private static IReadOnlyList<RoomEvent> Accept(RoomState s, RoomCommand c) =>
        RoomEngine.Decide(s, c) is RoomDecision.Accepted a ? a.Events : throw new InvalidOperationException($"{c} was refused: {RoomEngine.Decide(s, c)}");

    [Fact]
    public async Task Appended_events_load_back_in_order_and_replay_to_the_same_room()
    {
        var state = Initial();
        long seq = 0;
        foreach (var cmd in new RoomCommand[]
                 {
                     new Join(facilitator, T0), new Join(mentee, T0.AddSeconds(5)), new Join(peer, T0.AddSeconds(9)),
                     new Start(facilitator, T0.AddMinutes(1)), new Leave(peer, T0.AddMinutes(2)),
                 })
        {
            var events = Accept(state, cmd);
            Assert.True(await Store.AppendAsync(SessionId, seq, cmd.ActorId, events, Ct));
            state = events.Aggregate(state, RoomEngine.Apply);
            seq += events.Count;
        }

        var stored = await Store.LoadAsync(SessionId, 0, Ct);
        Assert.Equal(Enumerable.Range(1, (int)seq).Select(i => (long)i), stored.Select(e => e.Seq));
        var rebuilt = RoomEngine.Replay(Initial(), stored.Select(e => e.Event));
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(state), System.Text.Json.JsonSerializer.Serialize(rebuilt));
        Assert.Equal(seq, rebuilt.Seq);

        // A node that already holds the first events reads only the rest.
        Assert.Equal(stored.Skip(3).Select(e => e.Seq), (await Store.LoadAsync(SessionId, 3, Ct)).Select(e => e.Seq));
    }

    [Fact]
    public async Task Two_appends_after_the_same_seq_make_one_change_not_two()
    {
        var state = Initial();
        var joins = Accept(state, new Join(facilitator, T0));
        Assert.True(await Store.AppendAsync(SessionId, 0, facilitator, joins, Ct));
        state = joins.Aggregate(state, RoomEngine.Apply);

        // Two nodes decide against the same state and race to append after seq 1.
        var first = Accept(state, new Join(mentee, T0.AddSeconds(1)));
        var second = Accept(state, new Join(peer, T0.AddSeconds(1)));
        var results = await Task.WhenAll(
            Store.AppendAsync(SessionId, state.Seq, mentee, first, Ct),
            Store.AppendAsync(SessionId, state.Seq, peer, second, Ct));

        Assert.Single(results, r => r);
        var log = await Store.LoadAsync(SessionId, 0, Ct);
        Assert.Equal(2, log.Count);
        Assert.Equal(2, log[^1].Seq);
    }

    /// <summary>A connection LISTENing on the room channel, and the payloads it has received.</summary>
    private async Task<(NpgsqlConnection Listener, List<string> Notes)> ListenAsync()
    {
        var notes = new List<string>();
        var listener = await Db.OpenConnectionAsync();
        listener.Notification += (_, e) => { lock (notes) notes.Add(e.Payload); };
        await using (var cmd = new NpgsqlCommand($"LISTEN {RoomEventStore.Channel}", listener)) await cmd.ExecuteNonQueryAsync();
        return (listener, notes);
    }

    /// <summary>
    /// Notifications arrive on the listening connection when it next talks to the server: waits for the first (at most
    /// 10 s), then 300 ms more, room for a wrong second one to show up.
    /// </summary>
    private static async Task SettleAsync(NpgsqlConnection listener, List<string> notes)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            await listener.WaitAsync(TimeSpan.FromMilliseconds(200));
            lock (notes) if (notes.Count > 0) break;
        }
        await listener.WaitAsync(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task A_successful_append_is_announced_once_with_the_room_and_seq_and_a_losing_one_not_at_all()
    {
        var (listener, notes) = await ListenAsync();
        await using var _ = listener;

        var events = Accept(Initial(), new Join(facilitator, T0));
        Assert.True(await Store.AppendAsync(SessionId, 0, facilitator, events, Ct));
        Assert.False(await Store.AppendAsync(SessionId, 0, facilitator, events, Ct));

        await SettleAsync(listener, notes);

        Assert.Equal([$"{SessionId}:{events.Count}"], notes);
        Assert.Equal((SessionId, (long)events.Count), RoomEventStore.ParseNotification(notes[0]));
    }

    [Fact]
    public async Task A_gated_append_writes_and_announces_nothing_for_someone_the_gate_refuses()
    {
        var (listener, notes) = await ListenAsync();
        await using var _ = listener;
        var events = Accept(Initial(), new Join(facilitator, T0));

        // The circle has no agreement yet, so nobody passes the content gate.
        Assert.Equal(AppendOutcome.Refused, await Store.AppendAsync(SessionId, 0, facilitator, events, CircleAccess.SessionContentGateSql, Ct));
        Assert.Empty(await Store.LoadAsync(SessionId, 0, Ct));

        await ObjectiveGiven.AgreementAcceptedByAsync(Db, circle, facilitator);
        Assert.Equal(AppendOutcome.Appended, await Store.AppendAsync(SessionId, 0, facilitator, events, CircleAccess.SessionContentGateSql, Ct));
        Assert.Equal(AppendOutcome.SeqTaken, await Store.AppendAsync(SessionId, 0, facilitator, events, CircleAccess.SessionContentGateSql, Ct));
        Assert.Equal(AppendOutcome.Refused, await Store.AppendAsync(SessionId, 1, mentee, Accept(Initial(), new Join(mentee, T0)), CircleAccess.SessionContentGateSql, Ct));
        Assert.Equal([1L], (await Store.LoadAsync(SessionId, 0, Ct)).Select(e => e.Seq));

        await SettleAsync(listener, notes);
        Assert.Equal([$"{SessionId}:1"], notes);
    }
}
