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
}
