namespace MentorCircles.Core.Live;

// The agenda's rules: moving through items, and closing what an item or the session leaves running.
public static partial class RoomEngine
{
    private static RoomDecision DecideAdvance(RoomState s, DateTimeOffset now, long? expected)
    {
        if (s.CurrentItemId != expected) return No("Someone already moved on to the next agenda item.");
        if (IfLive(s) is { } paused) return paused;
        var next = FirstPending(s);
        if (s.CurrentItemId is null && next is null) return No("There are no more agenda items.");
        var events = CloseItem(s, now, skipped: false);
        if (next is not null) events.Add(new ItemStarted(now, next.Id));
        return new RoomDecision.Accepted(events);
    }

    private static RoomDecision DecideSkipItem(RoomState s, DateTimeOffset now, long itemId)
    {
        if (s.FindItem(itemId) is not { } item) return No($"There is no agenda item {itemId}.");
        if (item.Status is ItemStatus.Done or ItemStatus.Skipped) return No($"Agenda item {itemId} is already over.");
        if (item.Status == ItemStatus.Pending) return Yes(new ItemSkipped(now, itemId));
        if (IfLive(s) is { } paused) return paused;
        var events = CloseItem(s, now, skipped: true);
        if (FirstPending(s) is { } next) events.Add(new ItemStarted(now, next.Id));
        return new RoomDecision.Accepted(events);
    }

    private static RoomDecision DecideExtendItem(RoomState s, DateTimeOffset now, ExtendItem c)
    {
        if (s.FindItem(c.ItemId) is not { } item) return No($"There is no agenda item {c.ItemId}.");
        if (item.Status is ItemStatus.Done or ItemStatus.Skipped) return No($"Agenda item {c.ItemId} is already over.");
        if (c.Minutes is < 1 or > 120) return No("An agenda item can be extended by 1 to 120 minutes.");
        return Yes(new ItemExtended(now, c.ItemId, c.Minutes));
    }

    private static RoomDecision DecideAddItem(RoomState s, DateTimeOffset now, AddItem c)
    {
        var title = c.Title?.Trim() ?? "";
        if (title.Length is 0 or > 200) return No("An agenda item needs a title of up to 200 characters.");
        if (c.PlannedMinutes is < 1 or > 480) return No("An agenda item lasts from 1 minute to 8 hours.");
        if (c.OwnerId is { } owner && !s.Participants.ContainsKey(owner)) return No($"Person {owner} is not a participant in this session.");
        var index = c.Index ?? s.Agenda.Count;
        if (index < 0 || index > s.Agenda.Count) return No($"Position {index} is outside the agenda (0 to {s.Agenda.Count}).");
        var id = 1L;
        foreach (var i in s.Agenda) id = Math.Max(id, i.Id + 1);
        return Yes(new ItemAdded(now, id, c.Kind, title, c.PlannedMinutes, c.OwnerId, index));
    }

    private static RoomDecision DecideMoveItem(RoomState s, DateTimeOffset now, MoveItem c)
    {
        if (s.FindItem(c.ItemId) is not { } item) return No($"There is no agenda item {c.ItemId}.");
        if (item.Status != ItemStatus.Pending) return No("Only upcoming agenda items can be moved.");
        if (c.NewIndex < 0 || c.NewIndex >= s.Agenda.Count) return No($"Position {c.NewIndex} is outside the agenda (0 to {s.Agenda.Count - 1}).");
        if (s.Agenda.IndexOf(item) == c.NewIndex) return No("The item is already there.");
        return Yes(new ItemMoved(now, c.ItemId, c.NewIndex));
    }

    private static List<RoomEvent> EndSession(RoomState s, DateTimeOffset now)
    {
        var events = new List<RoomEvent>(4);
        if (s.Speaker is { } sp) events.Add(new TurnEnded(now, sp.PersonId, TurnEndReason.SessionEnded));
        if (s.Round.Active) events.Add(new RoundEnded(now));
        if (s.Consultation is { } c) events.Add(new ConsultationEnded(now, c.ItemId, ConsultationEndReason.SessionEnded));
        if (s.CurrentItemId is { } id) events.Add(new ItemEnded(now, id, false));
        events.Add(new SessionEnded(now));
        return events;
    }

    private static List<RoomEvent> CloseItem(RoomState s, DateTimeOffset now, bool skipped)
    {
        var events = new List<RoomEvent>(4);
        if (s.Speaker is { } sp) events.Add(new TurnEnded(now, sp.PersonId, TurnEndReason.ItemEnded));
        if (s.Round.Active) events.Add(new RoundEnded(now));
        if (s.Consultation is { } c) events.Add(new ConsultationEnded(now, c.ItemId, ConsultationEndReason.ItemEnded));
        if (s.CurrentItemId is { } id) events.Add(new ItemEnded(now, id, skipped));
        return events;
    }

    private static AgendaItem? FirstPending(RoomState s)
    {
        foreach (var i in s.Agenda)
            if (i.Status == ItemStatus.Pending) return i;
        return null;
    }
}
