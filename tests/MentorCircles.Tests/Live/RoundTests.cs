using MentorCircles.Core.Live;
using static MentorCircles.Tests.Live.Room;

namespace MentorCircles.Tests.Live;

public class RoundTests
{
    [Fact]
    public void StartRound_WithASeed_GivesTheSameOrderEveryTime_AndStoresItInTheEvent()
    {
        var a = Started(Fay, Ann, Ben, Cas, Dee);
        var b = Started(Fay, Ann, Ben, Cas, Dee);
        var started = a.Ok(new StartRound(Fay, At(1), new RandomOrder(42), 90)).OfType<RoundStarted>().Single();
        b.Ok(new StartRound(Fay, At(1), new RandomOrder(42), 90));
        Assert.Equal(started.Order, b.State.Round.Order);
        Assert.Equal([Fay, Ann, Ben, Cas, Dee], started.Order.Order());
        Assert.Equal("Random order (seed 42); everyone present takes a turn, and anyone may pass.", started.Explanation);
        Assert.Equal(started.Order[0], a.Speaker);
        Assert.Equal(At(91), a.State.Speaker!.Deadline);
        Assert.Equal(TurnMode.Round, a.State.CurrentMode);
    }

    [Fact]
    public void StartRound_AfterLastStarter_BeginsWithTheNextPersonByArrival_AndSaysWhy()
    {
        var room = Started(Fay, Ann, Ben, Cas);
        var first = room.Ok(new StartRound(Fay, At(1), new AfterLastStarter(), 60)).OfType<RoundStarted>().Single();
        Assert.Equal([Fay, Ann, Ben, Cas], first.Order);
        Assert.Equal("Fay starts, being the first to arrive; then in order of arrival.", first.Explanation);
        room.Ok(new SetTurnMode(Fay, At(2), TurnMode.OpenQueue));

        var second = room.Ok(new StartRound(Fay, At(3), new AfterLastStarter(), 60)).OfType<RoundStarted>().Single();
        Assert.Equal([Ann, Ben, Cas, Fay], second.Order);
        Assert.Equal("Ann starts, as Fay started the last round; then in order of arrival.", second.Explanation);
    }

    [Fact]
    public void NextSpeaker_FollowsTheRoundOrder_WithTheTurnTimebox()
    {
        var room = Started(Fay, Ann, Ben);
        room.Ok(new StartRound(Fay, At(0), new AfterLastStarter(), 60));
        room.Ok(new NextSpeaker(Fay, At(50), Fay));
        Assert.Equal(Ann, room.Speaker);
        Assert.Equal(At(110), room.State.Speaker!.Deadline);
        room.Ok(new NextSpeaker(Fay, At(100), Ann));
        Assert.Equal(Ben, room.Speaker);
        var last = room.Ok(new NextSpeaker(Fay, At(160), Ben));
        Assert.IsType<RoundEnded>(last[^1]);
        Assert.False(room.State.Round.Active);
        Assert.Null(room.Speaker);
    }

    [Fact]
    public void Pass_ByEveryone_EndsTheRound()
    {
        var room = Started(Fay, Ann, Ben, Cas);
        room.Ok(new StartRound(Fay, At(0), new AfterLastStarter(), 60));
        room.Ok(new Pass(Fay, At(1)));
        room.Ok(new Pass(Ann, At(2)));
        room.Ok(new Pass(Ben, At(3)));
        Assert.Equal(Cas, room.Speaker);
        var events = room.Ok(new Pass(Cas, At(4)));
        Assert.IsType<RoundEnded>(events[^1]);
        Assert.False(room.State.Round.Active);
        Assert.Null(room.Speaker);
        Assert.Equal([Fay, Ann, Ben, Cas], room.State.Round.Passed);
        Assert.Equal("There is no round going on.", room.Refused(new Pass(Ann, At(5))));
    }

    [Fact]
    public void Pass_BeforeYourTurn_SkipsYouWhenTheRoundReachesYou()
    {
        var room = Started(Fay, Ann, Ben, Cas);
        room.Ok(new StartRound(Fay, At(0), new AfterLastStarter(), 60));
        room.Ok(new Pass(Ben, At(1)));
        Assert.Equal("You have already passed in this round.", room.Refused(new Pass(Ben, At(2))));
        room.Ok(new NextSpeaker(Fay, At(10), Fay));
        room.Ok(new NextSpeaker(Fay, At(20), Ann));
        Assert.Equal(Cas, room.Speaker);
        Assert.Equal("You have already had your turn in this round.", room.Refused(new Pass(Ann, At(21))));
    }

    [Fact]
    public void Join_DuringARound_AddsTheLateJoinerToTheEnd()
    {
        var room = Started(Fay, Ann, Ben);
        room.Ok(new StartRound(Fay, At(0), new AfterLastStarter(), 60));
        room.Ok(new Join(Dee, At(5)));
        Assert.Equal([Fay, Ann, Ben, Dee], room.State.Round.Order);
        room.Ok(new NextSpeaker(Fay, At(10), Fay));
        room.Ok(new NextSpeaker(Fay, At(20), Ann));
        room.Ok(new NextSpeaker(Fay, At(30), Ben));
        Assert.Equal(Dee, room.Speaker);
    }

    [Fact]
    public void Leave_ByTheSpeakerInARound_MovesOnToTheNextPerson()
    {
        var room = Started(Fay, Ann, Ben, Cas);
        room.Ok(new StartRound(Fay, At(0), new AfterLastStarter(), 60));
        room.Ok(new NextSpeaker(Fay, At(10), Fay));
        room.Ok(new Leave(Ann, At(20)));
        Assert.Equal(Ben, room.Speaker);
        Assert.Equal(At(80), room.State.Speaker!.Deadline);
    }

    [Fact]
    public void Leave_BeforeYourTurn_SkipsYouInTheRound()
    {
        var room = Started(Fay, Ann, Ben);
        room.Ok(new StartRound(Fay, At(0), new AfterLastStarter(), 60));
        room.Ok(new Leave(Ann, At(5)));
        room.Ok(new NextSpeaker(Fay, At(10), Fay));
        Assert.Equal(Ben, room.Speaker);
    }

    [Fact]
    public void RaiseHand_DuringARound_IsRefused_WithTheReason()
    {
        var room = Started(Fay, Ann, Ben);
        room.Ok(new StartRound(Fay, At(0), new AfterLastStarter(), 60));
        Assert.Equal("In a round everyone gets a turn: wait for yours, or pass.", room.Refused(new RaiseHand(Ann, At(1))));
        Assert.Equal("A round is already going.", room.Refused(new StartRound(Fay, At(1), new AfterLastStarter(), 60)));
        Assert.Equal("Direct responses are not taken in round mode.", room.Refused(new RaiseDirectResponse(Ann, At(1))));
    }

    [Fact]
    public void SetTurnMode_AwayFromRound_EndsTheRound_ButKeepsTheSpeaker()
    {
        var room = Started(Fay, Ann, Ben);
        room.Ok(new StartRound(Fay, At(0), new AfterLastStarter(), 60));
        room.Ok(new SetTurnMode(Fay, At(5), TurnMode.OpenQueue));
        Assert.False(room.State.Round.Active);
        Assert.Equal(Fay, room.Speaker);
        Assert.Equal("The turn mode is already open queue.", room.Refused(new SetTurnMode(Fay, At(6), TurnMode.OpenQueue)));
    }

    [Fact]
    public void StartRound_WithAnUnreasonableTurnLength_IsRefused()
    {
        var room = Started(Fay, Ann);
        Assert.Equal("A round turn lasts from 10 seconds to 30 minutes.", room.Refused(new StartRound(Fay, At(0), new AfterLastStarter(), 5)));
    }

    [Fact]
    public void SkipSpeaker_InARound_MovesToTheNextPerson()
    {
        var room = Started(Fay, Ann, Ben);
        room.Ok(new StartRound(Fay, At(0), new AfterLastStarter(), 60));
        room.Ok(new NextSpeaker(Fay, At(10), Fay));
        room.Ok(new SkipSpeaker(Fay, At(12), Ann));
        Assert.Equal(Ben, room.Speaker);
        Assert.Contains(room.Events, e => e is TurnEnded { PersonId: Ann, Reason: TurnEndReason.Skipped });
    }
}
