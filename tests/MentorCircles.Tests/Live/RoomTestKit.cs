using MentorCircles.Core.Live;

namespace MentorCircles.Tests.Live;

/// <summary>
/// A small circle: Fay leads, Cole co-facilitates, Mo mentors, Ann/Ben/Cas are mentees, Dee a peer.
/// Person 99 is not a member. Time is seconds after T0.
/// </summary>
internal sealed class Room
{
    public const long Fay = 1, Cole = 2, Mo = 3, Ann = 4, Ben = 5, Cas = 6, Dee = 7, Stranger = 99;
    public static readonly DateTimeOffset T0 = new(2026, 3, 10, 17, 0, 0, TimeSpan.Zero);

    public static readonly RoomMember[] Members =
    [
        new(Fay, "Fay", RoomRole.Facilitator), new(Cole, "Cole", RoomRole.Facilitator), new(Mo, "Mo", RoomRole.Mentor),
        new(Ann, "Ann", RoomRole.Mentee), new(Ben, "Ben", RoomRole.Mentee), new(Cas, "Cas", RoomRole.Mentee), new(Dee, "Dee", RoomRole.Peer),
    ];

    public static readonly PlannedItem[] Agenda =
    [
        new(10, AgendaKind.CheckInRound, "Check-in", 10),
        new(11, AgendaKind.OpenDiscussion, "Topic: feedback", 30),
        new(12, AgendaKind.Reflection, "Closing round", 10),
    ];

    public RoomState State { get; private set; }
    public RoomState Initial { get; }
    public List<RoomEvent> Events { get; } = [];

    public Room()
    {
        Initial = RoomState.Create(500, Members, Agenda);
        State = Initial;
    }

    public static DateTimeOffset At(double seconds) => T0.AddSeconds(seconds);

    /// <summary>Joins everyone given at T0 (in that order) and starts the session with the first item in open-queue mode.</summary>
    public static Room Started(params long[] people)
    {
        var room = new Room();
        foreach (var p in people.Length == 0 ? [Fay, Cole, Mo, Ann, Ben, Cas, Dee] : people) room.Ok(new Join(p, T0));
        room.Ok(new Start(Fay, T0));
        room.Ok(new SetTurnMode(Fay, T0, TurnMode.OpenQueue));
        return room;
    }

    public IReadOnlyList<RoomEvent> Ok(RoomCommand cmd)
    {
        var decision = RoomEngine.Decide(State, cmd);
        var accepted = Assert.IsType<RoomDecision.Accepted>(decision);
        foreach (var e in accepted.Events) State = RoomEngine.Apply(State, e);
        Events.AddRange(accepted.Events);
        return accepted.Events;
    }

    /// <summary>Asserts the command is refused and that the refusal changes nothing.</summary>
    public string Refused(RoomCommand cmd)
    {
        var before = State;
        var rejected = Assert.IsType<RoomDecision.Rejected>(RoomEngine.Decide(State, cmd));
        Assert.Same(before, State);
        Assert.False(string.IsNullOrWhiteSpace(rejected.Reason));
        return rejected.Reason;
    }

    public long? Speaker => State.Speaker?.PersonId;
    public IEnumerable<long> QueueIds => State.Queue.Select(h => h.PersonId);
}
