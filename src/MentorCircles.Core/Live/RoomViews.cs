namespace MentorCircles.Core.Live;

public sealed record QueueEntry(long PersonId, string Name, int Place, string PlaceText, HandKind Kind, bool IsViewer, string Reason);

public sealed record PersonAirtime(long PersonId, string Name, bool Present, TimeSpan Spoken, TimeSpan FairShare)
{
    /// <summary>Spoken time as a share of the fair share (1.0 = exactly fair); 0 when nobody has spoken.</summary>
    public double OfFairShare => FairShare > TimeSpan.Zero ? Spoken / FairShare : 0;
}

public sealed record ItemTime(long ItemId, string Title, ItemStatus Status, TimeSpan Planned, TimeSpan Actual)
{
    public TimeSpan OverPlan => Actual - Planned;
}

public sealed record AirtimeSummary(
    TimeSpan Total, int PeoplePresent, TimeSpan FairShare, IReadOnlyList<PersonAirtime> People,
    IReadOnlyList<long> NotYetSpoken, IReadOnlyList<ItemTime> Items);

/// <summary>What the room shows: the queue as each viewer sees it, deadlines, airtime. Pure reads of the state.</summary>
public static partial class RoomViews
{
    /// <summary>The queue in the order people will get the floor, with "you are 3rd" and why.</summary>
    public static IReadOnlyList<QueueEntry> Queue(RoomState s, long viewerId, DateTimeOffset now)
    {
        var mode = s.CurrentMode;
        var hands = s.Queue.Where(h => h.Kind == HandKind.DirectResponse)
            .Concat(mode == TurnMode.Progressive
                ? s.Queue.Where(h => h.Kind == HandKind.Normal).OrderBy(h => s.SpokenBy(h.PersonId)) // stable: ties keep arrival
                : s.Queue.Where(h => h.Kind == HandKind.Normal))
            .ToList();
        var result = new List<QueueEntry>(hands.Count);
        for (var i = 0; i < hands.Count; i++)
        {
            var h = hands[i];
            var you = h.PersonId == viewerId;
            var place = i + 1;
            var placeText = you ? $"you are {Ordinal(place)}" : Ordinal(place);
            result.Add(new QueueEntry(h.PersonId, s.NameOf(h.PersonId), place, placeText, h.Kind, you, Reason(s, mode, hands, i, you, now)));
        }
        return result;
    }

    private static string Reason(RoomState s, TurnMode mode, List<Hand> hands, int index, bool you, DateTimeOffset now)
    {
        var h = hands[index];
        if (h.Kind == HandKind.DirectResponse)
            return $"A direct response to the current speaker goes first, for up to {RoomEngine.DirectResponseSeconds} s.";
        var waiting = now - h.RaisedAt;
        if (mode == TurnMode.Progressive)
        {
            var spoken = s.SpokenBy(h.PersonId);
            var quieter = hands.Take(index).Count(o => o.Kind == HandKind.Normal && s.SpokenBy(o.PersonId) < spoken);
            var tiedEarlier = hands.Take(index).Count(o => o.Kind == HandKind.Normal && s.SpokenBy(o.PersonId) == spoken);
            var who = you ? "You have" : $"{s.NameOf(h.PersonId)} has";
            var ahead = you ? "ahead of you" : "ahead";
            var parts = new List<string> { $"{who} spoken {Duration(spoken)}" };
            if (quieter > 0) parts.Add($"{People(quieter)} who spoke less {(quieter == 1 ? "is" : "are")} {ahead}");
            if (tiedEarlier > 0) parts.Add($"{People(tiedEarlier)} who spoke as much but raised a hand earlier {(tiedEarlier == 1 ? "is" : "are")} {ahead}");
            if (quieter == 0 && tiedEarlier == 0) parts.Add("nobody waiting has spoken less");
            return string.Join("; ", parts) + ".";
        }
        var earlier = index - hands.Count(o => o.Kind == HandKind.DirectResponse);
        var arrival = earlier == 0 ? "first hand up" : $"{People(earlier)} raised a hand earlier";
        var rule = mode == TurnMode.FacilitatorPicks ? "the facilitator picks who speaks" : "first come, first served";
        return $"Waiting {Duration(waiting)}; {arrival}; {rule}.";
    }

    /// <summary>
    /// When the current agenda item's timebox runs out: start + plan + extensions + time spent in earlier pauses. While
    /// paused it stands still (the pause's length is added on resume), so deadline − pause start is the time left,
    /// whatever else happens in the room meanwhile.
    /// </summary>
    public static DateTimeOffset? ItemDeadline(RoomState s)
    {
        if (s.CurrentItem is not { StartedAt: { } started } item) return null;
        return started + TimeSpan.FromMinutes(item.PlannedMinutes + item.ExtraMinutes) + item.PausedTime;
    }

    /// <summary>Speaking time per person against a fair share (total / people present), who has not spoken, time per item.</summary>
    public static AirtimeSummary Airtime(RoomState s, DateTimeOffset now)
    {
        var spoken = new Dictionary<long, TimeSpan>();
        foreach (var (id, t) in s.SpokenTotals) spoken[id] = t;
        if (s.Speaker is { SegmentStart: { } from } sp && now > from)
            spoken[sp.PersonId] = spoken.GetValueOrDefault(sp.PersonId) + (now - from);

        var total = spoken.Values.Aggregate(TimeSpan.Zero, (a, b) => a + b);
        var present = s.Participants.Values.Count(p => p.Present);
        var fair = present > 0 ? total / present : TimeSpan.Zero;
        var people = s.Participants.Values
            .Where(p => p.Present || spoken.ContainsKey(p.PersonId))
            .Select(p => new PersonAirtime(p.PersonId, p.Name, p.Present, spoken.GetValueOrDefault(p.PersonId), fair))
            .OrderByDescending(p => p.Spoken).ThenBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        var notYet = s.Participants.Values
            .Where(p => p.Present && !spoken.ContainsKey(p.PersonId))
            .OrderBy(p => p.JoinOrder).Select(p => p.PersonId).ToList();
        return new AirtimeSummary(total, present, fair, people, notYet, [.. s.Agenda.Select(i => ItemTime(s, i, now))]);
    }

    /// <summary>
    /// One agenda item's time against its plan: planned minutes with extensions, and the time it has run (up to
    /// <paramref name="now"/> while active, pauses left out). The agenda shows this on every page, without the rest of
    /// <see cref="Airtime"/>.
    /// </summary>
    public static ItemTime ItemTime(RoomState s, AgendaItem i, DateTimeOffset now) =>
        new(i.Id, i.Title, i.Status, TimeSpan.FromMinutes(i.PlannedMinutes + i.ExtraMinutes),
            i.StartedAt is { } st ? (i.EndedAt ?? now) - st - i.PausedTime - (i.Status == ItemStatus.Active && s.PausedAt is { } p ? now - p : TimeSpan.Zero)
                : TimeSpan.Zero);

    public static string Ordinal(int n)
    {
        var suffix = (n % 100) is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
        return $"{n}{suffix}";
    }

    /// <summary>"1 min 10 s", "45 s", "0 s".</summary>
    public static string Duration(TimeSpan t)
    {
        var seconds = (long)Math.Max(0, Math.Round(t.TotalSeconds));
        var (min, sec) = (seconds / 60, seconds % 60);
        return min == 0 ? $"{sec} s" : sec == 0 ? $"{min} min" : $"{min} min {sec} s";
    }

    private static string People(int n) => n == 1 ? "1 person" : $"{n} people";
}
