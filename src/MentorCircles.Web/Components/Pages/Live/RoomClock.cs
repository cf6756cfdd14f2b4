using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace MentorCircles.Web.Components.Pages.Live;

/// <summary>
/// One clock of the live room: always the same element, whichever state it shows, so a pause or a new deadline changes
/// only its attributes. wwwroot/js/room.js writes the text: counting down to data-deadline, up from data-since, a frozen
/// countdown (data-remaining-ms, while paused), or fixed words (data-text). Replacing or re-creating elements on every
/// change made each update of the page restyle several times slower (docs/PERFORMANCE.md). role="timer" says what it is
/// without announcing every second; turn changes are announced by the room's live regions. Markup of the component
/// that shows it, not a component of its own (see <see cref="RoomButtons"/> for why).
/// </summary>
internal static class RoomClock
{
    /// <param name="deadline">Count down to this instant.</param>
    /// <param name="since">Count up from this instant (when there is no deadline).</param>
    /// <param name="remaining">Show this much time left, not counting (paused).</param>
    /// <param name="text">Show these words instead of a time.</param>
    public static RenderFragment Render(DateTimeOffset? deadline, DateTimeOffset? since = null, TimeSpan? remaining = null, string? text = null) => b =>
    {
        b.OpenElement(0, "span");
        b.AddAttribute(1, "class", "mc-clock");
        b.AddAttribute(2, "role", "timer");
        b.AddAttribute(3, "data-clock", true);
        b.AddAttribute(4, "data-deadline", deadline is { } d ? RoomPage.Iso(d) : null);
        b.AddAttribute(5, "data-since", deadline is null && since is { } s ? RoomPage.Iso(s) : null);
        b.AddAttribute(6, "data-remaining-ms", deadline is null && since is null && remaining is { } r
            ? ((long)r.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) : null);
        b.AddAttribute(7, "data-text", deadline is null && since is null && remaining is null ? text : null);
        b.CloseElement();
    };
}
