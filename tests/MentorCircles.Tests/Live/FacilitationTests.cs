using MentorCircles.Core.Live;
using static MentorCircles.Tests.Live.Room;

namespace MentorCircles.Tests.Live;

public class FacilitationTests
{
    [Fact]
    public void Leave_ByTheFacilitator_HandsTheRoleToTheCoFacilitator_AndItComesBackOnReturn()
    {
        var room = Started(Fay, Mo, Ann, Cole);
        Assert.Equal(Fay, room.State.ActingFacilitatorId);
        room.Ok(new Leave(Fay, At(10)));
        Assert.Equal(Cole, room.State.ActingFacilitatorId);
        room.Ok(new GiveFloor(Cole, At(11), Ann));
        Assert.Equal("Only the facilitator can give the floor.", room.Refused(new GiveFloor(Mo, At(12), Mo)));

        room.Ok(new Join(Fay, At(20)));
        Assert.Equal(Fay, room.State.ActingFacilitatorId);
        Assert.Equal("Only the facilitator can move on to the next speaker.", room.Refused(new NextSpeaker(Cole, At(21), Ann)));
    }

    [Fact]
    public void Leave_ByEveryFacilitator_HandsTheRoleToTheFirstMentorByArrival()
    {
        var room = Started(Fay, Ann, Mo, Cole);
        room.Ok(new Leave(Cole, At(5)));
        room.Ok(new Leave(Fay, At(10)));
        Assert.Equal(Mo, room.State.ActingFacilitatorId);
        room.Ok(new Leave(Mo, At(15)));
        Assert.Null(room.State.ActingFacilitatorId);
        Assert.Equal("Only the facilitator can give the floor.", room.Refused(new GiveFloor(Ann, At(16), Ann)));
        room.Ok(new Join(Cole, At(20)));
        Assert.Equal(Cole, room.State.ActingFacilitatorId);
    }

    [Fact]
    public void Leave_ByTheFacilitatorWhileSpeaking_EndsTheirTurn_AndTheNewFacilitatorCarriesOn()
    {
        var room = Started(Fay, Cole, Ann, Ben);
        room.Ok(new GiveFloor(Fay, At(1), Fay));
        room.Ok(new RaiseHand(Ann, At(2)));
        room.Ok(new Leave(Fay, At(30)));
        Assert.Equal(Ann, room.Speaker);
        Assert.Equal(Cole, room.State.ActingFacilitatorId);
    }

    [Fact]
    public void Pause_Twice_IsRefused_AndResumeWhenNotPausedIsRefused()
    {
        var room = Started();
        Assert.Equal("The session is not paused.", room.Refused(new Resume(Fay, At(1))));
        room.Ok(new Pause(Fay, At(1)));
        Assert.Equal(RoomStatus.Paused, room.State.Status);
        Assert.Equal("The session is already paused.", room.Refused(new Pause(Fay, At(2))));
        Assert.Equal("The session is paused; resume it first.", room.Refused(new NextSpeaker(Fay, At(2), null)));
        room.Ok(new Resume(Fay, At(3)));
        Assert.Equal(RoomStatus.Live, room.State.Status);
    }

    [Fact]
    public void Resume_ShiftsTheTurnAndItemDeadlines_ByThePausedTime_AndThePauseIsNotAirtime()
    {
        var room = Started(Fay, Ann, Ben);
        room.Ok(new StartRound(Fay, At(0), new AfterLastStarter(), 60));
        room.Ok(new NextSpeaker(Fay, At(10), Fay)); // Ann: deadline 70
        Assert.Equal(T0.AddMinutes(10), RoomViews.ItemDeadline(room.State));

        room.Ok(new Pause(Fay, At(30)));
        Assert.Equal(TimeSpan.FromSeconds(40), room.State.Speaker!.RemainingWhenPaused);
        room.Ok(new Resume(Fay, At(150)));
        Assert.Equal(At(190), room.State.Speaker!.Deadline);
        Assert.Equal(T0.AddMinutes(12), RoomViews.ItemDeadline(room.State));

        room.Ok(new NextSpeaker(Fay, At(160), Ann));
        Assert.Equal(TimeSpan.FromSeconds(30), room.State.SpokenBy(Ann));
    }

    [Fact]
    public void WhilePaused_TheItemDeadlineStandsStill_WhateverElseHappensInTheRoom()
    {
        // The paused clock shows deadline − pause start: a leave or a join while paused must not add time to it.
        var room = Started(Fay, Ann, Ben);
        room.Ok(new Pause(Fay, At(30)));
        var paused = RoomViews.ItemDeadline(room.State);
        Assert.Equal(T0.AddMinutes(10), paused);
        room.Ok(new Leave(Ben, At(50)));
        room.Ok(new Join(Ben, At(90)));
        Assert.Equal(paused, RoomViews.ItemDeadline(room.State));

        room.Ok(new Resume(Fay, At(150)));
        Assert.Equal(T0.AddMinutes(12), RoomViews.ItemDeadline(room.State));
    }

    [Fact]
    public void ExtendTurn_AddsAMinuteToTheDeadline_AndWhenNobodySpeaksIsRefused()
    {
        var room = Started(Fay, Ann);
        Assert.Equal("Nobody is speaking.", room.Refused(new ExtendTurn(Fay, At(0))));
        room.Ok(new GiveFloor(Fay, At(0), Ann));
        Assert.Equal("This turn has no time limit to extend.", room.Refused(new ExtendTurn(Fay, At(1))));
        room.Ok(new StartRound(Fay, At(5), new AfterLastStarter(), 90));
        room.Ok(new ExtendTurn(Fay, At(10)));
        Assert.Equal(At(155), room.State.Speaker!.Deadline);
        Assert.Equal("A turn can be extended by 1 to 10 minutes.", room.Refused(new ExtendTurn(Fay, At(11), 0)));
    }
}
