using System.Collections.Immutable;

namespace MentorCircles.Core.Live;

public static partial class RoomEngine
{
    /// <summary>Folds one event into the state. Total: an event that was accepted always applies.</summary>
    public static RoomState Apply(RoomState s, RoomEvent e)
    {
        var next = e switch
        {
            SessionStarted x => s with { Status = RoomStatus.Live, StartedAt = x.At },
            ParticipantJoined x => OnJoined(s, x),
            ParticipantLeft x => OnLeft(s, x),
            HandRaised x => s with { Queue = s.Queue.Add(new Hand(x.PersonId, x.At, x.Kind)) },
            HandLowered x => s with { Queue = RemoveHand(s.Queue, x.PersonId) },
            TurnStarted x => OnTurnStarted(s, x),
            TurnEnded x => CloseSegment(s, x.At) with { Speaker = null },
            TurnExtended x => s with { Speaker = s.Speaker! with { Deadline = x.NewDeadline } },
            SessionPaused x => OnPaused(s, x),
            SessionResumed x => OnResumed(s, x),
            TurnModeChanged x => s with { Agenda = UpdateItem(s.Agenda, x.ItemId, i => i with { Mode = x.Mode }) },
            RoundStarted x => s with
            {
                Round = new RoundState(true, x.Order.ToImmutableList(), -1, [], x.TurnSeconds, x.Order[0], x.Explanation),
            },
            RoundPassed x => s with { Round = s.Round with { Passed = s.Round.Passed.Add(x.PersonId) } },
            RoundEnded => s with { Round = s.Round with { Active = false } },
            ItemStarted x => s with
            {
                CurrentItemId = x.ItemId,
                Agenda = UpdateItem(s.Agenda, x.ItemId, i => i with { Status = ItemStatus.Active, StartedAt = x.At }),
            },
            // Hands belong to the topic they were raised for.
            ItemEnded x => s with
            {
                CurrentItemId = null,
                Queue = [],
                Agenda = UpdateItem(s.Agenda, x.ItemId, i => i with { Status = x.Skipped ? ItemStatus.Skipped : ItemStatus.Done, EndedAt = x.At }),
            },
            ItemSkipped x => s with { Agenda = UpdateItem(s.Agenda, x.ItemId, i => i with { Status = ItemStatus.Skipped, EndedAt = x.At }) },
            ItemExtended x => s with { Agenda = UpdateItem(s.Agenda, x.ItemId, i => i with { ExtraMinutes = i.ExtraMinutes + x.Minutes }) },
            ItemAdded x => s with
            {
                Agenda = s.Agenda.Insert(x.Index, new AgendaItem(x.ItemId, x.Kind, x.Title, x.PlannedMinutes, x.OwnerId, ItemStatus.Pending,
                    null, null, 0, RoomState.DefaultMode(x.Kind), TimeSpan.Zero)),
            },
            ItemMoved x => OnMoved(s, x),
            SessionEnded x => s with { Status = RoomStatus.Ended, EndedAt = x.At, PausedAt = null, Queue = [] },
            ConsultationStarted x => s with
            {
                // Provisional until the first ConsultationPhaseStarted, which the engine always sends with it.
                Consultation = new ConsultationState(x.ItemId, x.ClientId, ConsultationPhase.Presenting, [.. x.PhaseSeconds],
                    x.At.AddSeconds(x.PhaseSeconds[0]), null),
                Clients = s.Clients.Add(new ConsultationClient(x.ClientId, x.ItemId, x.At, null)),
            },
            ConsultationPhaseStarted x => s with
            {
                Consultation = s.Consultation! with { Phase = x.Phase, Deadline = x.Deadline, RemainingWhenPaused = null },
            },
            ConsultationEnded x => s with
            {
                Consultation = null,
                Clients = s.Clients.Count == 0 ? s.Clients : s.Clients.SetItem(s.Clients.Count - 1, s.Clients[^1] with { EndReason = x.Reason }),
            },
            _ => throw new ArgumentException($"Unknown room event {e.GetType().Name}.", nameof(e)),
        };
        return next with { Seq = s.Seq + 1, Clock = e.At > s.Clock ? e.At : s.Clock };
    }

    public static RoomState Replay(RoomState initial, IEnumerable<RoomEvent> events)
    {
        var s = initial;
        foreach (var e in events) s = Apply(s, e);
        return s;
    }

    private static RoomState OnJoined(RoomState s, ParticipantJoined x)
    {
        var p = s.Participants[x.PersonId];
        var joinOrder = p.JoinOrder ?? s.NextJoinOrder;
        var participants = s.Participants.SetItem(x.PersonId, p with { Present = true, JoinOrder = joinOrder });
        var round = s.Round;
        // Late joiners are added to the end of a running round.
        if (round.Active && !round.Order.Contains(x.PersonId)) round = round with { Order = round.Order.Add(x.PersonId) };
        return WithActingFacilitator(s with
        {
            Participants = participants,
            NextJoinOrder = p.JoinOrder is null ? s.NextJoinOrder + 1 : s.NextJoinOrder,
            Round = round,
        });
    }

    private static RoomState OnLeft(RoomState s, ParticipantLeft x)
    {
        var p = s.Participants[x.PersonId];
        // Someone who steps out before their round turn loses their place, so on return they join the end of the
        // round (as a late joiner does) rather than finding the round has gone past them.
        var round = s.Round;
        if (round.Active && round.Order.IndexOf(x.PersonId) is var index && index > round.Position)
            round = round with { Order = round.Order.RemoveAt(index) };
        return WithActingFacilitator(s with
        {
            Participants = s.Participants.SetItem(x.PersonId, p with { Present = false }),
            Queue = RemoveHand(s.Queue, x.PersonId),
            Round = round,
        });
    }

    /// <summary>
    /// The lead facilitator when present; otherwise the first present co-facilitator, then the first present mentor,
    /// by join order. Derived from presence, so it hands back automatically when the lead returns.
    /// </summary>
    internal static RoomState WithActingFacilitator(RoomState s)
    {
        long? acting = null;
        if (s.LeadFacilitatorId is { } lead && s.IsPresent(lead)) acting = lead;
        else
        {
            Participant? best = null;
            foreach (var p in s.Participants.Values)
            {
                if (!p.Present || p.Role is not (RoomRole.Facilitator or RoomRole.Mentor)) continue;
                if (best is null || Rank(p).CompareTo(Rank(best)) < 0) best = p;
            }
            acting = best?.PersonId;
        }
        return acting == s.ActingFacilitatorId ? s : s with { ActingFacilitatorId = acting };

        static (int, int) Rank(Participant p) => (p.Role == RoomRole.Facilitator ? 0 : 1, p.JoinOrder ?? int.MaxValue);
    }

    private static RoomState OnTurnStarted(RoomState s, TurnStarted x)
    {
        var live = s.Status != RoomStatus.Paused;
        return s with
        {
            Queue = RemoveHand(s.Queue, x.PersonId),
            Speaker = new Speaker(x.PersonId, x.At, x.Deadline, null, live ? x.At : null, x.DirectResponse),
            Round = x.RoundPosition is { } pos ? s.Round with { Position = pos } : s.Round,
        };
    }

    /// <summary>Books the speaker's current stretch as airtime.</summary>
    private static RoomState CloseSegment(RoomState s, DateTimeOffset at)
    {
        if (s.Speaker is not { SegmentStart: { } from } sp || at <= from) return s;
        var itemId = s.CurrentItemId;
        return s with
        {
            Airtime = s.Airtime.Add(new AirtimeSegment(sp.PersonId, itemId, from, at)),
            SpokenTotals = s.SpokenTotals.SetItem(sp.PersonId, s.SpokenBy(sp.PersonId) + (at - from)),
        };
    }

    private static RoomState OnPaused(RoomState s, SessionPaused x)
    {
        var closed = CloseSegment(s, x.At);
        var speaker = s.Speaker is { } sp
            ? sp with { SegmentStart = null, RemainingWhenPaused = sp.Deadline is { } d ? d - x.At : null }
            : null;
        var consultation = s.Consultation is { } c ? c with { RemainingWhenPaused = c.Deadline - x.At } : null;
        return closed with { Status = RoomStatus.Paused, PausedAt = x.At, Speaker = speaker, Consultation = consultation };
    }

    private static RoomState OnResumed(RoomState s, SessionResumed x)
    {
        var paused = x.At - (s.PausedAt ?? x.At);
        var speaker = s.Speaker is { } sp
            ? sp with
            {
                SegmentStart = x.At,
                Deadline = sp.RemainingWhenPaused is { } left ? x.At + left : sp.Deadline,
                RemainingWhenPaused = null,
            }
            : null;
        var consultation = s.Consultation is { } c
            ? c with { Deadline = c.RemainingWhenPaused is { } rest ? x.At + rest : c.Deadline, RemainingWhenPaused = null }
            : null;
        var agenda = s.CurrentItemId is { } id ? UpdateItem(s.Agenda, id, i => i with { PausedTime = i.PausedTime + paused }) : s.Agenda;
        return s with { Status = RoomStatus.Live, PausedAt = null, Speaker = speaker, Agenda = agenda, Consultation = consultation };
    }

    private static RoomState OnMoved(RoomState s, ItemMoved x)
    {
        var item = s.FindItem(x.ItemId)!;
        return s with { Agenda = s.Agenda.Remove(item).Insert(x.NewIndex, item) };
    }

    private static ImmutableList<Hand> RemoveHand(ImmutableList<Hand> queue, long personId)
    {
        for (var i = 0; i < queue.Count; i++)
            if (queue[i].PersonId == personId) return queue.RemoveAt(i);
        return queue;
    }

    private static ImmutableList<AgendaItem> UpdateItem(ImmutableList<AgendaItem> agenda, long id, Func<AgendaItem, AgendaItem> change)
    {
        for (var i = 0; i < agenda.Count; i++)
            if (agenda[i].Id == id) return agenda.SetItem(i, change(agenda[i]));
        return agenda;
    }
}
