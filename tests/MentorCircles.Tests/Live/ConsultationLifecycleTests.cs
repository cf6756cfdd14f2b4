using MentorCircles.Core.Live;
using static MentorCircles.Tests.Live.ConsultationTests;
using static MentorCircles.Tests.Live.Room;

namespace MentorCircles.Tests.Live;

public class ConsultationLifecycleTests
{
    [Fact]
    public void NextPhase_IsRefused_WhenAnotherFacilitatorMovedOnFirst()
    {
        var room = InTroika();
        room.Ok(new StartConsultation(Fay, At(10), Ann));
        var seen = room.State;

        // Two presses made while phase 1 was showing (two devices, or two nodes): the second is decided again
        // against the state the first produced, and changes nothing.
        var first = Assert.IsType<RoomDecision.Accepted>(RoomEngine.Decide(seen, new NextPhase(Fay, At(60), 1)));
        var afterFirst = RoomEngine.Replay(seen, first.Events);
        var second = Assert.IsType<RoomDecision.Rejected>(RoomEngine.Decide(afterFirst, new NextPhase(Fay, At(60), 1)));
        Assert.Equal("Someone already moved on to the next phase.", second.Reason);
        Assert.Equal(ConsultationPhase.Clarifying, afterFirst.Consultation!.Phase);
    }

    [Fact]
    public void NextPhase_IsRefused_WhenAnotherFacilitatorAlreadyEndedTheConsultation()
    {
        var room = InTroika();
        room.Ok(new StartConsultation(Fay, At(10), Ann));
        for (var phase = 1; phase <= 3; phase++) room.Ok(new NextPhase(Fay, At(10 + phase * 10), phase));
        room.Ok(new NextPhase(Fay, At(60), 4));
        Assert.Equal("Someone already moved on to the next phase.", room.Refused(new NextPhase(Fay, At(60), 4)));
        Assert.Single(room.State.Clients);
    }

    [Fact]
    public void NextPhase_IsRefused_FromAConsultant_WithoutAConsultation_OrForAPhaseThatDoesNotExist()
    {
        var room = InTroika();
        Assert.Equal("There is no consultation going on.", room.Refused(new NextPhase(Fay, At(1), 1)));
        room.Ok(new StartConsultation(Fay, At(10), Ann));
        Assert.Equal("Only the facilitator can move the consultation on.", room.Refused(new NextPhase(Ben, At(11), 1)));
        Assert.Equal("There is no phase 5; a consultation has phases 1 to 4.", room.Refused(new NextPhase(Fay, At(11), 5)));
        Assert.Equal("Someone already moved on to the next phase.", room.Refused(new NextPhase(Fay, At(11), 2)));
    }

    [Fact]
    public void Pause_FreezesThePhaseTimer_AndResumeShiftsThePhaseDeadline()
    {
        var room = InTroika();
        room.Ok(new StartConsultation(Fay, At(10), Ann)); // Presenting until 250
        room.Ok(new Pause(Fay, At(100)));
        Assert.Equal(TimeSpan.FromSeconds(150), RoomViews.Consultation(room.State)!.PausedRemaining);
        Assert.Equal("The session is paused; resume it first.", room.Refused(new NextPhase(Fay, At(110), 1)));

        room.Ok(new Resume(Fay, At(400)));
        var view = RoomViews.Consultation(room.State)!;
        Assert.Equal(At(550), view.Deadline);
        Assert.Null(view.PausedRemaining);
        room.Ok(new NextPhase(Fay, At(560), 1));
        Assert.Equal(At(860), room.State.Consultation!.Deadline);
    }

    [Fact]
    public void Leave_ByTheClient_EndsTheConsultation_AndLeavesTheFloorOpen()
    {
        var room = InTroika();
        room.Ok(new StartConsultation(Fay, At(10), Ann));
        room.Ok(new RaiseHand(Ben, At(20)));
        var events = room.Ok(new Leave(Ann, At(30)));
        Assert.Equal([typeof(TurnEnded), typeof(ConsultationEnded), typeof(ParticipantLeft)], events.Select(e => e.GetType()));
        Assert.Equal(ConsultationEndReason.ClientLeft, events.OfType<ConsultationEnded>().Single().Reason);
        Assert.Null(room.State.Consultation);
        Assert.Null(room.Speaker);
        Assert.Equal([Ben], room.QueueIds);

        // The facilitator carries on with another client, and the one who left still counts as having been the client.
        room.Ok(new StartConsultation(Fay, At(40), Cas));
        Assert.Equal([Ann, Cas], room.State.Clients.Select(c => c.PersonId));
    }

    [Fact]
    public void Leave_ByAConsultant_DoesNotDisturbTheConsultation()
    {
        var room = InTroika();
        room.Ok(new StartConsultation(Fay, At(10), Ann));
        room.Ok(new NextPhase(Fay, At(20), 1));
        room.Ok(new RaiseHand(Ben, At(21)));
        room.Ok(new RaiseHand(Cas, At(22)));
        room.Ok(new NextSpeaker(Fay, At(23), null));
        room.Ok(new Leave(Ben, At(30)));
        Assert.Equal(Cas, room.Speaker);
        Assert.Equal(ConsultationPhase.Clarifying, room.State.Consultation!.Phase);
    }

    [Fact]
    public void Leave_ByTheFacilitator_HandsTheConsultationToTheCoFacilitator()
    {
        var room = InTroika();
        room.Ok(new StartConsultation(Fay, At(10), Ann));
        room.Ok(new Leave(Fay, At(20)));
        Assert.Equal(Cole, room.State.ActingFacilitatorId);
        room.Ok(new NextPhase(Cole, At(30), 1));
        room.Ok(new Join(Fay, At(40)));
        Assert.Equal("Only the facilitator can move the consultation on.", room.Refused(new NextPhase(Cole, At(41), 2)));
        room.Ok(new NextPhase(Fay, At(42), 2));
        Assert.Equal(ConsultationPhase.Discussing, room.State.Consultation!.Phase);
    }

    [Theory]
    [InlineData("advance", ConsultationEndReason.ItemEnded)]
    [InlineData("skip", ConsultationEndReason.ItemEnded)]
    [InlineData("end", ConsultationEndReason.SessionEnded)]
    public void MovingOnFromTheItem_OrEndingTheSession_EndsTheConsultation(string how, ConsultationEndReason reason)
    {
        var room = InTroika();
        room.Ok(new StartConsultation(Fay, At(10), Ann));
        room.Ok(new NextPhase(Fay, At(20), 1));
        RoomCommand cmd = how switch
        {
            "advance" => new AdvanceItem(Fay, At(30), Troika),
            "skip" => new SkipItem(Fay, At(30), Troika),
            _ => new End(Fay, At(30)),
        };
        var ended = room.Ok(cmd).OfType<ConsultationEnded>().Single();
        Assert.Equal((Troika, reason), (ended.ItemId, ended.Reason));
        Assert.Null(room.State.Consultation);
        Assert.Equal(reason, room.State.Clients.Single().EndReason);
    }

    [Fact]
    public void SuggestedClient_IsWhoeverHasNotBeenTheClientYet_InArrivalOrder_NeverAFacilitator()
    {
        var room = InTroika(Fay, Cole, Mo, Ben, Ann, Dee);
        var first = RoomViews.SuggestedClient(room.State, [])!;
        Assert.Equal((Mo, "Mo has not been the client yet."), (first.PersonId, first.Explanation));

        var next = RoomViews.SuggestedClient(room.State, [Mo, Ben, Cas])!;
        Assert.Equal((Ann, "Ann has not been the client yet."), (next.PersonId, next.Explanation));
    }

    [Fact]
    public void SuggestedClient_WhenEveryoneHasBeenTheClient_IsWhoeverWasClientLongestAgo_CountingThisSession()
    {
        var room = InTroika(Fay, Ann, Ben, Dee);
        var suggestion = RoomViews.SuggestedClient(room.State, [Ann, Ben, Dee, Ann])!;
        Assert.Equal((Ben, "Ben was client longest ago."), (suggestion.PersonId, suggestion.Explanation));

        room.Ok(new StartConsultation(Fay, At(10), Ben));
        Assert.Equal(Dee, RoomViews.SuggestedClient(room.State, [Ann, Ben, Dee, Ann])!.PersonId);
    }

    [Fact]
    public void SuggestedClient_IsNull_WhenOnlyFacilitatorsArePresent()
    {
        var room = InTroika(Fay, Cole);
        Assert.Null(RoomViews.SuggestedClient(room.State, []));
    }
}
