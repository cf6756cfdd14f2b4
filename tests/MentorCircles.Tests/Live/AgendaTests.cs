using MentorCircles.Core.Live;
using static MentorCircles.Tests.Live.Room;

namespace MentorCircles.Tests.Live;

public class AgendaTests
{
    [Fact]
    public void AdvanceItem_EndsTheTurnAndClearsHands_AndStartsTheNextItemInItsMode()
    {
        var room = Started();
        room.Ok(new GiveFloor(Fay, At(1), Ann));
        room.Ok(new RaiseHand(Ben, At(2)));
        room.Ok(new AdvanceItem(Fay, At(600), 10));
        Assert.Equal(11, room.State.CurrentItemId);
        Assert.Equal(TurnMode.OpenQueue, room.State.CurrentMode);
        Assert.Null(room.Speaker);
        Assert.Empty(room.State.Queue);
        var done = room.State.FindItem(10)!;
        Assert.Equal(ItemStatus.Done, done.Status);
        Assert.Equal(At(600), done.EndedAt);
    }

    [Fact]
    public void AdvanceItem_WithAStaleExpectedItem_IsRefused()
    {
        var room = Started();
        room.Ok(new AdvanceItem(Fay, At(1), 10));
        Assert.Equal("Someone already moved on to the next agenda item.", room.Refused(new AdvanceItem(Fay, At(1), 10)));
    }

    [Fact]
    public void AdvanceItem_PastTheLastItem_LeavesNoCurrentItem_ThenIsRefused()
    {
        var room = Started();
        room.Ok(new AdvanceItem(Fay, At(1), 10));
        room.Ok(new AdvanceItem(Fay, At(2), 11));
        room.Ok(new AdvanceItem(Fay, At(3), 12));
        Assert.Null(room.State.CurrentItemId);
        Assert.Equal("There are no more agenda items.", room.Refused(new AdvanceItem(Fay, At(4), null)));
        Assert.Equal("There is no agenda item in progress.", room.Refused(new SetTurnMode(Fay, At(4), TurnMode.Progressive)));
    }

    [Theory]
    [InlineData("skip")]
    [InlineData("extend")]
    [InlineData("move")]
    public void ItemCommands_WithAnUnknownItemId_AreRefused(string what)
    {
        var room = Started();
        RoomCommand cmd = what switch
        {
            "skip" => new SkipItem(Fay, At(1), 42),
            "extend" => new ExtendItem(Fay, At(1), 42, 5),
            _ => new MoveItem(Fay, At(1), 42, 0),
        };
        Assert.Equal("There is no agenda item 42.", room.Refused(cmd));
    }

    [Fact]
    public void SkipItem_SkipsAnUpcomingItem_SoAdvancingJumpsOverIt()
    {
        var room = Started();
        room.Ok(new SkipItem(Fay, At(1), 11));
        room.Ok(new AdvanceItem(Fay, At(2), 10));
        Assert.Equal(12, room.State.CurrentItemId);
        Assert.Equal(ItemStatus.Skipped, room.State.FindItem(11)!.Status);
        Assert.Equal("Agenda item 11 is already over.", room.Refused(new SkipItem(Fay, At(3), 11)));
    }

    [Fact]
    public void SkipItem_OnTheCurrentItem_MarksItSkipped_AndStartsTheNext()
    {
        var room = Started();
        room.Ok(new SkipItem(Fay, At(5), 10));
        Assert.Equal(ItemStatus.Skipped, room.State.FindItem(10)!.Status);
        Assert.Equal(11, room.State.CurrentItemId);
    }

    [Fact]
    public void ExtendItem_MovesTheItemDeadline()
    {
        var room = Started();
        room.Ok(new ExtendItem(Fay, At(1), 10, 5));
        Assert.Equal(T0.AddMinutes(15), RoomViews.ItemDeadline(room.State));
        Assert.Equal("An agenda item can be extended by 1 to 120 minutes.", room.Refused(new ExtendItem(Fay, At(1), 10, 0)));
    }

    [Fact]
    public void AddItem_InsertsAnItemWithAFreshId_AndMoveItemReordersUpcomingItems()
    {
        var room = Started();
        var added = room.Ok(new AddItem(Fay, At(1), AgendaKind.Break, "Stretch", 5, null, 1)).OfType<ItemAdded>().Single();
        Assert.Equal(13, added.ItemId);
        Assert.Equal([10, 13, 11, 12], room.State.Agenda.Select(i => i.Id));

        room.Ok(new MoveItem(Fay, At(2), 12, 1));
        Assert.Equal([10, 12, 13, 11], room.State.Agenda.Select(i => i.Id));
        Assert.Equal("Only upcoming agenda items can be moved.", room.Refused(new MoveItem(Fay, At(3), 10, 3)));
        Assert.Equal("Position 9 is outside the agenda (0 to 3).", room.Refused(new MoveItem(Fay, At(3), 11, 9)));
        Assert.Equal("An agenda item needs a title of up to 200 characters.", room.Refused(new AddItem(Fay, At(3), AgendaKind.Custom, "  ", 5)));

        room.Ok(new AdvanceItem(Fay, At(4), 10));
        Assert.Equal(12, room.State.CurrentItemId);
    }
}
