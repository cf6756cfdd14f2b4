using System.Collections.Concurrent;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Radzen;

namespace MentorCircles.Web.Components.Pages.Live;

/// <summary>
/// The live room's buttons: Radzen's look (the classes and inner markup RadzenButton renders) on a plain &lt;button&gt;
/// of the component that shows it. A RadzenButton is a component of its own, and every component of a circuit keeps
/// two render-tree buffers of at least 32 frames (about 5 KB) for as long as its page is open; a room page is open on
/// every participant's device for the whole session, and a server holds hundreds of them (docs/PERFORMANCE.md, server
/// memory per connection). Pages elsewhere keep RadzenButton.
/// </summary>
internal static class RoomButtons
{
    /// <summary>The class list RadzenButton gives a button of this style, size and variant (worked out once per combination: every room change re-renders every participant's buttons).</summary>
    public static string Css(ButtonStyle style = ButtonStyle.Primary, ButtonSize size = ButtonSize.Medium, Variant variant = Variant.Filled, bool disabled = false) =>
        classes.GetOrAdd((style, size, variant, disabled), static k =>
        {
            var sizeClass = k.Size switch
            {
                ButtonSize.ExtraSmall => "rz-button-xs",
                ButtonSize.Small => "rz-button-sm",
                ButtonSize.Large => "rz-button-lg",
                _ => "rz-button-md",
            };
            var css = $"rz-button {sizeClass} rz-variant-{k.Variant.ToString().ToLowerInvariant()} rz-{k.Style.ToString().ToLowerInvariant()} rz-shade-default";
            return k.Disabled ? css + " rz-state-disabled" : css;
        });

    private static readonly ConcurrentDictionary<(ButtonStyle Style, ButtonSize Size, Variant Variant, bool Disabled), string> classes = new();

    /// <summary>What goes inside the button, as RadzenButton draws it: an optional Material icon, then the words.</summary>
    public static RenderFragment Content(string text, string? icon = null) => b => Build(b, text, icon);

    private static void Build(RenderTreeBuilder b, string text, string? icon)
    {
        b.OpenElement(0, "span");
        b.AddAttribute(1, "class", "rz-button-box");
        if (icon is not null)
        {
            b.OpenElement(2, "i");
            b.AddAttribute(3, "class", "notranslate rz-button-icon-left rzi");
            b.AddAttribute(4, "aria-hidden", "true"); // the icon's name is a ligature, not part of the button's name
            b.AddContent(5, icon);
            b.CloseElement();
        }
        b.OpenElement(6, "span");
        b.AddAttribute(7, "class", "rz-button-text");
        b.AddContent(8, text);
        b.CloseElement();
        b.CloseElement();
    }
}
