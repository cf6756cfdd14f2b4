using System.Text.Json;
using MentorCircles.Core.Live;

namespace MentorCircles.Tests.Live;

public class RoomPropertyTests
{
    private const int Streams = 500, CommandsPerStream = 200;

    [Fact]
    public void RandomCommandStreams_ReplayToTheSameState_AndKeepTheRoomsInvariants()
    {
        var totalAccepted = 0;
        var kinds = new HashSet<Type>();
        for (var stream = 0; stream < Streams; stream++)
        {
            var rng = new Random(stream);
            var initial = RoomStreams.TwelvePersonRoom(consultationFirst: stream % 2 == 1);
            var state = initial;
            var events = new List<RoomEvent>();
            var now = RoomStreams.T0;
            for (var i = 0; i < CommandsPerStream; i++)
            {
                now = now.AddSeconds(rng.Next(0, 40));
                var cmd = RoomStreams.RandomCommand(rng, state, now);
                if (RoomEngine.Decide(state, cmd) is not RoomDecision.Accepted accepted) continue;
                kinds.Add(cmd.GetType());
                foreach (var e in accepted.Events)
                {
                    state = RoomEngine.Apply(state, e);
                    events.Add(e);
                }
                totalAccepted++;
                AssertInvariants(state, events.Count, stream, i);
            }

            // Events are stored as JSON: replay what a store would give back, not the objects in memory.
            var json = JsonSerializer.Serialize<IReadOnlyList<RoomEvent>>(events);
            var stored = JsonSerializer.Deserialize<List<RoomEvent>>(json)!;
            var replayed = RoomEngine.Replay(initial, stored);
            Assert.Equal(Canonical(state), Canonical(replayed));
            Assert.Equal(events.Count, replayed.Seq);
        }
        // The generator must really exercise the engine: every kind of command accepted somewhere, not just refusals.
        Assert.True(totalAccepted > Streams * CommandsPerStream / 10, $"only {totalAccepted} commands accepted, {kinds.Count} kinds");
        Assert.True(kinds.Count == 24, $"only {kinds.Count} kinds of command were accepted: {string.Join(", ", kinds.Select(k => k.Name))}");
    }

    private static void AssertInvariants(RoomState s, int eventCount, int stream, int step)
    {
        var where = $"stream {stream}, step {step}";
        Assert.True(s.Seq == eventCount, where);
        var ids = s.Queue.Select(h => h.PersonId).ToList();
        Assert.True(ids.Distinct().Count() == ids.Count, $"{where}: someone is in the queue twice");
        Assert.True(s.Speaker is null || !ids.Contains(s.Speaker.PersonId), $"{where}: the speaker is in the queue");
        Assert.True(ids.All(s.IsPresent), $"{where}: someone absent is in the queue");
        Assert.True(s.Queue.Count(h => h.Kind == HandKind.DirectResponse) <= 1, $"{where}: two direct responses wait");
        Assert.True(s.ActingFacilitatorId is null || s.IsPresent(s.ActingFacilitatorId.Value), $"{where}: the acting facilitator is absent");
        if (s.StartedAt is { } started)
        {
            var airtime = s.Airtime.Aggregate(TimeSpan.Zero, (a, seg) => a + seg.Duration);
            Assert.True(airtime <= s.Clock - started, $"{where}: {airtime} of airtime in {s.Clock - started}");
            Assert.Equal(airtime, s.SpokenTotals.Values.Aggregate(TimeSpan.Zero, (a, b) => a + b));
        }
        if (s.Round.Active) Assert.True(s.Round.Order.Distinct().Count() == s.Round.Order.Count, $"{where}: someone is twice in the round");
        AssertConsultationInvariants(s, where);
    }

    private static void AssertConsultationInvariants(RoomState s, string where)
    {
        Assert.True((s.Consultation is not null) == (s.Clients.Count > 0 && s.Clients[^1].EndReason is null), $"{where}: the client list disagrees");
        if (s.Consultation is not { } c) return;
        Assert.True(s.Status != RoomStatus.Ended, $"{where}: a consultation outlived the session");
        Assert.True(c.ItemId == s.CurrentItemId && s.CurrentItem!.Kind == AgendaKind.PeerConsultation, $"{where}: consultation outside its item");
        Assert.True(s.IsPresent(c.ClientId), $"{where}: the client is absent");
        Assert.True((s.Status == RoomStatus.Paused) == (c.RemainingWhenPaused is not null), $"{where}: the phase timer ignores the pause");
        if (c.Phase is ConsultationPhase.Presenting or ConsultationPhase.Reflecting)
            Assert.True(s.Speaker is null || s.Speaker.PersonId == c.ClientId, $"{where}: someone else has the client's floor");
        if (c.Phase == ConsultationPhase.Discussing)
        {
            Assert.True(s.Speaker?.PersonId != c.ClientId, $"{where}: the client speaks while consultants discuss");
            Assert.True(s.HandOf(c.ClientId) is null, $"{where}: the client's hand is up while consultants discuss");
            Assert.True(!s.Round.Active || !s.Round.Order.Contains(c.ClientId), $"{where}: the client is in the consultants' round");
        }
    }

    private static string Canonical(RoomState s) => JsonSerializer.Serialize(s);
}
