namespace MentorCircles.Core.Live;

/// <summary>
/// Peer consultation (Troika-style) in a peer consultation item: the client presents, consultants ask clarifying
/// questions, consultants discuss while the client listens, the client reflects. Each phase has its own deadline.
/// </summary>
public static partial class RoomEngine
{
    /// <summary>Each phase's share of the item's timebox, in percent, in phase order.</summary>
    public static readonly IReadOnlyList<int> PhaseShares = [20, 25, 35, 20];

    public const int MinPhaseSeconds = 60;

    internal const string ClientListens = "In this phase the client listens while the consultants discuss.";
    internal const string ClientPresents = "In this phase the client presents; questions wait for the clarifying phase.";
    internal const string ClientReflects = "In this phase the client reflects while the consultants listen.";
    internal const string ClientHasTheFloor = "The client has the floor in this phase; use Next phase to move on.";
    internal const string PhaseMovedOn = "Someone already moved on to the next phase.";

    /// <summary>
    /// Splits a timebox into whole-second phases by <see cref="PhaseShares"/>; Reflecting takes what rounding leaves.
    /// Every phase gets at least a minute, so a very short item runs over rather than having a phase nobody can use.
    /// </summary>
    public static IReadOnlyList<int> PhaseSeconds(int minutes)
    {
        var total = Math.Max(0, minutes) * 60;
        var seconds = new int[PhaseShares.Count];
        var used = 0;
        for (var i = 0; i < seconds.Length - 1; i++)
        {
            seconds[i] = Math.Max(MinPhaseSeconds, total * PhaseShares[i] / 100);
            used += seconds[i];
        }
        seconds[^1] = Math.Max(MinPhaseSeconds, total - used);
        return seconds;
    }

    private static RoomDecision DecideStartConsultation(RoomState s, DateTimeOffset now, long clientId)
    {
        if (IfLive(s) is { } paused) return paused;
        if (s.CurrentItem is not { } item) return No("There is no agenda item in progress.");
        if (item.Kind != AgendaKind.PeerConsultation) return No($"\"{item.Title}\" is not a peer consultation item.");
        if (!s.Participants.ContainsKey(clientId)) return No($"Person {clientId} is not a participant in this session.");
        if (!s.IsPresent(clientId)) return No($"{s.NameOf(clientId)} is not in the room.");
        if (s.Consultation?.ClientId == clientId) return No($"{s.NameOf(clientId)} is already the client of this consultation.");
        if (clientId == s.ActingFacilitatorId) return No("The facilitator keeps time and turns, so cannot also be the client.");

        var events = new List<RoomEvent>(8);
        if (s.Speaker is { } sp) events.Add(new TurnEnded(now, sp.PersonId, TurnEndReason.Replaced));
        if (s.Consultation is { } running) events.Add(new ConsultationEnded(now, running.ItemId, ConsultationEndReason.Replaced));
        var seconds = PhaseSeconds(item.PlannedMinutes + item.ExtraMinutes);
        events.Add(new ConsultationStarted(now, item.Id, clientId, seconds));
        EnterPhase(s, now, item.Id, clientId, ConsultationPhase.Presenting, seconds[0], events);
        return new RoomDecision.Accepted(events);
    }

    private static RoomDecision DecideNextPhase(RoomState s, DateTimeOffset now, int expected)
    {
        if (expected is < (int)ConsultationPhase.Presenting or > (int)ConsultationPhase.Reflecting)
            return No($"There is no phase {expected}; a consultation has phases 1 to 4.");
        if (s.Consultation is not { } c)
        {
            // The other facilitator's press ended it already: say so, rather than "no consultation".
            var endedHere = s.Clients.Count > 0 && s.Clients[^1] is { EndReason: ConsultationEndReason.Finished } last
                && last.ItemId == s.CurrentItemId && expected == (int)ConsultationPhase.Reflecting;
            return No(endedHere ? PhaseMovedOn : "There is no consultation going on.");
        }
        if ((int)c.Phase != expected) return No(PhaseMovedOn);
        if (IfLive(s) is { } paused) return paused;

        var events = new List<RoomEvent>(6);
        // Each phase starts with an open floor, or with the client's turn.
        if (s.Speaker is { } sp) events.Add(new TurnEnded(now, sp.PersonId, TurnEndReason.Finished));
        if (c.Phase == ConsultationPhase.Reflecting)
        {
            events.Add(new ConsultationEnded(now, c.ItemId, ConsultationEndReason.Finished));
            return new RoomDecision.Accepted(events);
        }
        var next = c.Phase + 1;
        EnterPhase(s, now, c.ItemId, c.ClientId, next, c.PhaseSeconds[(int)next - 1], events);
        return new RoomDecision.Accepted(events);
    }

    /// <summary>The events that open a phase; the caller has already ended whatever turn was running.</summary>
    private static void EnterPhase(
        RoomState s, DateTimeOffset now, long itemId, long clientId, ConsultationPhase phase, int seconds, List<RoomEvent> events)
    {
        // Every phase opens as an open queue (a round or the facilitator's picks belong to the phase they were chosen
        // in); progressive mode, being the same queue ordered by airtime, carries over.
        if (s.Round.Active) events.Add(new RoundEnded(now));
        if (s.CurrentMode is TurnMode.Round or TurnMode.FacilitatorPicks) events.Add(new TurnModeChanged(now, itemId, TurnMode.OpenQueue));
        if (phase == ConsultationPhase.Discussing && s.HandOf(clientId) is not null) events.Add(new HandLowered(now, clientId));
        events.Add(new ConsultationPhaseStarted(now, itemId, phase, now.AddSeconds(seconds)));
        // The client's turn has no deadline of its own: the phase deadline is the one clock everyone sees.
        if (phase is ConsultationPhase.Presenting or ConsultationPhase.Reflecting)
            events.Add(new TurnStarted(now, clientId, null, false, null));
    }

    /// <summary>
    /// Why the consultation keeps this person off the floor now, or null. Raising a hand while the client presents is
    /// allowed (raisingHand), as it queues a clarifying question; everything else follows who may speak in the phase.
    /// </summary>
    internal static string? ConsultationBars(RoomState s, long personId, bool raisingHand = false)
    {
        if (s.Consultation is not { } c) return null;
        var isClient = personId == c.ClientId;
        return c.Phase switch
        {
            ConsultationPhase.Presenting when !isClient && !raisingHand => ClientPresents,
            ConsultationPhase.Discussing when isClient => ClientListens,
            ConsultationPhase.Reflecting when !isClient => ClientReflects,
            _ => null,
        };
    }

    /// <summary>True while only the client may hold the floor, so nobody else is picked or given it.</summary>
    private static bool ClientOnlyPhase(RoomState s) =>
        s.Consultation is { Phase: ConsultationPhase.Presenting or ConsultationPhase.Reflecting };
}
