using MentorCircles.Core.Circles;
using MentorCircles.Core.Programs;
using Radzen;

namespace MentorCircles.Web.Hosting;

/// <summary>Blazor Server with deliberate circuit limits, Radzen, and the feature services pages call.</summary>
public static class UiSetup
{
    public static void AddMentorCirclesUi(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        var blazor = builder.Configuration.GetSection("Blazor");
        s.AddRazorComponents()
            .AddInteractiveServerComponents(o =>
            {
                o.DisconnectedCircuitMaxRetained = blazor.GetValue("DisconnectedCircuitMaxRetained", 200);
                o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(blazor.GetValue("DisconnectedCircuitRetentionMinutes", 3));
                o.JSInteropDefaultCallTimeout = TimeSpan.FromSeconds(blazor.GetValue("JSInteropTimeoutSeconds", 30));
                o.DetailedErrors = builder.Environment.IsDevelopment();
            })
            .AddHubOptions(o =>
            {
                // Big enough for any form the app has; a larger message ends the circuit rather than reaching a service.
                o.MaximumReceiveMessageSize = blazor.GetValue("MaximumReceiveMessageSize", 64 * 1024);
            });
        s.AddRadzenComponents();
        // A browser opens a few HTTP/1.1 connections to load a page (the page, stylesheets, scripts, the circuit's
        // negotiation) and then uses only the circuit's WebSocket; Kestrel's default keeps each idle connection, with
        // its buffers and request state, for 130 s. With a live room open in hundreds of browsers that is tens of KB per
        // participant for nothing (docs/PERFORMANCE.md, server memory), so an idle connection closes after 30 s.
        builder.WebHost.ConfigureKestrel(o =>
            o.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(builder.Configuration.GetValue("Http:KeepAliveSeconds", 30)));

        s.AddSingleton(TimeProvider.System);
        s.AddSingleton<CircleStore>();
        s.AddSingleton<CircleAccess>();
        s.AddSingleton<CircleService>();
        s.AddSingleton<ProgramService>();
        s.AddObjectivesFeature();
        s.AddCirclesFeature();
        s.AddAgreementsFeature();
        s.AddLiveFeature(builder.Configuration);
        s.AddAvailabilityFeature();
        s.AddSchedulingFeature();
    }

    /// <summary>
    /// The pages (Components/Pages/&lt;Feature&gt;/), interactive on the server with WebSocket compression off. A
    /// compressed render batch that holds what one person wrote privately beside what others put on the same page
    /// (the live room's private notes, names, action items) can leak through its length (CRIME/BREACH; ASP.NET Core's
    /// threat-mitigation guidance for interactive server rendering), and every compressed connection keeps zlib state
    /// on the server. The batches here are small, so the network loses little. Without compression ASP.NET Core no
    /// longer sends frame-ancestors itself, so every response says here that no other site may frame the app.
    /// </summary>
    public static void MapMentorCirclesUi(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            context.Response.Headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            return next(context);
        });
        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode(o => o.DisableWebSocketCompression = true);
    }
}
