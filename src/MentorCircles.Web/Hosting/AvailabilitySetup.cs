using MentorCircles.Core.Scheduling;

namespace MentorCircles.Web.Hosting;

/// <summary>Members' weekly availability and a circle's heatmap (Core/Scheduling, Components/Pages/Availability).</summary>
public static class AvailabilitySetup
{
    public static IServiceCollection AddAvailabilityFeature(this IServiceCollection s)
    {
        s.AddSingleton<AvailabilityService>();
        return s;
    }
}
