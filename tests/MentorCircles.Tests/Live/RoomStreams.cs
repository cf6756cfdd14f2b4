using MentorCircles.Core.Live;

namespace MentorCircles.Tests.Live;

/// <summary>Random but plausible commands: mostly from people in the room, mostly with what they would have seen.</summary>
internal static class RoomStreams
{
    public static readonly DateTimeOffset T0 = new(2026, 3, 10, 17, 0, 0, TimeSpan.Zero);

    /// <summary>consultationFirst puts the peer consultation at the start, so streams reach it often.</summary>
    public static RoomState TwelvePersonRoom(bool consultationFirst = false)
    {
        var roles = new[] { RoomRole.Facilitator, RoomRole.Facilitator, RoomRole.Mentor, RoomRole.Mentor };
        var members = Enumerable.Range(1, 12)
            .Select(i => new RoomMember(i, $"P{i}", i <= roles.Length ? roles[i - 1] : i % 3 == 0 ? RoomRole.Peer : RoomRole.Mentee));
        PlannedItem[] agenda =
        [
            new(1, AgendaKind.CheckInRound, "Check-in", 10), new(2, AgendaKind.ObjectiveRound, "Objectives", 25),
            new(3, AgendaKind.OpenDiscussion, "Discussion", 30), new(4, AgendaKind.Break, "Break", 5),
            new(5, AgendaKind.PeerConsultation, "Consultation", 15), new(6, AgendaKind.Reflection, "Closing", 5),
        ];
        if (consultationFirst) agenda = [agenda[4], .. agenda[..4], agenda[5]];
        return RoomState.Create(77, members, agenda);
    }

    public static RoomCommand RandomCommand(Random rng, RoomState s, DateTimeOffset at)
    {
        // 13 is not a member; the acting facilitator acts a third of the time.
        long actor = rng.Next(10) == 0 ? rng.Next(1, 14)
            : rng.Next(3) == 0 && s.ActingFacilitatorId is { } f ? f
            : s.Speaker is { } sp && rng.Next(4) == 0 ? sp.PersonId
            : rng.Next(1, 13);
        if (s.Status == RoomStatus.NotStarted && s.ActingFacilitatorId is { } lead && rng.Next(4) == 0) return new Start(lead, at);
        long someone = rng.Next(1, 14);
        long? speaker = rng.Next(8) == 0 ? rng.Next(1, 13) : s.Speaker?.PersonId;
        long? item = rng.Next(8) == 0 ? rng.Next(1, 9) : s.CurrentItemId;
        long anyItem = rng.Next(1, 10);
        // In a consultation item the facilitator mostly drives the consultation, as they would.
        if (s.CurrentItem?.Kind == AgendaKind.PeerConsultation && rng.Next(3) == 0)
        {
            var phase = rng.Next(6) == 0 ? rng.Next(0, 6) : (int?)s.Consultation?.Phase ?? 1;
            return s.Consultation is null || rng.Next(6) == 0 ? new StartConsultation(actor, at, rng.Next(1, 14)) : new NextPhase(actor, at, phase);
        }
        return rng.Next(26) switch
        {
            0 or 1 => new Join(actor, at),
            2 => new Leave(actor, at),
            3 or 4 or 5 => new RaiseHand(actor, at),
            6 => new LowerHand(actor, at),
            7 => new RaiseDirectResponse(actor, at),
            8 => new GiveFloor(actor, at, someone),
            9 or 10 or 11 => new NextSpeaker(actor, at, speaker),
            12 => new Yield(actor, at),
            13 or 14 => new Pass(actor, at),
            15 => new SkipSpeaker(actor, at, speaker ?? someone),
            16 => new ExtendTurn(actor, at, rng.Next(0, 3)),
            17 => new Pause(actor, at),
            18 => new Resume(actor, at),
            19 => new SetTurnMode(actor, at, (TurnMode)rng.Next(4)),
            20 => new StartRound(actor, at, rng.Next(2) == 0 ? new RandomOrder(rng.Next()) : new AfterLastStarter(), rng.Next(5, 200)),
            21 => rng.Next(3) == 0 ? new Start(actor, at) : new AdvanceItem(actor, at, item),
            22 => new SkipItem(actor, at, anyItem),
            23 => rng.Next(2) == 0 ? new ExtendItem(actor, at, anyItem, rng.Next(0, 10)) : new MoveItem(actor, at, anyItem, rng.Next(0, 8)),
            24 => new AddItem(actor, at, (AgendaKind)rng.Next(7), rng.Next(5) == 0 ? "" : "Extra", rng.Next(0, 30), null, rng.Next(3) == 0 ? rng.Next(0, 9) : null),
            _ => rng.Next(40) == 0 ? new End(actor, at) : new Join(actor, at),
        };
    }
}
