using System.Runtime;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace MentorCircles.Web.Hosting;

/// <summary>
/// GET /diagnostics/memory, only when Diagnostics:Enabled is true (off by default): the GC heap after a forced full
/// collection, the working set, and the open circuits, for the room-load harness (tests/MentorCircles.Benchmarks).
/// Off in production because each request forces a blocking full GC and nothing guards it.
/// </summary>
public static class DiagnosticsSetup
{
    public const string Path = "/diagnostics/memory";

    public static void AddMentorCirclesDiagnostics(this WebApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue("Diagnostics:Enabled", false)) return;
        builder.Services.AddSingleton<CircuitCount>();
        builder.Services.AddScoped<CircuitHandler, CountingCircuitHandler>();
        // Answered ahead of the whole pipeline (no auth, no routing), so the harness reads it without signing in.
        builder.Services.AddTransient<IStartupFilter, MemoryEndpoint>();
    }

    private sealed class MemoryEndpoint(CircuitCount count) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (ctx, rest) =>
            {
                if (!HttpMethods.IsGet(ctx.Request.Method) || ctx.Request.Path != Path) { await rest(ctx); return; }
                var gcTotal = GC.GetTotalMemory(forceFullCollection: true);
                var info = GC.GetGCMemoryInfo();
                await ctx.Response.WriteAsJsonAsync(new
                {
                    gcTotalBytes = gcTotal,
                    gcHeapSizeBytes = info.HeapSizeBytes,
                    gcCommittedBytes = info.TotalCommittedBytes,
                    workingSetBytes = Environment.WorkingSet,
                    serverGc = GCSettings.IsServerGC,
                    circuits = count.Circuits,
                    connections = count.Connections,
                });
            });
            next(app);
        };
    }

    private sealed class CircuitCount
    {
        public int Circuits;
        public int Connections;
    }

    private sealed class CountingCircuitHandler(CircuitCount count) : CircuitHandler
    {
        public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken ct) { Interlocked.Increment(ref count.Circuits); return Task.CompletedTask; }
        public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken ct) { Interlocked.Decrement(ref count.Circuits); return Task.CompletedTask; }
        public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken ct) { Interlocked.Increment(ref count.Connections); return Task.CompletedTask; }
        public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken ct) { Interlocked.Decrement(ref count.Connections); return Task.CompletedTask; }
    }
}
