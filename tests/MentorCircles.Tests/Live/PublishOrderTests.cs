using MentorCircles.Core.Live;

namespace MentorCircles.Tests.Live;

/// <summary>The order a room's pages are told of a change in: the pages of whoever sent it come first, the rest as they were.</summary>
public sealed class PublishOrderTests
{
    private static (string Page, long? Person)[] Pages(params (string, long?)[] pages) => pages;

    private static string Order((string Page, long? Person)[] pages, long? actor) =>
        string.Join(" ", RoomHub.ActorFirst(pages, p => p.Person, actor).Select(p => p.Page));

    [Fact]
    public void ActorFirst_MovesTheSendersPagesToTheFront_KeepingEveryoneElsesOrder()
    {
        var pages = Pages(("fac-tab1", 1), ("ann", 2), ("fac-tab2", 1), ("bob", 3), ("anon", null), ("cy", 4));
        Assert.Equal("fac-tab1 fac-tab2 ann bob anon cy", Order(pages, actor: 1));
        var later = Pages(("ann", 2), ("fac-tab1", 1), ("bob", 3), ("anon", null), ("fac-tab2", 1), ("cy", 4));
        Assert.Equal("fac-tab1 fac-tab2 ann bob anon cy", Order(later, actor: 1));
    }

    [Theory]
    [InlineData(null)] // a change nobody sent (a catch-up from another node)
    [InlineData(9L)]   // a sender with no page on this node
    public void ActorFirst_KeepsTheOrder_WhenNobodySentItOrTheSenderHasNoPageHere(long? actor)
    {
        var pages = Pages(("fac", 1), ("ann", 2), ("bob", 3));
        Assert.Equal("fac ann bob", Order(pages, actor));
    }

    [Fact]
    public void ActorFirst_LeavesOnlyTheSendersPagesOrNoPagesAsTheyAre()
    {
        Assert.Equal("t1 t2", Order(Pages(("t1", 5), ("t2", 5)), actor: 5));
        Assert.Equal("", Order(Pages(), actor: 5));
    }
}
