using MentorCircles.Core.Live;
using MentorCircles.Core.Sessions;

namespace MentorCircles.Web.Hosting;

/// <summary>Sessions and the live room (Core/Sessions, Core/Live, Components/Pages/Sessions, Components/Pages/Live).</summary>
public static class LiveSetup
{
    public static IServiceCollection AddLiveFeature(this IServiceCollection s, IConfiguration config)
    {
        s.AddSingleton<SessionService>();
        s.AddSingleton<SessionNotesService>();
        s.AddSingleton<SessionSummaryService>();
        s.AddSingleton<RoomEventStore>();
        s.AddSingleton<RoomHub>();
        s.AddSingleton(config.GetSection("Live").Get<RoomOptions>() ?? new RoomOptions()); // Live__LeaveGrace, Live__NodeTimeout...
        s.AddSingleton(sp => new RoomPresenceStore(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), Guid.NewGuid())); // one id per process
        s.AddSingleton<RoomService>();
        s.AddHostedService<RoomListener>();
        s.AddHostedService<RoomNodeHeartbeat>();
        return s;
    }

    /// <summary>Keeps this node's LISTEN on the room channel open for the life of the app (RoomHub reconnects it).</summary>
    private sealed class RoomListener(RoomHub hub) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => hub.RunListenerAsync(stoppingToken);
    }

    /// <summary>
    /// Says this node is alive, and walks out of their rooms the people whose only pages were on a node that died
    /// (RoomService.SweepDeadNodesAsync). A node that stops cleanly is swept the same way once its heartbeat is stale,
    /// which leaves time for its pages to reconnect to another node, or to it again after a restart.
    /// </summary>
    private sealed class RoomNodeHeartbeat(RoomPresenceStore presence, RoomService rooms, RoomOptions options, ILogger<RoomNodeHeartbeat> log) : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var timer = new PeriodicTimer(options.NodeHeartbeat);
            do
            {
                try
                {
                    await presence.HeartbeatAsync(stoppingToken);
                    var gone = await rooms.SweepDeadNodesAsync(stoppingToken);
                    if (gone > 0) log.LogInformation("{Count} people whose pages were on a stopped node left their rooms", gone);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    log.LogWarning(ex, "Room node heartbeat failed; trying again in {Interval}", options.NodeHeartbeat);
                }
            } while (await timer.WaitForNextTickAsync(stoppingToken));
        }
    }
}
