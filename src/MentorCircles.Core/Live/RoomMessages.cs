using System.Text.Json.Serialization;

namespace MentorCircles.Core.Live;

// Commands carry who acts and when; the engine never reads a clock.

public abstract record RoomCommand(long ActorId, DateTimeOffset At);

public sealed record Start(long ActorId, DateTimeOffset At) : RoomCommand(ActorId, At);
public sealed record Join(long ActorId, DateTimeOffset At) : RoomCommand(ActorId, At);
public sealed record Leave(long ActorId, DateTimeOffset At) : RoomCommand(ActorId, At);
public sealed record RaiseHand(long ActorId, DateTimeOffset At) : RoomCommand(ActorId, At);
public sealed record LowerHand(long ActorId, DateTimeOffset At) : RoomCommand(ActorId, At);
public sealed record RaiseDirectResponse(long ActorId, DateTimeOffset At) : RoomCommand(ActorId, At);
public sealed record GiveFloor(long ActorId, DateTimeOffset At, long PersonId) : RoomCommand(ActorId, At);
/// <summary>ExpectedCurrentSpeakerId is who the actor saw speaking (null: nobody), so two presses move on once.</summary>
public sealed record NextSpeaker(long ActorId, DateTimeOffset At, long? ExpectedCurrentSpeakerId) : RoomCommand(ActorId, At);
public sealed record Yield(long ActorId, DateTimeOffset At) : RoomCommand(ActorId, At);
public sealed record Pass(long ActorId, DateTimeOffset At) : RoomCommand(ActorId, At);
public sealed record SkipSpeaker(long ActorId, DateTimeOffset At, long ExpectedCurrentSpeakerId) : RoomCommand(ActorId, At);
public sealed record ExtendTurn(long ActorId, DateTimeOffset At, int Minutes = 1) : RoomCommand(ActorId, At);
public sealed record Pause(long ActorId, DateTimeOffset At) : RoomCommand(ActorId, At);
public sealed record Resume(long ActorId, DateTimeOffset At) : RoomCommand(ActorId, At);
public sealed record SetTurnMode(long ActorId, DateTimeOffset At, TurnMode Mode) : RoomCommand(ActorId, At);
public sealed record StartRound(long ActorId, DateTimeOffset At, RoundStrategy Strategy, int TurnSeconds) : RoomCommand(ActorId, At);
public sealed record AdvanceItem(long ActorId, DateTimeOffset At, long? ExpectedCurrentItemId) : RoomCommand(ActorId, At);
public sealed record SkipItem(long ActorId, DateTimeOffset At, long ItemId) : RoomCommand(ActorId, At);
public sealed record ExtendItem(long ActorId, DateTimeOffset At, long ItemId, int Minutes) : RoomCommand(ActorId, At);
/// <summary>Index null appends the item at the end of the agenda.</summary>
public sealed record AddItem(long ActorId, DateTimeOffset At, AgendaKind Kind, string Title, int PlannedMinutes, long? OwnerId = null, int? Index = null)
    : RoomCommand(ActorId, At);
public sealed record MoveItem(long ActorId, DateTimeOffset At, long ItemId, int NewIndex) : RoomCommand(ActorId, At);
public sealed record End(long ActorId, DateTimeOffset At) : RoomCommand(ActorId, At);
/// <summary>Starts a peer consultation in the current (peer consultation) item with ClientId as the client.</summary>
public sealed record StartConsultation(long ActorId, DateTimeOffset At, long ClientId) : RoomCommand(ActorId, At);
/// <summary>
/// ExpectedPhase is the phase the actor saw, as (int)ConsultationPhase (1 to 4), so two presses move on once.
/// After Reflecting it ends the consultation.
/// </summary>
public sealed record NextPhase(long ActorId, DateTimeOffset At, int ExpectedPhase) : RoomCommand(ActorId, At);

public abstract record RoundStrategy;
/// <summary>A shuffled order; the seed only matters when deciding, the event carries the order.</summary>
public sealed record RandomOrder(int Seed) : RoundStrategy;
/// <summary>Join order, starting with the person after whoever started the previous round.</summary>
public sealed record AfterLastStarter : RoundStrategy;

public abstract record RoomDecision
{
    public sealed record Accepted(IReadOnlyList<RoomEvent> Events) : RoomDecision;
    public sealed record Rejected(string Reason) : RoomDecision;
}

[JsonConverter(typeof(JsonStringEnumConverter<TurnEndReason>))]
public enum TurnEndReason { Finished, Yielded, Passed, Skipped, Left, Replaced, ItemEnded, SessionEnded }

/// <summary>Replaced: the facilitator started a consultation with another client in the same item.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConsultationEndReason>))]
public enum ConsultationEndReason { Finished, ClientLeft, Replaced, ItemEnded, SessionEnded }

// Events are self-contained facts, stored as JSON: replay never recomputes a choice (such as a round order).

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(SessionStarted), "session-started")]
[JsonDerivedType(typeof(ParticipantJoined), "joined")]
[JsonDerivedType(typeof(ParticipantLeft), "left")]
[JsonDerivedType(typeof(HandRaised), "hand-raised")]
[JsonDerivedType(typeof(HandLowered), "hand-lowered")]
[JsonDerivedType(typeof(TurnStarted), "turn-started")]
[JsonDerivedType(typeof(TurnEnded), "turn-ended")]
[JsonDerivedType(typeof(TurnExtended), "turn-extended")]
[JsonDerivedType(typeof(SessionPaused), "paused")]
[JsonDerivedType(typeof(SessionResumed), "resumed")]
[JsonDerivedType(typeof(TurnModeChanged), "turn-mode-changed")]
[JsonDerivedType(typeof(RoundStarted), "round-started")]
[JsonDerivedType(typeof(RoundPassed), "round-passed")]
[JsonDerivedType(typeof(RoundEnded), "round-ended")]
[JsonDerivedType(typeof(ItemStarted), "item-started")]
[JsonDerivedType(typeof(ItemEnded), "item-ended")]
[JsonDerivedType(typeof(ItemSkipped), "item-skipped")]
[JsonDerivedType(typeof(ItemExtended), "item-extended")]
[JsonDerivedType(typeof(ItemAdded), "item-added")]
[JsonDerivedType(typeof(ItemMoved), "item-moved")]
[JsonDerivedType(typeof(SessionEnded), "session-ended")]
[JsonDerivedType(typeof(ConsultationStarted), "consultation-started")]
[JsonDerivedType(typeof(ConsultationPhaseStarted), "consultation-phase-started")]
[JsonDerivedType(typeof(ConsultationEnded), "consultation-ended")]
public abstract record RoomEvent(DateTimeOffset At);

public sealed record SessionStarted(DateTimeOffset At) : RoomEvent(At);
public sealed record ParticipantJoined(DateTimeOffset At, long PersonId) : RoomEvent(At);
public sealed record ParticipantLeft(DateTimeOffset At, long PersonId) : RoomEvent(At);
public sealed record HandRaised(DateTimeOffset At, long PersonId, HandKind Kind) : RoomEvent(At);
public sealed record HandLowered(DateTimeOffset At, long PersonId) : RoomEvent(At);
/// <summary>RoundPosition is set when this is someone's turn in the round order.</summary>
public sealed record TurnStarted(DateTimeOffset At, long PersonId, DateTimeOffset? Deadline, bool DirectResponse, int? RoundPosition) : RoomEvent(At);
public sealed record TurnEnded(DateTimeOffset At, long PersonId, TurnEndReason Reason) : RoomEvent(At);
public sealed record TurnExtended(DateTimeOffset At, long PersonId, DateTimeOffset NewDeadline) : RoomEvent(At);
public sealed record SessionPaused(DateTimeOffset At) : RoomEvent(At);
public sealed record SessionResumed(DateTimeOffset At) : RoomEvent(At);
public sealed record TurnModeChanged(DateTimeOffset At, long ItemId, TurnMode Mode) : RoomEvent(At);
public sealed record RoundStarted(DateTimeOffset At, IReadOnlyList<long> Order, int TurnSeconds, string Explanation) : RoomEvent(At);
public sealed record RoundPassed(DateTimeOffset At, long PersonId) : RoomEvent(At);
public sealed record RoundEnded(DateTimeOffset At) : RoomEvent(At);
public sealed record ItemStarted(DateTimeOffset At, long ItemId) : RoomEvent(At);
public sealed record ItemEnded(DateTimeOffset At, long ItemId, bool Skipped) : RoomEvent(At);
public sealed record ItemSkipped(DateTimeOffset At, long ItemId) : RoomEvent(At);
public sealed record ItemExtended(DateTimeOffset At, long ItemId, int Minutes) : RoomEvent(At);
public sealed record ItemAdded(DateTimeOffset At, long ItemId, AgendaKind Kind, string Title, int PlannedMinutes, long? OwnerId, int Index) : RoomEvent(At);
public sealed record ItemMoved(DateTimeOffset At, long ItemId, int NewIndex) : RoomEvent(At);
public sealed record SessionEnded(DateTimeOffset At) : RoomEvent(At);
/// <summary>PhaseSeconds holds each phase's share of the item's timebox, in phase order, fixed when it starts.</summary>
public sealed record ConsultationStarted(DateTimeOffset At, long ItemId, long ClientId, IReadOnlyList<int> PhaseSeconds) : RoomEvent(At);
public sealed record ConsultationPhaseStarted(DateTimeOffset At, long ItemId, ConsultationPhase Phase, DateTimeOffset Deadline) : RoomEvent(At);
public sealed record ConsultationEnded(DateTimeOffset At, long ItemId, ConsultationEndReason Reason) : RoomEvent(At);
