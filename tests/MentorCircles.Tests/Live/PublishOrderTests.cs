using MentorCircles.Core.Live;

namespace MentorCircles.Tests.Live;

/// <summary>The order a room's pages are told of a change in: the pages of whoever sent it come last, the rest as they were.</summary>
public sealed class PublishOrderTests
{
    private static (string Page, long? Person)[] Pages(params (string, long?)[] pages) => pages;

    private static string Order((string Page, long? Person)[] pages, long? actor) =>
        string.Join(" ", RoomHub.ActorLast(pages, p => p.Person, actor).Select(p => p.Page));

    [Fact]
    public void ActorLast_MovesTheSendersPagesToTheEnd_KeepingEveryoneElsesOrder()
    {
        var pages = Pages(("fac-tab1", 1), ("ann", 2), ("fac-tab2", 1), ("bob", 3), ("anon", null), ("cy", 4));
        Assert.Equal("ann bob anon cy fac-tab1 fac-tab2", Order(pages, actor: 1));
    }

    [Theory]
    [InlineData(null)] // a change nobody sent (a catch-up from another node)
    [InlineData(9L)]   // a sender with no page on this node
    public void ActorLast_KeepsTheOrder_WhenNobodySentItOrTheSenderHasNoPageHere(long? actor)
    {
        var pages = Pages(("fac", 1), ("ann", 2), ("bob", 3));
        Assert.Equal("fac ann bob", Order(pages, actor));
    }

    [Fact]
    public void ActorLast_LeavesOnlyTheSendersPagesOrNoPagesAsTheyAre()
    {
        Assert.Equal("t1 t2", Order(Pages(("t1", 5), ("t2", 5)), actor: 5));
        Assert.Equal("", Order(Pages(), actor: 5));
    }
}
