using MentorCircles.Core.Conflicts;
using MentorCircles.Core.Scheduling;

namespace MentorCircles.Web.Hosting;

/// <summary>
/// Scheduling follow-up and the coordinators' conflict queue (Core/Scheduling/SessionChanges.cs, Core/Conflicts).
/// Any code that commits a session, availability, RSVP or membership change calls <see cref="SessionChanges"/>.
/// </summary>
public static class SchedulingSetup
{
    public static IServiceCollection AddSchedulingFeature(this IServiceCollection s)
    {
        s.AddSingleton<ConflictStore>();
        s.AddSingleton<ConflictDetectionJob>();
        s.AddSingleton<ConflictService>();
        s.AddSingleton<SessionChanges>();
        s.AddTransient<SessionChangeJob>();
        // One circle's scheduling: find times, series, move/cancel an occurrence, RSVPs (Components/Pages/Scheduling).
        s.AddSingleton<CircleSchedulingService>();

        // Program-wide term scheduling: a Hangfire job with progress, proposals the coordinator publishes (Core/Scheduling/ProgramScheduling*).
        s.AddTransient<ProgramSchedulingJob>();
        s.AddSingleton<ProgramSchedulingService>();
        return s;
    }
}
