using MentorCircles.Core.Circles;

namespace MentorCircles.Web.Hosting;

/// <summary>Circles and membership: what a coordinator sets up (the circle pages' base services are in UiSetup).</summary>
public static class CirclesSetup
{
    public static IServiceCollection AddCirclesFeature(this IServiceCollection s)
    {
        s.AddSingleton<CircleAdminService>();
        return s;
    }
}
