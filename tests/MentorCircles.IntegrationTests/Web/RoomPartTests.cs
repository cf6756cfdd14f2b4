#pragma warning disable BL0005 // the part's Send parameter set by the test, as its page would pass it
using MentorCircles.Core.Live;
using MentorCircles.Web.Components.Pages.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace MentorCircles.IntegrationTests.Web;

/// <summary>
/// The room's parts skip Blazor's render at a command handler's yield (the change comes with the room's next state), and
/// at its end too when the handler only sends a command; otherwise they render as any component does after its events.
/// </summary>
public class RoomPartTests
{
    [Fact]
    public async Task A_command_handler_renders_its_part_once_when_it_ends_and_not_while_it_waits()
    {
        var (renderer, part) = await RenderedAsync();
        var reply = new TaskCompletionSource();
        var before = part.Renders;

        var handled = await renderer.Dispatcher.InvokeAsync<Task>(() => EventCallback.Factory.Create(part, () => reply.Task).InvokeAsync());
        Assert.False(handled.IsCompleted);
        Assert.Equal(before, part.Renders); // ComponentBase would have rendered here, with nothing new to show

        reply.SetResult();
        await handled;
        Assert.Equal(before + 1, part.Renders); // for fields the handler changed after its command
    }

    [Fact]
    public async Task A_handler_that_completes_at_once_renders_its_part_at_once()
    {
        var (renderer, part) = await RenderedAsync();
        var before = part.Renders;

        await renderer.Dispatcher.InvokeAsync(() => EventCallback.Factory.Create(part, () => { part.Confirming = true; }).InvokeAsync());

        Assert.Equal(before + 1, part.Renders);
        Assert.True(part.Confirming);
    }

    [Fact]
    public async Task A_handler_that_fails_after_waiting_is_not_rendered_and_its_error_goes_to_the_caller()
    {
        var (renderer, part) = await RenderedAsync();
        var before = part.Renders;

        var handled = await renderer.Dispatcher.InvokeAsync<Task>(() => EventCallback.Factory.Create(part, async () =>
        {
            await Task.Yield();
            throw new InvalidOperationException("the database went away");
        }).InvokeAsync());

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => handled);
        Assert.Equal("the database went away", ex.Message);
        Assert.Equal(before, part.Renders);
    }

    [Fact]
    public async Task A_handler_that_only_sends_a_command_is_not_rendered_at_all_and_the_next_handler_is()
    {
        var (renderer, part) = await RenderedAsync();
        var reply = new TaskCompletionSource();
        RoomCommand? sent = null;
        part.Send = command => { sent = command(DateTimeOffset.UnixEpoch); return reply.Task; };
        var before = part.Renders;

        var handled = await renderer.Dispatcher.InvokeAsync<Task>(() => EventCallback.Factory.Create(part, part.Press(at => new Pause(7, at))).InvokeAsync());
        Assert.False(handled.IsCompleted);
        reply.SetResult();
        await handled;

        Assert.Equal(before, part.Renders); // the room's next state (or the page's refusal) renders it
        Assert.Equal(new Pause(7, DateTimeOffset.UnixEpoch), sent);

        // A handler that does more than send (a field changed after its command) still renders when it ends.
        var secondReply = new TaskCompletionSource();
        part.Send = _ => secondReply.Task;
        var later = await renderer.Dispatcher.InvokeAsync<Task>(() => EventCallback.Factory.Create(part, async () =>
        {
            await part.Send(at => new Resume(7, at));
            part.Confirming = true;
        }).InvokeAsync());
        Assert.False(later.IsCompleted);
        secondReply.SetResult();
        await later;
        Assert.Equal(before + 1, part.Renders);
    }

    private static async Task<(TestRenderer, CountingPart)> RenderedAsync()
    {
        var renderer = new TestRenderer();
        var part = new CountingPart();
        var id = renderer.Attach(part);
        await renderer.Dispatcher.InvokeAsync(() => renderer.RenderAsync(id));
        Assert.Equal(1, part.Renders);
        return (renderer, part);
    }

    private sealed class CountingPart : RoomPart
    {
        public int Renders;
        public bool Confirming;

        public Func<Task> Press(Func<DateTimeOffset, RoomCommand> command) => Command(command);

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            Renders++;
            builder.AddContent(0, Confirming ? "Sure?" : "End");
        }
    }
}
