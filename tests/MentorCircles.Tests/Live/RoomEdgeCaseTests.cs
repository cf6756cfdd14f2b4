using MentorCircles.Core.Live;
using static MentorCircles.Tests.Live.Room;

namespace MentorCircles.Tests.Live;

/// <summary>The awkward moments of a live circle: everyone passing, people leaving mid-turn, two presses at once.</summary>
public class RoomEdgeCaseTests
{
    [Fact]
    public void Pass_ByEveryoneElseInAdvance_EndsTheRoundWhenTheSpeakerFinishes()
    {
        var room = Started(Fay, Ann, Ben);
        room.Ok(new StartRound(Fay, At(0), new AfterLastStarter(), 60));
        room.Ok(new Pass(Ann, At(1)));
        room.Ok(new Pass(Ben, At(2)));
        var events = room.Ok(new NextSpeaker(Fay, At(30), Fay));
        Assert.Equal([typeof(TurnEnded), typeof(RoundEnded)], events.Select(e => e.GetType()));
        Assert.Null(room.Speaker);
        Assert.Equal("There is no round going on.", room.Refused(new Pass(Fay, At(31))));
    }

    [Fact]
    public void Leave_ByTheLastSpeakerInARound_EndsTheRound()
    {
        var room = Started(Fay, Ann, Ben);
        room.Ok(new StartRound(Fay, At(0), new AfterLastStarter(), 60));
        room.Ok(new NextSpeaker(Fay, At(10), Fay));
        room.Ok(new NextSpeaker(Fay, At(20), Ann));
        var events = room.Ok(new Leave(Ben, At(30)));
        Assert.Contains(events, e => e is RoundEnded);
        Assert.Contains(events, e => e is TurnEnded { PersonId: Ben, Reason: TurnEndReason.Left });
        Assert.False(room.State.Round.Active);
    }

    [Fact]
    public void Join_AfterLeavingBeforeTheirTurn_GetsTheirTurnAtTheEndOfTheRound()
    {
        var room = Started(Fay, Ann, Ben, Cas);
        room.Ok(new StartRound(Fay, At(0), new AfterLastStarter(), 60));
        room.Ok(new Leave(Ann, At(5)));
        room.Ok(new NextSpeaker(Fay, At(10), Fay));
        Assert.Equal(Ben, room.Speaker);
        room.Ok(new Join(Ann, At(15)));
        room.Ok(new NextSpeaker(Fay, At(20), Ben));
        room.Ok(new NextSpeaker(Fay, At(30), Cas));
        Assert.Equal(Ann, room.Speaker);
    }

    [Fact]
    public void Join_AfterHavingTheirTurn_DoesNotGiveASecondTurnInTheRound()
    {
        var room = Started(Fay, Ann, Ben);
        room.Ok(new StartRound(Fay, At(0), new AfterLastStarter(), 60));
        room.Ok(new NextSpeaker(Fay, At(10), Fay));
        room.Ok(new Leave(Ann, At(20)));
        room.Ok(new Join(Ann, At(25)));
        room.Ok(new NextSpeaker(Fay, At(30), Ben));
        Assert.Null(room.Speaker);
        Assert.False(room.State.Round.Active);
    }

    [Fact]
    public void Leave_ByTheSpeakerWithNobodyWaiting_LeavesTheFloorOpen()
    {
        var room = Started(Fay, Ann, Ben);
        room.Ok(new GiveFloor(Fay, At(1), Ann));
        var events = room.Ok(new Leave(Ann, At(20)));
        Assert.Equal([typeof(TurnEnded), typeof(ParticipantLeft)], events.Select(e => e.GetType()));
        Assert.Null(room.Speaker);
        Assert.Equal("Nobody is waiting to speak.", room.Refused(new NextSpeaker(Fay, At(21), null)));
    }

    [Fact]
    public void Leave_ByTheSpeakerWhilePaused_EndsTheirTurn_AndNobodyStartsUntilTheFacilitatorMovesOn()
    {
        var room = Started(Fay, Ann, Ben);
        room.Ok(new RaiseHand(Ann, At(1)));
        room.Ok(new RaiseHand(Ben, At(2)));
        room.Ok(new NextSpeaker(Fay, At(10), null));
        room.Ok(new Pause(Fay, At(40)));
        room.Ok(new Leave(Ann, At(100)));
        Assert.Null(room.Speaker);
        Assert.Equal(TimeSpan.FromSeconds(30), room.State.SpokenBy(Ann));

        room.Ok(new Resume(Fay, At(120)));
        Assert.Null(room.Speaker);
        room.Ok(new NextSpeaker(Fay, At(121), null));
        Assert.Equal(Ben, room.Speaker);
    }

    [Fact]
    public void Yield_ByTheLastPersonWhenTheQueueHasEmptied_LeavesTheFloorOpen()
    {
        var room = Started(Fay, Ann, Ben);
        room.Ok(new RaiseHand(Ann, At(1)));
        room.Ok(new RaiseHand(Ben, At(2)));
        room.Ok(new NextSpeaker(Fay, At(3), null));
        room.Ok(new LowerHand(Ben, At(4)));
        var events = room.Ok(new Yield(Ann, At(10)));
        Assert.IsType<TurnEnded>(Assert.Single(events));
        Assert.Null(room.Speaker);
        Assert.Empty(room.State.Queue);
    }

    [Fact]
    public void Start_ByTheCoFacilitator_WhenTheLeadHasNotArrived_AndTheLeadTakesOverOnArrival()
    {
        var room = new Room();
        room.Ok(new Join(Ann, T0));
        room.Ok(new Join(Cole, T0));
        Assert.Equal(Cole, room.State.ActingFacilitatorId);
        room.Ok(new Start(Cole, At(1)));
        room.Ok(new Join(Fay, At(60)));
        Assert.Equal(Fay, room.State.ActingFacilitatorId);
        Assert.Equal("Only the facilitator can move the agenda on.", room.Refused(new AdvanceItem(Cole, At(61), 10)));
    }

    [Fact]
    public void Leave_ByTheFacilitatorWhilePaused_LetsTheCoFacilitatorResume()
    {
        var room = Started(Fay, Cole, Ann);
        room.Ok(new Pause(Fay, At(10)));
        room.Ok(new Leave(Fay, At(20)));
        room.Ok(new Resume(Cole, At(30)));
        Assert.Equal(RoomStatus.Live, room.State.Status);
    }

    [Fact]
    public void AdvanceItem_IsRefused_WhenAnotherFacilitatorMovedOnFirst()
    {
        var room = Started();
        var seen = room.State;
        var first = Assert.IsType<RoomDecision.Accepted>(RoomEngine.Decide(seen, new AdvanceItem(Fay, At(10), 10)));
        var afterFirst = RoomEngine.Replay(seen, first.Events);
        var second = Assert.IsType<RoomDecision.Rejected>(RoomEngine.Decide(afterFirst, new AdvanceItem(Fay, At(10), 10)));
        Assert.Equal("Someone already moved on to the next agenda item.", second.Reason);
        Assert.Equal(11, afterFirst.CurrentItemId);
        Assert.Equal(ItemStatus.Pending, afterFirst.FindItem(12)!.Status);
    }

    [Fact]
    public void SkipSpeaker_IsRefused_WhenAnotherFacilitatorMovedOnFirst()
    {
        var room = Started();
        room.Ok(new RaiseHand(Ann, At(1)));
        room.Ok(new RaiseHand(Ben, At(2)));
        room.Ok(new RaiseHand(Cas, At(3)));
        room.Ok(new NextSpeaker(Fay, At(4), null));
        var seen = room.State;
        var first = Assert.IsType<RoomDecision.Accepted>(RoomEngine.Decide(seen, new SkipSpeaker(Fay, At(10), Ann)));
        var afterFirst = RoomEngine.Replay(seen, first.Events);
        var second = Assert.IsType<RoomDecision.Rejected>(RoomEngine.Decide(afterFirst, new NextSpeaker(Fay, At(10), Ann)));
        Assert.Equal("Someone already moved on to the next speaker.", second.Reason);
        Assert.Equal(Ben, afterFirst.Speaker!.PersonId);
        Assert.Equal([Cas], afterFirst.Queue.Select(h => h.PersonId));
    }
}
