namespace MentorCircles.Web.Components.Pages.Live;

/// <summary>
/// What a room panel last rendered from, so its ShouldRender can skip a render that would show the same. The room's
/// collections are immutable, so in a tuple they compare by reference (the same instance is the same content).
/// </summary>
internal struct LastRendered<T> where T : struct, IEquatable<T>
{
    private T shown;
    private bool any;

    /// <summary>True (and remembered) when <paramref name="now"/> differs from what was last rendered.</summary>
    public bool Changed(T now)
    {
        if (any && now.Equals(shown)) return false;
        (shown, any) = (now, true);
        return true;
    }
}
