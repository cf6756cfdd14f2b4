using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime;
using MentorCircles.Core.Live;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace MentorCircles.Web.Hosting;

/// <summary>
/// Two endpoints for the room-load harness (tests/MentorCircles.Benchmarks), only when Diagnostics:Enabled is true (off
/// by default; each memory request forces a blocking full GC and nothing guards either):
/// GET /diagnostics/memory, the GC heap after a forced full collection (with ?compact=true one that compacts the heap
/// and gives back to the OS what it can), the working set, and the open circuits; and
/// GET /diagnostics/runtime, what the app went through since the previous request (the live room's command times, how
/// late the thread pool ran a work item, GC pauses, bytes allocated), so a slow round can be put down to the app or to the rest.
/// </summary>
public static class DiagnosticsSetup
{
    public const string Path = "/diagnostics/memory";
    public const string RuntimePath = "/diagnostics/runtime";

    public static void AddMentorCirclesDiagnostics(this WebApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue("Diagnostics:Enabled", false)) return;
        builder.Services.AddSingleton<CircuitCount>();
        builder.Services.AddSingleton<RuntimeWatch>();
        builder.Services.AddScoped<CircuitHandler, CountingCircuitHandler>();
        // Answered ahead of the whole pipeline (no auth, no routing), so the harness reads it without signing in.
        builder.Services.AddTransient<IStartupFilter, DiagnosticsEndpoints>();
    }

    private sealed class DiagnosticsEndpoints(CircuitCount count, RuntimeWatch watch) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            watch.Start();
            app.Use(async (ctx, rest) =>
            {
                if (HttpMethods.IsGet(ctx.Request.Method) && ctx.Request.Path == RuntimePath) { await ctx.Response.WriteAsJsonAsync(watch.Read()); return; }
                if (!HttpMethods.IsGet(ctx.Request.Method) || ctx.Request.Path != Path) { await rest(ctx); return; }
                var gcTotal = FullCollection(compact: ctx.Request.Query["compact"] == "true");
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

    /// <summary>
    /// Collects, between two reads: the duration of every live room command (<see cref="RoomMetrics.CommandDurationName"/>)
    /// and of each step of the rooms' work (<see cref="RoomMetrics.StepDurationName"/>, by step), the delay of a work
    /// item queued to the thread pool every 50 ms (a pool or a process starved of CPU shows here first), and the GC's
    /// pauses and collections and the bytes allocated.
    /// </summary>
    private sealed class RuntimeWatch : IDisposable
    {
        private readonly Lock gate = new();
        private readonly MeterListener listener = new();
        private readonly Timer probe;
        private List<double> commandsMs = [];
        private Dictionary<string, List<double>> stepsMs = [];
        private List<double> poolDelaysMs = [];
        private long queuedAt;
        private TimeSpan pauseAtRead = GC.GetTotalPauseDuration();
        private readonly int[] collectionsAtRead = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        private long allocatedAtRead = GC.GetTotalAllocatedBytes();
        private long readAt = Stopwatch.GetTimestamp();

        public RuntimeWatch()
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == RoomMetrics.MeterName && instrument.Name is RoomMetrics.CommandDurationName or RoomMetrics.StepDurationName)
                    l.EnableMeasurementEvents(instrument);
            };
            listener.SetMeasurementEventCallback<double>((instrument, seconds, tags, _) =>
            {
                if (instrument.Name == RoomMetrics.CommandDurationName) { lock (gate) commandsMs.Add(seconds * 1000); return; }
                var step = "?";
                foreach (var tag in tags) if (tag.Key == "step") step = tag.Value as string ?? "?";
                lock (gate)
                {
                    if (!stepsMs.TryGetValue(step, out var list)) stepsMs[step] = list = [];
                    list.Add(seconds * 1000);
                }
            });
            probe = new Timer(_ => Probe(), null, Timeout.Infinite, Timeout.Infinite);
        }

        public void Start()
        {
            listener.Start();
            probe.Change(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(50));
        }

        private void Probe()
        {
            // One probe in flight at a time: a starved pool shows as one long delay, not a pile of them.
            if (Interlocked.CompareExchange(ref queuedAt, Stopwatch.GetTimestamp(), 0) != 0) return;
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                var delay = Stopwatch.GetElapsedTime(Interlocked.Exchange(ref queuedAt, 0)).TotalMilliseconds;
                lock (gate) poolDelaysMs.Add(delay);
            }, null);
        }

        public object Read()
        {
            List<double> commands, delays;
            Dictionary<string, List<double>> steps;
            lock (gate)
            {
                (commands, commandsMs) = (commandsMs, []);
                (steps, stepsMs) = (stepsMs, []);
                (delays, poolDelaysMs) = (poolDelaysMs, []);
            }
            var pause = GC.GetTotalPauseDuration();
            int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
            var allocated = GC.GetTotalAllocatedBytes();
            var result = new
            {
                seconds = Stopwatch.GetElapsedTime(readAt).TotalSeconds,
                commands = Summary(commands),
                steps = steps.ToDictionary(s => s.Key, s => Summary(s.Value)),
                poolDelay = Summary(delays),
                gcPauseMs = (pause - pauseAtRead).TotalMilliseconds,
                gen0 = collections[0] - collectionsAtRead[0],
                gen1 = collections[1] - collectionsAtRead[1],
                gen2 = collections[2] - collectionsAtRead[2],
                allocatedBytes = allocated - allocatedAtRead,
                poolThreads = ThreadPool.ThreadCount,
            };
            pauseAtRead = pause;
            collections.CopyTo(collectionsAtRead, 0);
            allocatedAtRead = allocated;
            readAt = Stopwatch.GetTimestamp();
            return result;
        }

        private static object Summary(List<double> ms)
        {
            ms.Sort();
            double At(double q) => ms.Count == 0 ? 0 : ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)];
            return new { count = ms.Count, p50 = At(0.5), p95 = At(0.95), p99 = At(0.99), max = ms.Count == 0 ? 0 : ms[^1] };
        }

        public void Dispose()
        {
            probe.Dispose();
            listener.Dispose();
        }
    }

    /// <summary>
    /// A blocking full collection. As the GC would do it for itself (not compacting unless it sees fit, keeping what it
    /// has committed), or compacting and returning free memory to the OS (<see cref="GCCollectionMode.Aggressive"/>): the
    /// first reading counts the free space the GC keeps for reuse, the second what the live objects need.
    /// </summary>
    private static long FullCollection(bool compact)
    {
        if (!compact) return GC.GetTotalMemory(forceFullCollection: true);
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
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
