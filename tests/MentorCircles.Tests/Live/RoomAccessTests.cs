using MentorCircles.Core.Live;
using static MentorCircles.Tests.Live.Room;

namespace MentorCircles.Tests.Live;

public class RoomAccessTests
{
    [Fact]
    public void Join_ByNonMember_IsRefused()
    {
        var room = new Room();
        Assert.Equal("You are not a participant in this session.", room.Refused(new Join(Stranger, T0)));
    }

    [Fact]
    public void Commands_FromNonParticipant_AreRefused_EvenInALiveRoom()
    {
        var room = Started();
        Assert.Equal("You are not a participant in this session.", room.Refused(new RaiseHand(Stranger, At(1))));
        Assert.Equal("You are not a participant in this session.", room.Refused(new NextSpeaker(Stranger, At(1), null)));
    }

    [Fact]
    public void Commands_FromMemberNotInTheRoom_AreRefused()
    {
        var room = Started(Fay, Ann);
        Assert.Equal("Join the room first.", room.Refused(new RaiseHand(Ben, At(1))));
    }

    [Fact]
    public void Join_Twice_IsRefused()
    {
        var room = Started(Fay, Ann);
        Assert.Equal("You are already in the room.", room.Refused(new Join(Ann, At(1))));
    }

    [Fact]
    public void Commands_BeforeStart_AreRefused_ButJoiningIsAllowed()
    {
        var room = new Room();
        room.Ok(new Join(Fay, T0));
        room.Ok(new Join(Ann, T0));
        Assert.Equal(RoomStatus.NotStarted, room.State.Status);
        Assert.Equal("The session has not started yet.", room.Refused(new RaiseHand(Ann, At(1))));
        Assert.Equal("Only the facilitator can start the session.", room.Refused(new Start(Ann, At(1))));
    }

    [Fact]
    public void Start_OpensTheFirstAgendaItem_InItsDefaultMode()
    {
        var room = new Room();
        room.Ok(new Join(Fay, T0));
        room.Ok(new Start(Fay, At(5)));
        Assert.Equal(RoomStatus.Live, room.State.Status);
        Assert.Equal(10, room.State.CurrentItemId);
        Assert.Equal(TurnMode.Round, room.State.CurrentMode);
        Assert.Equal(At(5), room.State.CurrentItem!.StartedAt);
        Assert.Equal("The session has already started.", room.Refused(new Start(Fay, At(6))));
    }

    public static TheoryData<RoomCommand, string> FacilitatorCommands => new()
    {
        { new GiveFloor(Ann, At(1), Ben), "Only the facilitator can give the floor." },
        { new NextSpeaker(Ann, At(1), null), "Only the facilitator can move on to the next speaker." },
        { new SkipSpeaker(Ann, At(1), Ben), "Only the facilitator can skip a speaker." },
        { new ExtendTurn(Ann, At(1)), "Only the facilitator can extend a turn." },
        { new Pause(Ann, At(1)), "Only the facilitator can pause the session." },
        { new Resume(Ann, At(1)), "Only the facilitator can resume the session." },
        { new SetTurnMode(Ann, At(1), TurnMode.Progressive), "Only the facilitator can change the turn mode." },
        { new StartRound(Ann, At(1), new AfterLastStarter(), 60), "Only the facilitator can start a round." },
        { new AdvanceItem(Ann, At(1), 10), "Only the facilitator can move the agenda on." },
        { new SkipItem(Ann, At(1), 11), "Only the facilitator can skip an agenda item." },
        { new ExtendItem(Ann, At(1), 10, 5), "Only the facilitator can extend an agenda item." },
        { new AddItem(Ann, At(1), AgendaKind.Custom, "Mine", 5), "Only the facilitator can add an agenda item." },
        { new MoveItem(Ann, At(1), 12, 1), "Only the facilitator can reorder the agenda." },
        { new End(Ann, At(1)), "Only the facilitator can end the session." },
        { new StartConsultation(Ann, At(1), Ben), "Only the facilitator can start a consultation." },
        { new NextPhase(Ann, At(1), 1), "Only the facilitator can move the consultation on." },
    };

    [Theory]
    [MemberData(nameof(FacilitatorCommands))]
    public void FacilitatorCommands_FromAMentee_AreRefused(RoomCommand cmd, string message)
    {
        var room = Started();
        Assert.Equal(message, room.Refused(cmd));
    }

    [Fact]
    public void FacilitatorCommands_FromAnAbsentCoFacilitator_WhileTheLeadIsPresent_AreRefused()
    {
        var room = Started();
        Assert.Equal(Fay, room.State.ActingFacilitatorId);
        Assert.Equal("Only the facilitator can give the floor.", room.Refused(new GiveFloor(Cole, At(1), Ann)));
    }

    [Fact]
    public void EveryCommand_AfterEnd_IsRefused()
    {
        var room = Started();
        room.Ok(new RaiseHand(Ann, At(1)));
        room.Ok(new NextSpeaker(Fay, At(2), null));
        room.Ok(new End(Fay, At(60)));
        Assert.Equal(RoomStatus.Ended, room.State.Status);
        Assert.Null(room.State.Speaker);
        Assert.Null(room.State.CurrentItemId);
        Assert.Equal(ItemStatus.Done, room.State.FindItem(10)!.Status);
        RoomCommand[] after = [new Join(Ben, At(61)), new RaiseHand(Ben, At(61)), new NextSpeaker(Fay, At(61), null), new Start(Fay, At(61)),
            new End(Fay, At(61)), new Leave(Ann, At(61)), new Resume(Fay, At(61)), new Pause(Fay, At(61)), new GiveFloor(Fay, At(61), Ann),
            new AdvanceItem(Fay, At(61), null), new AddItem(Fay, At(61), AgendaKind.Custom, "More", 5),
            new StartConsultation(Fay, At(61), Ann), new NextPhase(Fay, At(61), 1)];
        foreach (var cmd in after) Assert.Equal("The session has ended.", room.Refused(cmd));
    }

    [Fact]
    public void CommandTime_EarlierThanTheRoomClock_IsTreatedAsNow()
    {
        var room = Started();
        room.Ok(new RaiseHand(Ann, At(100)));
        var events = room.Ok(new RaiseHand(Ben, At(90)));
        Assert.Equal(At(100), events[0].At);
        Assert.Equal(At(100), room.State.Clock);
    }
}
