namespace MentorCircles.Core.Live;

/// <summary>
/// The live room's rules: Decide validates a command against the state and returns the events it causes
/// (or a reason it is refused); Apply folds an event into the state. Both are pure and deterministic.
/// </summary>
public static partial class RoomEngine
{
    public const int DirectResponseSeconds = 60;

    public static RoomDecision Decide(RoomState s, RoomCommand cmd)
    {
        // Nodes' clocks can disagree by a little; time in the room never runs backwards.
        var now = cmd.At < s.Clock ? s.Clock : cmd.At;
        if (s.Status == RoomStatus.Ended) return No("The session has ended.");
        if (!s.Participants.TryGetValue(cmd.ActorId, out var actor)) return No("You are not a participant in this session.");
        if (cmd is Join)
            return actor.Present ? No("You are already in the room.") : Yes(new ParticipantJoined(now, actor.PersonId));
        if (!actor.Present) return No("Join the room first.");
        if (cmd is Leave) return DecideLeave(s, now, actor.PersonId);
        if (cmd is Start)
        {
            if (s.Status != RoomStatus.NotStarted) return No("The session has already started.");
            if (s.ActingFacilitatorId != actor.PersonId) return No("Only the facilitator can start the session.");
            var first = FirstPending(s);
            return first is null ? Yes(new SessionStarted(now)) : Yes(new SessionStarted(now), new ItemStarted(now, first.Id));
        }
        if (s.Status == RoomStatus.NotStarted) return No("The session has not started yet.");
        var isFacilitator = s.ActingFacilitatorId == actor.PersonId;

        return cmd switch
        {
            RaiseHand => DecideRaiseHand(s, now, actor.PersonId),
            LowerHand => s.HandOf(actor.PersonId) is null ? No("Your hand is not raised.") : Yes(new HandLowered(now, actor.PersonId)),
            RaiseDirectResponse => DecideDirectResponse(s, now, actor.PersonId),
            GiveFloor c => !isFacilitator ? No("Only the facilitator can give the floor.") : DecideGiveFloor(s, now, c.PersonId),
            NextSpeaker c => !isFacilitator ? No("Only the facilitator can move on to the next speaker.") : DecideNext(s, now, c.ExpectedCurrentSpeakerId),
            Yield => s.Speaker?.PersonId != actor.PersonId ? No("It is not your turn.")
                : IfLive(s) ?? Yes(EndTurnAndMoveOn(s, now, TurnEndReason.Yielded, null)),
            Pass => DecidePass(s, now, actor.PersonId),
            SkipSpeaker c => !isFacilitator ? No("Only the facilitator can skip a speaker.") : DecideSkip(s, now, c.ExpectedCurrentSpeakerId),
            ExtendTurn c => !isFacilitator ? No("Only the facilitator can extend a turn.") : DecideExtendTurn(s, now, c.Minutes),
            Pause => !isFacilitator ? No("Only the facilitator can pause the session.")
                : s.Status == RoomStatus.Paused ? No("The session is already paused.") : Yes(new SessionPaused(now)),
            Resume => !isFacilitator ? No("Only the facilitator can resume the session.")
                : s.Status != RoomStatus.Paused ? No("The session is not paused.") : Yes(new SessionResumed(now)),
            SetTurnMode c => !isFacilitator ? No("Only the facilitator can change the turn mode.") : DecideSetMode(s, now, c.Mode),
            StartRound c => !isFacilitator ? No("Only the facilitator can start a round.") : DecideStartRound(s, now, c),
            AdvanceItem c => !isFacilitator ? No("Only the facilitator can move the agenda on.") : DecideAdvance(s, now, c.ExpectedCurrentItemId),
            SkipItem c => !isFacilitator ? No("Only the facilitator can skip an agenda item.") : DecideSkipItem(s, now, c.ItemId),
            ExtendItem c => !isFacilitator ? No("Only the facilitator can extend an agenda item.") : DecideExtendItem(s, now, c),
            AddItem c => !isFacilitator ? No("Only the facilitator can add an agenda item.") : DecideAddItem(s, now, c),
            MoveItem c => !isFacilitator ? No("Only the facilitator can reorder the agenda.") : DecideMoveItem(s, now, c),
            End => !isFacilitator ? No("Only the facilitator can end the session.") : Yes(EndSession(s, now)),
            StartConsultation c => !isFacilitator ? No("Only the facilitator can start a consultation.") : DecideStartConsultation(s, now, c.ClientId),
            NextPhase c => !isFacilitator ? No("Only the facilitator can move the consultation on.") : DecideNextPhase(s, now, c.ExpectedPhase),
            _ => No($"Unknown command {cmd.GetType().Name}."),
        };
    }

    private static RoomDecision DecideLeave(RoomState s, DateTimeOffset now, long personId)
    {
        var events = new List<RoomEvent>(4);
        if (s.Speaker?.PersonId == personId) events.AddRange(EndTurnAndMoveOn(s, now, TurnEndReason.Left, personId));
        // A consultation is about the client's question: without them it ends, and the facilitator may start another.
        if (s.Consultation is { } c && c.ClientId == personId) events.Add(new ConsultationEnded(now, c.ItemId, ConsultationEndReason.ClientLeft));
        events.Add(new ParticipantLeft(now, personId));
        return new RoomDecision.Accepted(events);
    }

    private static RoomDecision DecideRaiseHand(RoomState s, DateTimeOffset now, long personId)
    {
        if (s.Speaker?.PersonId == personId) return No("You have the floor already.");
        if (s.HandOf(personId) is not null) return No("Your hand is already raised.");
        if (ConsultationBars(s, personId, raisingHand: true) is { } phaseRule) return No(phaseRule);
        if (s.CurrentMode == TurnMode.Round) return No("In a round everyone gets a turn: wait for yours, or pass.");
        return Yes(new HandRaised(now, personId, HandKind.Normal));
    }

    private static RoomDecision DecideDirectResponse(RoomState s, DateTimeOffset now, long personId)
    {
        if (ConsultationBars(s, personId) is { } phaseRule) return No(phaseRule);
        if (s.CurrentMode is TurnMode.Round or TurnMode.FacilitatorPicks)
            return No($"Direct responses are not taken in {Describe(s.CurrentMode)} mode.");
        if (s.Speaker is null) return No("Nobody is speaking, so there is nothing to respond to.");
        if (s.Speaker.PersonId == personId) return No("You have the floor already.");
        if (s.Speaker.IsDirectResponse) return No("A direct response is being given; one at a time.");
        foreach (var h in s.Queue)
            if (h.Kind == HandKind.DirectResponse) return No("Someone is already waiting to respond directly; one at a time.");
        if (s.HandOf(personId) is not null) return No("Your hand is already raised; lower it to respond directly.");
        return Yes(new HandRaised(now, personId, HandKind.DirectResponse));
    }

    private static RoomDecision DecideGiveFloor(RoomState s, DateTimeOffset now, long personId)
    {
        if (IfLive(s) is { } paused) return paused;
        if (!s.Participants.ContainsKey(personId)) return No($"Person {personId} is not a participant in this session.");
        if (!s.IsPresent(personId)) return No($"{s.NameOf(personId)} is not in the room.");
        if (s.Speaker?.PersonId == personId) return No($"{s.NameOf(personId)} already has the floor.");
        if (ConsultationBars(s, personId) is { } phaseRule) return No(phaseRule);
        var events = new List<RoomEvent>(2);
        if (s.Speaker is { } sp) events.Add(new TurnEnded(now, sp.PersonId, TurnEndReason.Replaced));
        events.Add(new TurnStarted(now, personId, null, false, null));
        return new RoomDecision.Accepted(events);
    }

    private static RoomDecision DecideNext(RoomState s, DateTimeOffset now, long? expected)
    {
        if (s.Speaker?.PersonId != expected) return No("Someone already moved on to the next speaker.");
        if (IfLive(s) is { } paused) return paused;
        if (ClientOnlyPhase(s)) return No(ClientHasTheFloor);
        var events = EndTurnAndMoveOn(s, now, TurnEndReason.Finished, null);
        return events.Count == 0 ? No(NobodyWaiting(s)) : new RoomDecision.Accepted(events);
    }

    private static RoomDecision DecideSkip(RoomState s, DateTimeOffset now, long expected)
    {
        if (s.Speaker is null) return No("Nobody is speaking.");
        if (s.Speaker.PersonId != expected) return No("Someone already moved on to the next speaker.");
        if (IfLive(s) is { } paused) return paused;
        return Yes(EndTurnAndMoveOn(s, now, TurnEndReason.Skipped, null));
    }

    private static RoomDecision DecidePass(RoomState s, DateTimeOffset now, long personId)
    {
        if (!s.Round.Active) return No("There is no round going on.");
        if (IfLive(s) is { } paused) return paused;
        if (s.Round.Passed.Contains(personId)) return No("You have already passed in this round.");
        if (s.Speaker?.PersonId == personId)
        {
            var events = new List<RoomEvent>(3) { new RoundPassed(now, personId) };
            events.AddRange(EndTurnAndMoveOn(s, now, TurnEndReason.Passed, personId));
            return new RoomDecision.Accepted(events);
        }
        var index = s.Round.Order.IndexOf(personId);
        if (index < 0) return No("You are not in this round.");
        if (index <= s.Round.Position) return No("You have already had your turn in this round.");
        return Yes(new RoundPassed(now, personId));
    }

    private static RoomDecision DecideExtendTurn(RoomState s, DateTimeOffset now, int minutes)
    {
        if (s.Speaker is null) return No("Nobody is speaking.");
        if (IfLive(s) is { } paused) return paused;
        if (minutes is < 1 or > 10) return No("A turn can be extended by 1 to 10 minutes.");
        if (s.Speaker.Deadline is not { } deadline) return No("This turn has no time limit to extend.");
        return Yes(new TurnExtended(now, s.Speaker.PersonId, deadline.AddMinutes(minutes)));
    }

    private static RoomDecision DecideSetMode(RoomState s, DateTimeOffset now, TurnMode mode)
    {
        if (s.CurrentItem is not { } item) return No("There is no agenda item in progress.");
        if (item.Mode == mode) return No($"The turn mode is already {Describe(mode)}.");
        var events = new List<RoomEvent>(2);
        if (s.Round.Active) events.Add(new RoundEnded(now));
        events.Add(new TurnModeChanged(now, item.Id, mode));
        return new RoomDecision.Accepted(events);
    }

    private static RoomDecision DecideStartRound(RoomState s, DateTimeOffset now, StartRound c)
    {
        if (IfLive(s) is { } paused) return paused;
        if (s.CurrentItem is not { } item) return No("There is no agenda item in progress.");
        if (s.Round.Active) return No("A round is already going.");
        if (c.TurnSeconds is < 10 or > 1800) return No("A round turn lasts from 10 seconds to 30 minutes.");
        if (ClientOnlyPhase(s)) return No(ClientHasTheFloor);
        // While the consultants discuss, the client listens: they are left out of the round.
        var leaveOut = s.Consultation is { Phase: ConsultationPhase.Discussing } running ? running.ClientId : (long?)null;
        var (order, explanation) = RoundOrder.Compute(s, c.Strategy, leaveOut);
        if (order.Count == 0) return No("Nobody is in the room.");
        var events = new List<RoomEvent>(4);
        if (item.Mode != TurnMode.Round) events.Add(new TurnModeChanged(now, item.Id, TurnMode.Round));
        if (s.Speaker is { } sp) events.Add(new TurnEnded(now, sp.PersonId, TurnEndReason.Replaced));
        events.Add(new RoundStarted(now, order, c.TurnSeconds, explanation));
        events.Add(new TurnStarted(now, order[0], now.AddSeconds(c.TurnSeconds), false, 0));
        return new RoomDecision.Accepted(events);
    }

    /// <summary>
    /// Ends the current turn (if any) and gives the floor to whoever is next in this mode. While paused nobody
    /// new starts, so no airtime runs during a pause. A round with nobody left ends.
    /// </summary>
    private static List<RoomEvent> EndTurnAndMoveOn(RoomState s, DateTimeOffset now, TurnEndReason reason, long? excluding)
    {
        var events = new List<RoomEvent>(3);
        if (s.Speaker is { } sp) events.Add(new TurnEnded(now, sp.PersonId, reason));
        if (s.Status == RoomStatus.Paused) return events;
        if (NextUp(s, excluding) is { } pick)
        {
            DateTimeOffset? deadline = pick.Direct ? now.AddSeconds(DirectResponseSeconds)
                : pick.RoundPosition is not null ? now.AddSeconds(s.Round.TurnSeconds) : null;
            events.Add(new TurnStarted(now, pick.PersonId, deadline, pick.Direct, pick.RoundPosition));
        }
        else if (s.Round.Active && s.CurrentMode == TurnMode.Round)
            events.Add(new RoundEnded(now));
        return events;
    }

    internal readonly record struct Pick(long PersonId, bool Direct, int? RoundPosition);

    /// <summary>Who gets the floor next: the round order, else a pending direct response, else the queue.</summary>
    internal static Pick? NextUp(RoomState s, long? excluding)
    {
        var mode = s.CurrentMode;
        if (mode == TurnMode.Round)
        {
            if (!s.Round.Active) return null;
            var order = s.Round.Order;
            for (var i = s.Round.Position + 1; i < order.Count; i++)
            {
                var id = order[i];
                if (id != excluding && s.IsPresent(id) && !s.Round.Passed.Contains(id) && ConsultationBars(s, id) is null)
                    return new Pick(id, false, i);
            }
            return null;
        }
        if (mode == TurnMode.FacilitatorPicks) return null;
        Hand? best = null;
        var bestSpoken = TimeSpan.Zero;
        foreach (var h in s.Queue)
        {
            if (h.PersonId == excluding || ConsultationBars(s, h.PersonId) is not null) continue;
            if (h.Kind == HandKind.DirectResponse) return new Pick(h.PersonId, true, null);
            if (best is null) { best = h; bestSpoken = s.SpokenBy(h.PersonId); continue; }
            if (mode != TurnMode.Progressive) continue;
            // Strictly less, so equal speaking time keeps arrival order.
            var spoken = s.SpokenBy(h.PersonId);
            if (spoken < bestSpoken) { best = h; bestSpoken = spoken; }
        }
        return best is null ? null : new Pick(best.PersonId, false, null);
    }

    private static string NobodyWaiting(RoomState s) => s.CurrentMode switch
    {
        TurnMode.FacilitatorPicks => "In facilitator-picks mode, give the floor to someone.",
        TurnMode.Round => "There is no round going on; start one.",
        _ => "Nobody is waiting to speak.",
    };

    internal static string Describe(TurnMode mode) => mode switch
    {
        TurnMode.OpenQueue => "open queue",
        TurnMode.Progressive => "progressive",
        TurnMode.Round => "round",
        _ => "facilitator picks",
    };

    private static RoomDecision? IfLive(RoomState s) =>
        s.Status == RoomStatus.Paused ? No("The session is paused; resume it first.") : null;

    private static RoomDecision.Rejected No(string reason) => new(reason);

    private static RoomDecision.Accepted Yes(params RoomEvent[] events) => new(events);

    private static RoomDecision.Accepted Yes(List<RoomEvent> events) => new(events);
}
