using MentorCircles.Core.Live;
using static MentorCircles.Tests.Live.Room;

namespace MentorCircles.Tests.Live;

public class ConsultationTests
{
    internal const long Troika = 13;

    /// <summary>A started room whose current item is a 20-minute peer consultation (id 13), begun at T0.</summary>
    internal static Room InTroika(params long[] people)
    {
        var room = Started(people);
        room.Ok(new AddItem(Fay, At(0), AgendaKind.PeerConsultation, "Troika", 20, null, 1));
        room.Ok(new AdvanceItem(Fay, At(0), 10));
        Assert.Equal(Troika, room.State.CurrentItemId);
        return room;
    }

    [Fact]
    public void StartConsultation_GivesTheClientTheFloor_AndSplitsTheTimeboxIntoFourTimedPhases()
    {
        var room = InTroika();
        var events = room.Ok(new StartConsultation(Fay, At(10), Ann));

        var started = Assert.IsType<ConsultationStarted>(events[0]);
        Assert.Equal([240, 300, 420, 240], started.PhaseSeconds);
        var phase = Assert.Single(events.OfType<ConsultationPhaseStarted>());
        Assert.Equal((ConsultationPhase.Presenting, At(250)), (phase.Phase, phase.Deadline));
        Assert.Equal(Ann, room.Speaker);
        Assert.Equal(TurnMode.OpenQueue, room.State.CurrentMode);

        var view = RoomViews.Consultation(room.State)!;
        Assert.Equal((Ann, "Ann", 1, 4), (view.ClientId, view.ClientName, view.PhaseNumber, view.PhaseCount));
        Assert.Equal("The client presents", view.PhaseTitle);
        Assert.Equal("The client presents their question; consultants listen.", view.Instruction);
        Assert.Equal(At(250), view.Deadline);
        Assert.Null(view.PausedRemaining);
        Assert.Equal("Move on to: Clarifying questions", view.NextStep);
    }

    [Fact]
    public void NextPhase_WalksThroughTheFourPhases_EachWithItsOwnDeadline_ThenEndsTheConsultation()
    {
        var room = InTroika();
        room.Ok(new StartConsultation(Fay, At(10), Ann));

        room.Ok(new NextPhase(Fay, At(200), 1));
        Assert.Equal((ConsultationPhase.Clarifying, At(500)), (room.State.Consultation!.Phase, room.State.Consultation.Deadline));
        Assert.Null(room.Speaker);

        room.Ok(new NextPhase(Fay, At(520), 2));
        var discussing = RoomViews.Consultation(room.State)!;
        Assert.Equal((ConsultationPhase.Discussing, At(940)), (discussing.Phase, discussing.Deadline));
        Assert.Equal("Consultants discuss; the client listens.", discussing.Instruction);

        room.Ok(new NextPhase(Fay, At(900), 3));
        var reflecting = RoomViews.Consultation(room.State)!;
        Assert.Equal((ConsultationPhase.Reflecting, At(1140)), (reflecting.Phase, reflecting.Deadline));
        Assert.Equal(Ann, room.Speaker);
        Assert.Equal("End the consultation", reflecting.NextStep);

        var end = room.Ok(new NextPhase(Fay, At(1100), 4));
        Assert.Equal([typeof(TurnEnded), typeof(ConsultationEnded)], end.Select(e => e.GetType()));
        Assert.Null(room.State.Consultation);
        Assert.Null(RoomViews.Consultation(room.State));
        Assert.Equal(new ConsultationClient(Ann, Troika, At(10), ConsultationEndReason.Finished), Assert.Single(room.State.Clients));
        Assert.Equal(TimeSpan.FromSeconds(190 + 200), room.State.SpokenBy(Ann));
    }

    [Fact]
    public void Presenting_KeepsTheFloorForTheClient_ButConsultantsMayQueueAQuestion()
    {
        var room = InTroika();
        room.Ok(new StartConsultation(Fay, At(10), Ann));
        room.Ok(new RaiseHand(Ben, At(20)));

        Assert.Equal("The client has the floor in this phase; use Next phase to move on.", room.Refused(new NextSpeaker(Fay, At(30), Ann)));
        Assert.Equal("In this phase the client presents; questions wait for the clarifying phase.", room.Refused(new GiveFloor(Fay, At(30), Ben)));
        Assert.Equal("In this phase the client presents; questions wait for the clarifying phase.", room.Refused(new RaiseDirectResponse(Cas, At(30))));
        Assert.Equal("The client has the floor in this phase; use Next phase to move on.",
            room.Refused(new StartRound(Fay, At(30), new AfterLastStarter(), 60)));

        // Ending early leaves the floor open rather than handing it to a waiting consultant.
        room.Ok(new Yield(Ann, At(40)));
        Assert.Null(room.Speaker);
        room.Ok(new GiveFloor(Fay, At(45), Ann));
        Assert.Equal(Ann, room.Speaker);

        room.Ok(new NextPhase(Fay, At(60), 1));
        room.Ok(new NextSpeaker(Fay, At(61), null));
        Assert.Equal(Ben, room.Speaker);
    }

    [Fact]
    public void Clarifying_IsAnOpenQueueForEveryone_TheClientAnswersAndMayRespondDirectly()
    {
        var room = InTroika();
        room.Ok(new StartConsultation(Fay, At(10), Ann));
        room.Ok(new NextPhase(Fay, At(60), 1));
        room.Ok(new RaiseHand(Ben, At(61)));
        room.Ok(new RaiseHand(Ann, At(62)));
        room.Ok(new NextSpeaker(Fay, At(63), null));
        Assert.Equal(Ben, room.Speaker);
        room.Ok(new LowerHand(Ann, At(64)));
        room.Ok(new RaiseDirectResponse(Ann, At(70)));
        room.Ok(new NextSpeaker(Fay, At(80), Ben));
        Assert.Equal(Ann, room.Speaker);
        Assert.True(room.State.Speaker!.IsDirectResponse);
    }

    [Fact]
    public void Discussing_TheClientListens_AndCannotRaiseAHandBeGivenTheFloorOrRespond()
    {
        var room = InTroika();
        room.Ok(new StartConsultation(Fay, At(10), Ann));
        room.Ok(new NextPhase(Fay, At(60), 1));
        room.Ok(new RaiseHand(Ann, At(61)));
        room.Ok(new GiveFloor(Fay, At(62), Ben));

        var events = room.Ok(new NextPhase(Fay, At(100), 2));
        Assert.Contains(events, e => e is TurnEnded { PersonId: Ben, Reason: TurnEndReason.Finished });
        Assert.Contains(events, e => e is HandLowered { PersonId: Ann });
        Assert.Null(room.Speaker);
        Assert.Empty(room.State.Queue);

        const string listens = "In this phase the client listens while the consultants discuss.";
        Assert.Equal(listens, room.Refused(new RaiseHand(Ann, At(101))));
        Assert.Equal(listens, room.Refused(new GiveFloor(Fay, At(101), Ann)));
        room.Ok(new GiveFloor(Fay, At(102), Ben));
        Assert.Equal(listens, room.Refused(new RaiseDirectResponse(Ann, At(103))));
        room.Ok(new RaiseHand(Cas, At(104)));
        room.Ok(new NextSpeaker(Fay, At(110), Ben));
        Assert.Equal(Cas, room.Speaker);
    }

    [Fact]
    public void Discussing_ARoundLeavesTheClientOut()
    {
        var room = InTroika(Fay, Ann, Ben, Cas);
        room.Ok(new StartConsultation(Fay, At(10), Ann));
        room.Ok(new NextPhase(Fay, At(60), 1));
        room.Ok(new NextPhase(Fay, At(100), 2));
        var round = room.Ok(new StartRound(Fay, At(101), new AfterLastStarter(), 60)).OfType<RoundStarted>().Single();
        Assert.Equal([Fay, Ben, Cas], round.Order);

        // The next phase closes the round and reopens the queue.
        room.Ok(new NextPhase(Fay, At(150), 3));
        Assert.False(room.State.Round.Active);
        Assert.Equal(TurnMode.OpenQueue, room.State.CurrentMode);
        Assert.Equal(Ann, room.Speaker);
    }

    [Fact]
    public void Reflecting_TheClientHasTheFloor_AndConsultantsListen()
    {
        var room = InTroika();
        room.Ok(new StartConsultation(Fay, At(10), Ann));
        room.Ok(new NextPhase(Fay, At(60), 1));
        room.Ok(new NextPhase(Fay, At(100), 2));
        room.Ok(new RaiseHand(Ben, At(101)));
        room.Ok(new NextPhase(Fay, At(150), 3));

        const string reflects = "In this phase the client reflects while the consultants listen.";
        Assert.Equal(reflects, room.Refused(new RaiseHand(Cas, At(151))));
        Assert.Equal(reflects, room.Refused(new GiveFloor(Fay, At(151), Ben)));
        Assert.Equal("The client has the floor in this phase; use Next phase to move on.", room.Refused(new NextSpeaker(Fay, At(151), Ann)));
        room.Ok(new Yield(Ann, At(160)));
        Assert.Null(room.Speaker);
    }

    [Fact]
    public void StartConsultation_IsRefused_FromAConsultant_AndWithTheFacilitatorAsClient()
    {
        var room = InTroika();
        Assert.Equal("Only the facilitator can start a consultation.", room.Refused(new StartConsultation(Ann, At(10), Ben)));
        Assert.Equal("The facilitator keeps time and turns, so cannot also be the client.", room.Refused(new StartConsultation(Fay, At(10), Fay)));
    }

    [Fact]
    public void StartConsultation_IsRefused_OutsideAPeerConsultationItem_OrWithAClientWhoIsNotThere()
    {
        var room = Started(Fay, Ann, Ben);
        Assert.Equal("\"Check-in\" is not a peer consultation item.", room.Refused(new StartConsultation(Fay, At(1), Ann)));

        room = InTroika(Fay, Ann, Ben);
        Assert.Equal("Cas is not in the room.", room.Refused(new StartConsultation(Fay, At(1), Cas)));
        Assert.Equal("Person 99 is not a participant in this session.", room.Refused(new StartConsultation(Fay, At(1), Stranger)));
        room.Ok(new StartConsultation(Fay, At(2), Ann));
        Assert.Equal("Ann is already the client of this consultation.", room.Refused(new StartConsultation(Fay, At(3), Ann)));
        room.Ok(new Pause(Fay, At(4)));
        Assert.Equal("The session is paused; resume it first.", room.Refused(new StartConsultation(Fay, At(5), Ben)));
    }

    [Fact]
    public void StartConsultation_WithAnotherClient_EndsTheRunningOne_AndStartsAfresh()
    {
        var room = InTroika();
        room.Ok(new StartConsultation(Fay, At(10), Ann));
        room.Ok(new NextPhase(Fay, At(60), 1));
        var events = room.Ok(new StartConsultation(Fay, At(70), Ben));
        Assert.Contains(events, e => e is ConsultationEnded { Reason: ConsultationEndReason.Replaced });
        Assert.Equal((Ben, ConsultationPhase.Presenting, At(310)),
            (room.State.Consultation!.ClientId, room.State.Consultation.Phase, room.State.Consultation.Deadline));
        Assert.Equal(Ben, room.Speaker);
        Assert.Equal([Ann, Ben], room.State.Clients.Select(c => c.PersonId));
    }

    [Fact]
    public void StartConsultation_SplitsTheExtendedTimebox()
    {
        var room = InTroika();
        room.Ok(new ExtendItem(Fay, At(5), Troika, 10));
        var started = room.Ok(new StartConsultation(Fay, At(10), Ann)).OfType<ConsultationStarted>().Single();
        Assert.Equal([360, 450, 630, 360], started.PhaseSeconds);
    }

    [Theory]
    [InlineData(20, new[] { 240, 300, 420, 240 })]
    [InlineData(7, new[] { 84, 105, 147, 84 })]
    [InlineData(4, new[] { 60, 60, 84, 60 })]
    [InlineData(1, new[] { 60, 60, 60, 60 })]
    public void PhaseSeconds_Split20_25_35_20_InWholeSeconds_WithAtLeastAMinuteEach(int minutes, int[] expected) =>
        Assert.Equal(expected, RoomEngine.PhaseSeconds(minutes));
}
