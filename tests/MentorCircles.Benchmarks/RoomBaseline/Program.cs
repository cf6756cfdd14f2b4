using RoomBaseline;
using RoomBaseline.Components;

// A minimal Blazor Server app with the live room's fan-out and nothing else: one page per room shows the room's counter
// in data-seq, and the facilitator's button bumps an in-memory counter that is pushed to every circuit in the room.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddSingleton<RoomBus>();

var app = builder.Build();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapGet("/healthz", () => "ok");
app.MapGet("/diagnostics/memory", (bool? compact) => Memory.Read(app.Services.GetRequiredService<RoomBus>().Subscribers, compact == true));
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
app.Run();
