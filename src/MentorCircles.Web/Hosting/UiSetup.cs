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
}
