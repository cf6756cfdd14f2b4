using MentorCircles.Core.Live;
using static MentorCircles.Tests.Live.Room;

namespace MentorCircles.Tests.Live;

public class AirtimeTests
{
    [Fact]
    public void Airtime_ComparesEachPersonWithAFairShare_AndListsWhoHasNotSpoken()
    {
        var room = Started(Fay, Ann, Ben, Cas);
        room.Ok(new GiveFloor(Fay, At(0), Ann));
        room.Ok(new GiveFloor(Fay, At(180), Ben)); // Ann 3 min
        room.Ok(new GiveFloor(Fay, At(240), Ann)); // Ben 1 min; Ann speaking since 240

        var summary = RoomViews.Airtime(room.State, At(300)); // Ann has 4 min by now
        Assert.Equal(TimeSpan.FromMinutes(5), summary.Total);
        Assert.Equal(4, summary.PeoplePresent);
        Assert.Equal(TimeSpan.FromSeconds(75), summary.FairShare);
        var ann = summary.People[0];
        Assert.Equal(Ann, ann.PersonId);
        Assert.Equal(TimeSpan.FromMinutes(4), ann.Spoken);
        Assert.Equal(3.2, ann.OfFairShare, 3);
        Assert.Equal([Fay, Cas], summary.NotYetSpoken);
    }

    [Fact]
    public void Airtime_RecordsWhoSpokeWhenPerItem_AndTimePerItemAgainstPlan()
    {
        var room = Started(Fay, Ann);
        room.Ok(new GiveFloor(Fay, At(60), Ann));
        room.Ok(new AdvanceItem(Fay, At(720), 10)); // 12 minutes against a plan of 10
        room.Ok(new GiveFloor(Fay, At(730), Ann));
        room.Ok(new Yield(Ann, At(760)));

        Assert.Equal(
            [new AirtimeSegment(Ann, 10, At(60), At(720)), new AirtimeSegment(Ann, 11, At(730), At(760))],
            room.State.Airtime);
        var items = RoomViews.Airtime(room.State, At(800)).Items;
        Assert.Equal(TimeSpan.FromMinutes(12), items[0].Actual);
        Assert.Equal(TimeSpan.FromMinutes(2), items[0].OverPlan);
        Assert.Equal(TimeSpan.FromSeconds(80), items[1].Actual);
        Assert.Equal(TimeSpan.Zero, items[2].Actual);
    }

    [Theory]
    [InlineData(1, "1st")]
    [InlineData(2, "2nd")]
    [InlineData(3, "3rd")]
    [InlineData(4, "4th")]
    [InlineData(11, "11th")]
    [InlineData(12, "12th")]
    [InlineData(21, "21st")]
    public void Ordinal_ReadsAsEnglish(int n, string expected) => Assert.Equal(expected, RoomViews.Ordinal(n));
}
