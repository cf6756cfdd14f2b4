namespace MentorCircles.Core.Live;

/// <summary>
/// A running consultation as the room shows it. Deadline is when the phase ends while the session runs; while it is
/// paused, PausedRemaining holds the time left (show it frozen) and Deadline is stale. PhaseNumber is what NextPhase
/// expects; NextStep labels the facilitator's button.
/// </summary>
public sealed record ConsultationView(
    long ItemId, long ClientId, string ClientName, ConsultationPhase Phase, int PhaseNumber, int PhaseCount,
    string PhaseTitle, string Instruction, DateTimeOffset Deadline, TimeSpan? PausedRemaining, string NextStep);

/// <summary>Who should be the client next, and a sentence saying why.</summary>
public sealed record ClientSuggestion(long PersonId, string Name, string Explanation);

public static partial class RoomViews
{
    public const int PhaseCount = 4;

    public static ConsultationView? Consultation(RoomState s)
    {
        if (s.Consultation is not { } c) return null;
        var next = c.Phase == ConsultationPhase.Reflecting ? "End the consultation" : $"Move on to: {PhaseTitle(c.Phase + 1)}";
        return new ConsultationView(c.ItemId, c.ClientId, s.NameOf(c.ClientId), c.Phase, (int)c.Phase, PhaseCount,
            PhaseTitle(c.Phase), PhaseInstruction(c.Phase), c.Deadline, c.RemainingWhenPaused, next);
    }

    public static string PhaseTitle(ConsultationPhase phase) => phase switch
    {
        ConsultationPhase.Presenting => "The client presents",
        ConsultationPhase.Clarifying => "Clarifying questions",
        ConsultationPhase.Discussing => "Consultants discuss",
        _ => "The client reflects",
    };

    public static string PhaseInstruction(ConsultationPhase phase) => phase switch
    {
        ConsultationPhase.Presenting => "The client presents their question; consultants listen.",
        ConsultationPhase.Clarifying => "Consultants ask clarifying questions; the client answers.",
        ConsultationPhase.Discussing => "Consultants discuss; the client listens.",
        _ => "The client reflects on what they heard; consultants listen.",
    };

    /// <summary>
    /// The present participant who has been the client least recently, counting earlier sessions (oldest first, as the
    /// service layer passes them) and then this one. Facilitators run the method, so they are not suggested; among
    /// those never the client, the first to arrive. Null when nobody present can be the client.
    /// </summary>
    public static ClientSuggestion? SuggestedClient(RoomState s, IReadOnlyList<long> previousClientsOldestFirst)
    {
        var lastTurn = new Dictionary<long, int>();
        var turn = 0;
        foreach (var id in previousClientsOldestFirst) lastTurn[id] = turn++;
        foreach (var c in s.Clients) lastTurn[c.PersonId] = turn++;

        Participant? best = null;
        var bestTurn = 0;
        foreach (var p in s.Participants.Values)
        {
            if (!p.Present || p.Role == RoomRole.Facilitator || p.PersonId == s.ActingFacilitatorId) continue;
            var t = lastTurn.GetValueOrDefault(p.PersonId, -1);
            if (best is null || t < bestTurn || (t == bestTurn && (p.JoinOrder ?? int.MaxValue) < (best.JoinOrder ?? int.MaxValue)))
                (best, bestTurn) = (p, t);
        }
        if (best is null) return null;
        var why = bestTurn < 0 ? $"{best.Name} has not been the client yet." : $"{best.Name} was client longest ago.";
        return new ClientSuggestion(best.PersonId, best.Name, why);
    }
}
