namespace MentorCircles.Core.Live;

/// <summary>Computes a round's order and a sentence that explains it to everyone in the room.</summary>
public static class RoundOrder
{
    /// <summary>leaveOut is someone present who does not take part (the client while consultants discuss).</summary>
    public static (List<long> Order, string Explanation) Compute(RoomState s, RoundStrategy strategy, long? leaveOut = null)
    {
        var present = new List<Participant>();
        foreach (var p in s.Participants.Values)
            if (p.Present && p.PersonId != leaveOut) present.Add(p);
        present.Sort((a, b) => (a.JoinOrder ?? int.MaxValue).CompareTo(b.JoinOrder ?? int.MaxValue));
        var ids = present.ConvertAll(p => p.PersonId);
        if (ids.Count == 0) return (ids, "");

        switch (strategy)
        {
            case RandomOrder r:
                // Fisher–Yates with the given seed; the order is stored in the event, so replay never reshuffles.
                var rng = new Random(r.Seed);
                for (var i = ids.Count - 1; i > 0; i--)
                {
                    var j = rng.Next(i + 1);
                    (ids[i], ids[j]) = (ids[j], ids[i]);
                }
                return (ids, $"Random order (seed {r.Seed}); everyone present takes a turn, and anyone may pass.");
            default:
                if (s.Round.LastStarterId is not { } last)
                    return (ids, $"{s.NameOf(ids[0])} starts, being the first to arrive; then in order of arrival.");
                // Start with whoever arrived after the last starter, wrapping round; works even if they have left.
                var lastOrder = s.Participants[last].JoinOrder ?? -1;
                var start = present.FindIndex(p => (p.JoinOrder ?? int.MaxValue) > lastOrder);
                if (start < 0) start = 0;
                var rotated = ids.Skip(start).Concat(ids.Take(start)).ToList();
                return (rotated, $"{s.NameOf(rotated[0])} starts, as {s.NameOf(last)} started the last round; then in order of arrival.");
        }
    }
}
