using MentorCircles.Core.Live;

namespace MentorCircles.Benchmarks;

/// <summary>
/// A realistic 90-minute circle of 12 people, written as the commands their clicks would send: arrivals, a check-in
/// round, an objective round, a progressive discussion with hands raised and lowered and direct responses, a break,
/// a peer consultation taken through its four timed phases, a closing round, people stepping out and back. Only commands the engine accepts
/// are kept, so replaying the script measures the engine's work, not its refusals.
/// </summary>
public static class SessionScript
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 10, 17, 0, 0, TimeSpan.Zero);

    public static RoomState InitialRoom()
    {
        var members = Enumerable.Range(1, 12).Select(i => new RoomMember(i, $"Person {i}", i switch
        {
            1 or 2 => RoomRole.Facilitator,
            3 => RoomRole.Mentor,
            _ => i % 4 == 0 ? RoomRole.Peer : RoomRole.Mentee,
        }));
        PlannedItem[] agenda =
        [
            new(1, AgendaKind.CheckInRound, "Check-in", 10), new(2, AgendaKind.ObjectiveRound, "Objectives", 20),
            new(3, AgendaKind.OpenDiscussion, "Topic", 25), new(4, AgendaKind.Break, "Break", 5),
            new(5, AgendaKind.PeerConsultation, "Consultation", 20), new(6, AgendaKind.Reflection, "Closing round", 10),
        ];
        return RoomState.Create(1, members, agenda);
    }

    public static RoomCommand[] Generate(int count, int seed = 7)
    {
        var rng = new Random(seed);
        var s = InitialRoom();
        var commands = new List<RoomCommand>(count);
        var now = T0;
        // Spread the commands over 90 minutes.
        var step = TimeSpan.FromMinutes(90) / (count * 1.35); // about a quarter of attempts are refused and dropped

        void Try(RoomCommand cmd)
        {
            if (commands.Count >= count || RoomEngine.Decide(s, cmd) is not RoomDecision.Accepted ok) return;
            foreach (var e in ok.Events) s = RoomEngine.Apply(s, e);
            commands.Add(cmd);
        }

        for (long p = 1; p <= 12; p++) Try(new Join(p, now));
        Try(new Start(1, now));
        while (commands.Count < count)
        {
            now += step * (0.5 + rng.NextDouble());
            var f = s.ActingFacilitatorId ?? 1;
            long someone = rng.Next(1, 13);
            var elapsedItem = now - (s.CurrentItem?.StartedAt ?? now);
            var itemOver = s.CurrentItem is { } item && elapsedItem > TimeSpan.FromMinutes(item.PlannedMinutes * 90.0 / 95);
            if (s.Status == RoomStatus.Ended) break;
            if (s.CurrentItem is null) { Try(new End(f, now)); break; }
            if (itemOver) { Try(new AdvanceItem(f, now, s.CurrentItemId)); continue; }
            if (s.CurrentItem!.Kind == AgendaKind.PeerConsultation)
            {
                // One consultation, with the client the room suggests; the facilitator moves each phase on a little
                // before its deadline, so it finishes inside the item's timebox.
                if (s.Consultation is null && s.Clients.Count == 0)
                {
                    if (RoomViews.SuggestedClient(s, []) is { } client) Try(new StartConsultation(f, now, client.PersonId));
                    continue;
                }
                if (s.Consultation is { } c && now >= c.Deadline.AddSeconds(-45)) { Try(new NextPhase(f, now, (int)c.Phase)); continue; }
            }
            switch (s.CurrentMode)
            {
                case TurnMode.Round when !s.Round.Active:
                    Try(new StartRound(f, now, rng.Next(2) == 0 ? new AfterLastStarter() : new RandomOrder(rng.Next()), 60));
                    break;
                case TurnMode.Round:
                    var r = rng.Next(10);
                    if (r < 5) Try(new NextSpeaker(f, now, s.Speaker?.PersonId));
                    else if (r < 7 && s.Speaker is { } sp) Try(new Pass(sp.PersonId, now));
                    else if (r < 8) Try(new Pass(someone, now));
                    else if (r < 9 && s.Speaker is { } sp2) Try(new Yield(sp2.PersonId, now));
                    else Try(new ExtendTurn(f, now));
                    break;
                case TurnMode.FacilitatorPicks:
                    if (rng.Next(3) == 0) Try(new GiveFloor(f, now, someone));
                    else if (rng.Next(2) == 0) Try(new RaiseHand(someone, now));
                    else if (s.Speaker is { } sp3) Try(new Yield(sp3.PersonId, now));
                    break;
                default:
                    if (s.CurrentItem!.Kind == AgendaKind.OpenDiscussion && s.CurrentMode != TurnMode.Progressive)
                    {
                        Try(new SetTurnMode(f, now, TurnMode.Progressive));
                        break;
                    }
                    var q = rng.Next(20);
                    if (q < 8) Try(new RaiseHand(someone, now));
                    else if (q < 10) Try(new LowerHand(s.Queue.Count > 0 ? s.Queue[rng.Next(s.Queue.Count)].PersonId : someone, now));
                    else if (q < 15) Try(new NextSpeaker(f, now, s.Speaker?.PersonId));
                    else if (q < 16) Try(new RaiseDirectResponse(someone, now));
                    else if (q < 17 && s.Speaker is { } sp4) Try(new Yield(sp4.PersonId, now));
                    else if (q < 18) { Try(new Pause(f, now)); Try(new Resume(f, now + step)); }
                    else if (q < 19) Try(s.IsPresent(someone) && someone != f && someone != s.Consultation?.ClientId ? new Leave(someone, now) : new Join(someone, now));
                    else Try(new Join(someone, now));
                    break;
            }
        }
        if (commands.Count < count)
            throw new InvalidOperationException($"The script produced {commands.Count} commands, fewer than {count}; lengthen the session.");
        return [.. commands];
    }
}
