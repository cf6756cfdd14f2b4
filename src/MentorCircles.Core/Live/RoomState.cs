using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace MentorCircles.Core.Live;

// Enums that appear in events are stored by name (older rows with numbers still read): never rename a member.

public enum RoomStatus { NotStarted, Live, Paused, Ended }

public enum RoomRole { Facilitator, Mentor, Mentee, Peer }

[JsonConverter(typeof(JsonStringEnumConverter<AgendaKind>))]
public enum AgendaKind { CheckInRound, ObjectiveRound, OpenDiscussion, PeerConsultation, Reflection, Break, Custom }

public enum ItemStatus { Pending, Active, Done, Skipped }

[JsonConverter(typeof(JsonStringEnumConverter<TurnMode>))]
public enum TurnMode { OpenQueue, Progressive, Round, FacilitatorPicks }

[JsonConverter(typeof(JsonStringEnumConverter<HandKind>))]
public enum HandKind { Normal, DirectResponse }

/// <summary>The phases of a peer consultation, numbered 1 to 4 as NextPhase's ExpectedPhase and the room show them.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConsultationPhase>))]
public enum ConsultationPhase { Presenting = 1, Clarifying = 2, Discussing = 3, Reflecting = 4 }

/// <summary>A circle member as the room knows them; JoinOrder is set on first arrival and kept on return.</summary>
public sealed record Participant(long PersonId, string Name, RoomRole Role, bool Present, int? JoinOrder);

public sealed record AgendaItem(
    long Id, AgendaKind Kind, string Title, int PlannedMinutes, long? OwnerId, ItemStatus Status,
    DateTimeOffset? StartedAt, DateTimeOffset? EndedAt, int ExtraMinutes, TurnMode Mode, TimeSpan PausedTime);

public sealed record Hand(long PersonId, DateTimeOffset RaisedAt, HandKind Kind);

/// <summary>
/// The person holding the floor. SegmentStart is when the current unpaused stretch of speaking began
/// (null while paused); airtime is booked per stretch so a pause never counts as speaking.
/// </summary>
public sealed record Speaker(
    long PersonId, DateTimeOffset StartedAt, DateTimeOffset? Deadline, TimeSpan? RemainingWhenPaused,
    DateTimeOffset? SegmentStart, bool IsDirectResponse);

/// <summary>Position is the index in Order of the last person given their round turn (-1 before the first).</summary>
public sealed record RoundState(
    bool Active, ImmutableList<long> Order, int Position, ImmutableSortedSet<long> Passed, int TurnSeconds,
    long? LastStarterId, string Explanation)
{
    public static readonly RoundState None = new(false, [], -1, [], 0, null, "");
}

/// <summary>Who spoke from when to when, during which agenda item. Never what was said.</summary>
public sealed record AirtimeSegment(long PersonId, long? ItemId, DateTimeOffset From, DateTimeOffset To)
{
    public TimeSpan Duration => To - From;
}

/// <summary>
/// A running peer consultation. Deadline is when the current phase's time runs out; while the session is paused,
/// RemainingWhenPaused holds what was left and Deadline is moved on resume.
/// </summary>
public sealed record ConsultationState(
    long ItemId, long ClientId, ConsultationPhase Phase, ImmutableList<int> PhaseSeconds, DateTimeOffset Deadline, TimeSpan? RemainingWhenPaused);

/// <summary>Someone who was the client in this session, kept for rotation; EndReason is null while theirs runs.</summary>
public sealed record ConsultationClient(long PersonId, long ItemId, DateTimeOffset StartedAt, ConsultationEndReason? EndReason);

public sealed record RoomMember(long PersonId, string Name, RoomRole Role);

public sealed record PlannedItem(long Id, AgendaKind Kind, string Title, int PlannedMinutes, long? OwnerId = null);

public sealed record RoomState
{
    public required long SessionId { get; init; }
    /// <summary>Number of events applied; the store appends event Seq+1 with this as the expected sequence.</summary>
    public long Seq { get; init; }
    public RoomStatus Status { get; init; }
    /// <summary>The latest instant the room has seen; time in the room never runs backwards.</summary>
    public DateTimeOffset Clock { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public DateTimeOffset? PausedAt { get; init; }
    /// <summary>The session's own facilitator: the first facilitator on the roster.</summary>
    public long? LeadFacilitatorId { get; init; }
    public long? ActingFacilitatorId { get; init; }
    public required ImmutableSortedDictionary<long, Participant> Participants { get; init; }
    public int NextJoinOrder { get; init; }
    public required ImmutableList<AgendaItem> Agenda { get; init; }
    public long? CurrentItemId { get; init; }
    public ImmutableList<Hand> Queue { get; init; } = [];
    public Speaker? Speaker { get; init; }
    public RoundState Round { get; init; } = RoundState.None;
    public ImmutableList<AirtimeSegment> Airtime { get; init; } = [];
    /// <summary>Total finished speaking time per person in this session, kept alongside Airtime for the progressive queue.</summary>
    public ImmutableSortedDictionary<long, TimeSpan> SpokenTotals { get; init; } = ImmutableSortedDictionary<long, TimeSpan>.Empty;
    public ConsultationState? Consultation { get; init; }
    /// <summary>This session's consultation clients, oldest first.</summary>
    public ImmutableList<ConsultationClient> Clients { get; init; } = [];

    public static RoomState Create(long sessionId, IEnumerable<RoomMember> members, IEnumerable<PlannedItem> agenda)
    {
        var roster = members.ToList();
        return new RoomState
        {
            SessionId = sessionId,
            Participants = roster.ToImmutableSortedDictionary(m => m.PersonId, m => new Participant(m.PersonId, m.Name, m.Role, false, null)),
            LeadFacilitatorId = roster.FirstOrDefault(m => m.Role == RoomRole.Facilitator)?.PersonId,
            Agenda = agenda.Select(p => new AgendaItem(p.Id, p.Kind, p.Title, p.PlannedMinutes, p.OwnerId, ItemStatus.Pending,
                null, null, 0, DefaultMode(p.Kind), TimeSpan.Zero)).ToImmutableList(),
        };
    }

    /// <summary>Rounds suit the kinds where everyone should speak; consultation is steered by the facilitator.</summary>
    public static TurnMode DefaultMode(AgendaKind kind) => kind switch
    {
        AgendaKind.CheckInRound or AgendaKind.ObjectiveRound or AgendaKind.Reflection => TurnMode.Round,
        AgendaKind.PeerConsultation => TurnMode.FacilitatorPicks,
        _ => TurnMode.OpenQueue,
    };

    public AgendaItem? CurrentItem => CurrentItemId is { } id ? FindItem(id) : null;

    public TurnMode CurrentMode => CurrentItem?.Mode ?? TurnMode.OpenQueue;

    public AgendaItem? FindItem(long id)
    {
        foreach (var item in Agenda)
            if (item.Id == id) return item;
        return null;
    }

    public bool IsPresent(long personId) => Participants.TryGetValue(personId, out var p) && p.Present;

    public TimeSpan SpokenBy(long personId) => SpokenTotals.TryGetValue(personId, out var t) ? t : TimeSpan.Zero;

    public Hand? HandOf(long personId)
    {
        foreach (var h in Queue)
            if (h.PersonId == personId) return h;
        return null;
    }

    public string NameOf(long personId) => Participants.TryGetValue(personId, out var p) ? p.Name : $"person {personId}";
}
