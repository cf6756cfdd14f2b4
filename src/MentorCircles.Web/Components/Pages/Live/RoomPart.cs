using MentorCircles.Core.Live;
using Microsoft.AspNetCore.Components;

namespace MentorCircles.Web.Components.Pages.Live;

/// <summary>
/// A part of the room page with buttons that send room commands (stage, facilitator controls, agenda, consultation).
/// Blazor re-renders the component that handled an event when its handler yields and again when it ends. A command's
/// handler yields at the round trip to PostgreSQL, and what the command changes arrives with the room's next state
/// (<see cref="RoomPage"/> renders the part with it), so the render at the yield has nothing new to show: it is skipped,
/// sparing the facilitator's circuit and browser a render batch per press. A handler made with <see cref="Command"/>
/// sends and does nothing else, so its part is not rendered when it ends either (the room's next state, or the page's
/// refusal, has rendered it by then). Any other handler that completes at once (a local field changed) renders as
/// before, and so does every other handler when it ends, since it may change the part's own fields after its command
/// (a chosen person cleared).
/// </summary>
public abstract class RoomPart : ComponentBase, IHandleEvent
{
    /// <summary>Sends a command as this page's person (<see cref="RoomPage"/>'s SendAsync: a refusal shows on the page).</summary>
    [Parameter, EditorRequired] public Func<Func<DateTimeOffset, RoomCommand>, Task> Send { get; set; } = null!;

    private bool commandOnly;

    /// <summary>A click handler that only sends <paramref name="command"/>, built for the instant it is decided at.</summary>
    protected Func<Task> Command(Func<DateTimeOffset, RoomCommand> command) => () =>
    {
        commandOnly = true;
        return Send(command);
    };

    Task IHandleEvent.HandleEventAsync(EventCallbackWorkItem callback, object? arg)
    {
        commandOnly = false;
        var task = callback.InvokeAsync(arg);
        if (task.IsCompleted)
        {
            StateHasChanged();
            return task;
        }
        return RenderWhenDoneAsync(task, render: !commandOnly);
    }

    // As ComponentBase does it: no render after a handler that failed or was cancelled.
    private async Task RenderWhenDoneAsync(Task handler, bool render)
    {
        try { await handler; }
        catch when (handler.IsCanceled) { return; }
        if (render) StateHasChanged();
    }
}
