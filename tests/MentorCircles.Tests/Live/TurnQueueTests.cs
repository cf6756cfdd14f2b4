using MentorCircles.Core.Live;
using static MentorCircles.Tests.Live.Room;

namespace MentorCircles.Tests.Live;

public class TurnQueueTests
{
    [Fact]
    public void NextSpeaker_TakesFirstComeFirstServed_InOpenQueue()
    {
        var room = Started();
        room.Ok(new RaiseHand(Ben, At(1)));
        room.Ok(new RaiseHand(Ann, At(2)));
        room.Ok(new RaiseHand(Cas, At(3)));
        room.Ok(new NextSpeaker(Fay, At(4), null));
        Assert.Equal(Ben, room.Speaker);
        Assert.Equal([Ann, Cas], room.QueueIds);
        room.Ok(new NextSpeaker(Fay, At(30), Ben));
        Assert.Equal(Ann, room.Speaker);
        Assert.Null(room.State.Speaker!.Deadline);
    }

    [Fact]
    public void RaiseHand_Twice_IsRefused()
    {
        var room = Started();
        room.Ok(new RaiseHand(Ann, At(1)));
        Assert.Equal("Your hand is already raised.", room.Refused(new RaiseHand(Ann, At(2))));
    }

    [Fact]
    public void RaiseHand_ByTheSpeaker_IsRefused()
    {
        var room = Started();
        room.Ok(new GiveFloor(Fay, At(1), Ann));
        Assert.Equal("You have the floor already.", room.Refused(new RaiseHand(Ann, At(2))));
    }

    [Fact]
    public void LowerHand_RemovesYouFromTheQueue_AndWhenNotRaisedIsRefused()
    {
        var room = Started();
        Assert.Equal("Your hand is not raised.", room.Refused(new LowerHand(Ann, At(1))));
        room.Ok(new RaiseHand(Ann, At(1)));
        room.Ok(new RaiseHand(Ben, At(2)));
        room.Ok(new LowerHand(Ann, At(3)));
        Assert.Equal([Ben], room.QueueIds);
    }

    [Fact]
    public void NextSpeaker_PicksQuietestFirst_InProgressiveMode()
    {
        var room = Started();
        room.Ok(new SetTurnMode(Fay, At(0), TurnMode.Progressive));
        // Ann speaks 120 s, Ben 30 s, Cas nothing yet.
        room.Ok(new GiveFloor(Fay, At(0), Ann));
        room.Ok(new GiveFloor(Fay, At(120), Ben));
        room.Ok(new Yield(Ben, At(150)));
        room.Ok(new RaiseHand(Ann, At(160)));
        room.Ok(new RaiseHand(Ben, At(161)));
        room.Ok(new RaiseHand(Cas, At(162)));

        room.Ok(new NextSpeaker(Fay, At(170), null));
        Assert.Equal(Cas, room.Speaker);
        room.Ok(new NextSpeaker(Fay, At(180), Cas));
        Assert.Equal(Ben, room.Speaker);
        room.Ok(new NextSpeaker(Fay, At(190), Ben));
        Assert.Equal(Ann, room.Speaker);
    }

    [Fact]
    public void NextSpeaker_BreaksTiesByArrival_InProgressiveMode()
    {
        var room = Started();
        room.Ok(new SetTurnMode(Fay, At(0), TurnMode.Progressive));
        room.Ok(new RaiseHand(Dee, At(1)));
        room.Ok(new RaiseHand(Ann, At(2)));
        room.Ok(new NextSpeaker(Fay, At(3), null));
        Assert.Equal(Dee, room.Speaker);
    }

    [Fact]
    public void Queue_TellsEachPersonTheirPlaceAndWhy_InProgressiveMode()
    {
        var room = Started();
        room.Ok(new SetTurnMode(Fay, At(0), TurnMode.Progressive));
        room.Ok(new GiveFloor(Fay, At(0), Ann));
        room.Ok(new GiveFloor(Fay, At(70), Ben));   // Ann 1 min 10 s
        room.Ok(new GiveFloor(Fay, At(100), Mo));   // Ben 30 s
        room.Ok(new RaiseHand(Ann, At(101)));
        room.Ok(new RaiseHand(Ben, At(102)));
        room.Ok(new RaiseHand(Cas, At(103)));

        var view = RoomViews.Queue(room.State, Ann, At(110));
        Assert.Equal([Cas, Ben, Ann], view.Select(e => e.PersonId));
        var ann = view[2];
        Assert.True(ann.IsViewer);
        Assert.Equal(3, ann.Place);
        Assert.Equal("you are 3rd", ann.PlaceText);
        Assert.Equal("You have spoken 1 min 10 s; 2 people who spoke less are ahead of you.", ann.Reason);
        Assert.Equal("1st", view[0].PlaceText);
        Assert.Equal("Cas has spoken 0 s; nobody waiting has spoken less.", view[0].Reason);
    }

    [Fact]
    public void Queue_ExplainsArrivalOrder_InOpenQueue()
    {
        var room = Started();
        room.Ok(new RaiseHand(Ann, At(10)));
        room.Ok(new RaiseHand(Ben, At(20)));
        var view = RoomViews.Queue(room.State, Ben, At(65));
        Assert.Equal("you are 2nd", view[1].PlaceText);
        Assert.Equal("Waiting 45 s; 1 person raised a hand earlier; first come, first served.", view[1].Reason);
    }

    [Fact]
    public void NextSpeaker_TwoFacilitatorsPressingAgainstTheSameState_MovesOnOnce()
    {
        var room = Started();
        room.Ok(new RaiseHand(Ann, At(1)));
        room.Ok(new RaiseHand(Ben, At(2)));
        room.Ok(new RaiseHand(Cas, At(3)));
        room.Ok(new NextSpeaker(Fay, At(4), null));
        var seen = room.State;

        // Two presses of "next", both made while Ann was seen speaking (two devices, or two nodes). The first is
        // appended; the second loses the expected-sequence race and is decided again against the new state.
        var first = RoomEngine.Decide(seen, new NextSpeaker(Fay, At(10), Ann));
        var afterFirst = RoomEngine.Replay(seen, Assert.IsType<RoomDecision.Accepted>(first).Events);
        Assert.Equal(Ben, afterFirst.Speaker!.PersonId);

        var second = RoomEngine.Decide(afterFirst, new NextSpeaker(Fay, At(10), Ann));
        var rejected = Assert.IsType<RoomDecision.Rejected>(second);
        Assert.Equal("Someone already moved on to the next speaker.", rejected.Reason);
        // Ann yielding at the same moment is refused too: one change, not two.
        Assert.Equal("It is not your turn.", Assert.IsType<RoomDecision.Rejected>(RoomEngine.Decide(afterFirst, new Yield(Ann, At(10)))).Reason);
        Assert.Equal(Ben, afterFirst.Speaker.PersonId);
        Assert.Equal([Cas], afterFirst.Queue.Select(h => h.PersonId));
    }

    [Fact]
    public void SkipSpeaker_WithAStaleExpectedSpeaker_IsRefused()
    {
        var room = Started();
        room.Ok(new GiveFloor(Fay, At(1), Ann));
        Assert.Equal("Someone already moved on to the next speaker.", room.Refused(new SkipSpeaker(Fay, At(2), Ben)));
        room.Ok(new SkipSpeaker(Fay, At(2), Ann));
        Assert.Null(room.Speaker);
        Assert.Equal("Nobody is speaking.", room.Refused(new SkipSpeaker(Fay, At(3), Ann)));
    }

    [Fact]
    public void NextSpeaker_WhenTheQueueEmpties_LeavesTheFloorOpen()
    {
        var room = Started();
        room.Ok(new RaiseHand(Ann, At(1)));
        room.Ok(new NextSpeaker(Fay, At(2), null));
        var events = room.Ok(new NextSpeaker(Fay, At(20), Ann));
        var ended = Assert.IsType<TurnEnded>(Assert.Single(events));
        Assert.Equal(TurnEndReason.Finished, ended.Reason);
        Assert.Null(room.Speaker);
        Assert.Empty(room.State.Queue);
        Assert.Equal("Nobody is waiting to speak.", room.Refused(new NextSpeaker(Fay, At(21), null)));
    }

    [Fact]
    public void Yield_ByTheSpeaker_HandsToTheNext_AndByAnyoneElseIsRefused()
    {
        var room = Started();
        room.Ok(new RaiseHand(Ann, At(1)));
        room.Ok(new RaiseHand(Ben, At(2)));
        room.Ok(new NextSpeaker(Fay, At(3), null));
        Assert.Equal("It is not your turn.", room.Refused(new Yield(Ben, At(4))));
        room.Ok(new Yield(Ann, At(5)));
        Assert.Equal(Ben, room.Speaker);
        Assert.Contains(room.Events, e => e is TurnEnded { PersonId: Ann, Reason: TurnEndReason.Yielded });
    }

    [Fact]
    public void DirectResponse_JumpsTheQueue_WithASixtySecondTimebox()
    {
        var room = Started();
        room.Ok(new RaiseHand(Ann, At(1)));
        room.Ok(new RaiseHand(Ben, At(2)));
        room.Ok(new NextSpeaker(Fay, At(3), null)); // Ann speaks
        room.Ok(new RaiseDirectResponse(Cas, At(10)));
        Assert.Equal([Cas, Ben], RoomViews.Queue(room.State, Cas, At(11)).Select(e => e.PersonId));

        room.Ok(new NextSpeaker(Fay, At(40), Ann));
        Assert.Equal(Cas, room.Speaker);
        Assert.True(room.State.Speaker!.IsDirectResponse);
        Assert.Equal(At(100), room.State.Speaker.Deadline);

        room.Ok(new Yield(Cas, At(60)));
        Assert.Equal(Ben, room.Speaker);
        Assert.Null(room.State.Speaker!.Deadline);
    }

    [Fact]
    public void DirectResponse_WhileAnotherIsPending_IsRefused()
    {
        var room = Started();
        room.Ok(new GiveFloor(Fay, At(1), Ann));
        room.Ok(new RaiseDirectResponse(Ben, At(2)));
        Assert.Equal("Someone is already waiting to respond directly; one at a time.", room.Refused(new RaiseDirectResponse(Cas, At(3))));
        room.Ok(new NextSpeaker(Fay, At(4), Ann));
        Assert.Equal("A direct response is being given; one at a time.", room.Refused(new RaiseDirectResponse(Cas, At(5))));
    }

    [Fact]
    public void DirectResponse_WithNobodySpeaking_IsRefused()
    {
        var room = Started();
        Assert.Equal("Nobody is speaking, so there is nothing to respond to.", room.Refused(new RaiseDirectResponse(Ann, At(1))));
    }

    [Fact]
    public void NextSpeaker_DoesNotPickAnyone_InFacilitatorPicksMode()
    {
        var room = Started();
        room.Ok(new SetTurnMode(Fay, At(0), TurnMode.FacilitatorPicks));
        room.Ok(new RaiseHand(Ann, At(1)));
        Assert.Equal("In facilitator-picks mode, give the floor to someone.", room.Refused(new NextSpeaker(Fay, At(2), null)));
        Assert.Equal("Direct responses are not taken in facilitator picks mode.", room.Refused(new RaiseDirectResponse(Ben, At(2))));
        room.Ok(new GiveFloor(Fay, At(3), Ann));
        Assert.Equal(Ann, room.Speaker);
        Assert.Empty(room.State.Queue);
        room.Ok(new Yield(Ann, At(10)));
        Assert.Null(room.Speaker);
    }

    [Fact]
    public void GiveFloor_ToSomeoneAbsent_OrToTheSpeaker_IsRefused()
    {
        var room = Started(Fay, Ann, Ben);
        Assert.Equal("Cas is not in the room.", room.Refused(new GiveFloor(Fay, At(1), Cas)));
        Assert.Equal("Person 99 is not a participant in this session.", room.Refused(new GiveFloor(Fay, At(1), Stranger)));
        room.Ok(new GiveFloor(Fay, At(1), Ann));
        Assert.Equal("Ann already has the floor.", room.Refused(new GiveFloor(Fay, At(2), Ann)));
        room.Ok(new GiveFloor(Fay, At(5), Ben));
        Assert.Contains(room.Events, e => e is TurnEnded { PersonId: Ann, Reason: TurnEndReason.Replaced });
    }

    [Fact]
    public void Leave_ByTheSpeaker_MovesOnToTheNextInQueue()
    {
        var room = Started();
        room.Ok(new RaiseHand(Ann, At(1)));
        room.Ok(new RaiseHand(Ben, At(2)));
        room.Ok(new NextSpeaker(Fay, At(3), null));
        room.Ok(new Leave(Ann, At(20)));
        Assert.Equal(Ben, room.Speaker);
        Assert.False(room.State.Participants[Ann].Present);
        Assert.Equal(TimeSpan.FromSeconds(17), room.State.SpokenBy(Ann));
    }

    [Fact]
    public void Leave_WithAHandUp_TakesTheHandDown()
    {
        var room = Started();
        room.Ok(new RaiseHand(Ann, At(1)));
        room.Ok(new Leave(Ann, At(2)));
        Assert.Empty(room.State.Queue);
    }
}
