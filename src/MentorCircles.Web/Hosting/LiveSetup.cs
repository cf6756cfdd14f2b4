using MentorCircles.Core.Live;
using MentorCircles.Core.Sessions;

namespace MentorCircles.Web.Hosting;

/// <summary>Sessions and the live room (Core/Sessions, Core/Live, Components/Pages/Sessions, Components/Pages/Live).</summary>
public static class LiveSetup
{
    public static IServiceCollection AddLiveFeature(this IServiceCollection s)
    {
        s.AddSingleton<SessionService>();
        s.AddSingleton<SessionNotesService>();
        s.AddSingleton<SessionSummaryService>();
        s.AddSingleton<RoomEventStore>();
        s.AddSingleton<RoomHub>();
        s.AddSingleton(new RoomOptions());
        s.AddSingleton<RoomService>();
        s.AddHostedService<RoomListener>();
        return s;
    }

    /// <summary>Keeps this node's LISTEN on the room channel open for the life of the app (RoomHub reconnects it).</summary>
    private sealed class RoomListener(RoomHub hub) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => hub.RunListenerAsync(stoppingToken);
    }
}
