using MentorCircles.Core.Objectives;

namespace MentorCircles.Web.Hosting;

/// <summary>Members' learning objectives and check-ins (Core/Objectives, Components/Pages/Objectives).</summary>
public static class ObjectivesSetup
{
    public static IServiceCollection AddObjectivesFeature(this IServiceCollection s)
    {
        s.AddSingleton<ObjectiveService>();
        return s;
    }
}
