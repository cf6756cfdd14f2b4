using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace MentorCircles.Benchmarks.RoomLoad;

/// <summary>One press of a facilitator's button: when (page clock, ms since the epoch) and the seq the page showed before it.</summary>
internal sealed record ActionRecord(int Room, int K, double At, long SeqBefore, bool WarmUp, bool Pause)
{
    /// <summary>Pause and Resume each append exactly one event, so the action shows as seq + 1.</summary>
    public long Target => SeqBefore + 1;
}

/// <summary>What a run recorded: the presses, every page's seq log, and where the CPU went while the presses ran.</summary>
/// <param name="NotPressed">Presses skipped: no button, or the facilitator's own page had not shown the previous press within 5 s.</param>
/// <param name="Renderer">The pages' renderer main-thread metrics over the run, per second of it (LoadBrowser.RendererTimeAsync).</param>
internal sealed record Measured(string Name, IReadOnlyList<RoomPage> Pages, IReadOnlyList<ActionRecord> Actions,
    IReadOnlyDictionary<RoomPage, IReadOnlyList<(long Seq, double At, double Received)>> Logs, int NotPressed, string LoadAverage,
    IReadOnlyList<(string Part, double Cores)> CpuParts, IReadOnlyDictionary<string, double> Renderer)
{
    public string Cpu => CpuSampler.Format(CpuParts);

    /// <summary>The app's own account of the run (ours only, one node): its command times, thread-pool delays and GC pauses.</summary>
    public AppRuntime? Runtime { get; init; }

    /// <summary>What PostgreSQL's log says of the run (ours only, a private cluster): slow statements, checkpoints, autovacuums, lock waits.</summary>
    public PostgresAccount? Postgres { get; init; }

    public string Renderers
    {
        get
        {
            string Cores(string metric) => Renderer.GetValueOrDefault(metric).ToString("0.00", CultureInfo.InvariantCulture);
            var layouts = Renderer.GetValueOrDefault("LayoutCount") / Pages.Count;
            return $"tasks {Cores("TaskDuration")}, of which script {Cores("ScriptDuration")}, style {Cores("RecalcStyleDuration")}, layout {Cores("LayoutDuration")}; " +
                   $"{layouts.ToString("0.00", CultureInfo.InvariantCulture)} layouts per page and second";
        }
    }

    /// <summary>
    /// Rounds of one app's presses on the same pages, as one run: every press of every round, the pages' logs as last
    /// read (they hold every round), CPU and renderer figures averaged over the rounds (which are of equal length).
    /// </summary>
    public static Measured Pool(string name, IReadOnlyList<Measured> rounds) => new(
        name, rounds[^1].Pages, [.. rounds.SelectMany(r => r.Actions).OrderBy(a => a.Room).ThenBy(a => a.K)], rounds[^1].Logs,
        rounds.Sum(r => r.NotPressed), rounds[^1].LoadAverage,
        [.. rounds.SelectMany(r => r.CpuParts).GroupBy(p => p.Part).Select(g => (g.Key, g.Sum(p => p.Cores) / rounds.Count))],
        rounds.SelectMany(r => r.Renderer).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value) / rounds.Count));
}

/// <summary>p50/p95/p99 of latencies in ms; a missed value (never appeared) counts as infinitely late.</summary>
internal sealed record Percentiles(int Count, int Missed, double P50, double P95, double P99, double Max, double Mean)
{
    public static Percentiles Of(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        if (v.Length == 0) return new(0, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        var seen = v.Where(double.IsFinite).ToArray();
        return new(v.Length, v.Length - seen.Length, At(v, 0.50), At(v, 0.95), At(v, 0.99), v[^1], seen.Length > 0 ? seen.Average() : double.NaN);
    }

    /// <summary>Linear interpolation between closest ranks (numpy's default).</summary>
    private static double At(double[] sorted, double q)
    {
        var pos = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos), hi = (int)Math.Ceiling(pos);
        if (!double.IsFinite(sorted[hi])) return double.PositiveInfinity;
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
    }

    public static string Ms(double x) => double.IsNaN(x) ? "n/a" : double.IsFinite(x) ? x.ToString("0", CultureInfo.InvariantCulture) : "missed";

    public string Row(string label) =>
        $"| {label} | {Count} | {Ms(P50)} | {Ms(P95)} | {Ms(P99)} | {Ms(Max)} | {Missed} |";

    public const string Header = "| | n | p50 ms | p95 ms | p99 ms | max ms | missed |\n|---|---:|---:|---:|---:|---:|---:|";
}

/// <summary>Latencies of one run: to every page of the room, per page, to the facilitator's own page, and per node.</summary>
/// <param name="Reached">Per page: press → the page's WebSocket received the update (server and network).</param>
/// <param name="Applied">Per page: that message → the update shown (the browser's part).</param>
internal sealed record Analysis(string Name, int Pages, int Rooms, Percentiles EveryPage, Percentiles PerPage, Percentiles OwnPage,
    Percentiles Reached, Percentiles Applied,
    IReadOnlyDictionary<string, (Percentiles EveryPage, Percentiles PerPage)> ByNode, int ExtraEvents, int NotPressed, string LoadAverage,
    string Cpu, string Renderers, IReadOnlyDictionary<string, Percentiles> EveryPageByPress, IReadOnlyList<double> EveryPageRaw, double ChromiumCores,
    IReadOnlyList<(string Part, double Cores)> CpuParts)
{
    /// <summary>The app's own account of the run (<see cref="Measured.Runtime"/>).</summary>
    public AppRuntime? Runtime { get; init; }

    /// <summary>PostgreSQL's log of the run (<see cref="Measured.Postgres"/>).</summary>
    public PostgresAccount? Postgres { get; init; }

    /// <summary>Average cores a part of the machine used while pressing ("app server", "postgres", "everything else on the machine"…).</summary>
    public double Cores(string part) => CpuParts.Where(p => p.Part == part).Sum(p => p.Cores);
}

internal static class LoadMeasure
{
    /// <summary>Round r's presses are numbered from r × this, so presses of different rounds never look consecutive.</summary>
    private const int RoundStride = 100_000;

    /// <summary>
    /// Each room's facilitator presses once a second for warm-up + measured seconds (rooms staggered across the second);
    /// then every page's log is read. Presses in the warm-up are kept in the record but left out of the figures.
    /// </summary>
    /// <param name="app">The app serving every page, whose own account of the presses (GET /diagnostics/runtime, warm-up included) goes with the figures; null for the baseline and for two nodes.</param>
    /// <param name="postgres">The database's log, read over the same time as <paramref name="app"/>'s account.</param>
    public static async Task<Measured> RunAsync(LoadBrowser browser, string name, IReadOnlyList<RoomPage> pages, TimeSpan warmUp, TimeSpan measured, CpuSampler cpu, int round = 0,
        AppProcess? app = null, PostgresLog? postgres = null)
    {
        var rooms = pages.GroupBy(p => p.Room).OrderBy(g => g.Key).ToList();
        var total = warmUp + measured;
        var actions = new ConcurrentBag<ActionRecord>();
        var notPressed = 0;
        Console.WriteLine($"  {name}: {rooms.Count} rooms, {pages.Count} pages, {warmUp.TotalSeconds:0} s warm-up + {measured.TotalSeconds:0} s measured");
        var renderersBefore = await browser.RendererTimeAsync(pages);
        var clock = Stopwatch.StartNew();
        var cpuBefore = cpu.Take();
        if (app is not null) await app.RuntimeAsync(); // starts the app's account afresh
        if (postgres is not null) await postgres.SkipAsync();
        await Task.WhenAll(rooms.Select(async (room, i) =>
        {
            var facilitator = room.Single(p => p.IsFacilitator);
            var offset = TimeSpan.FromMilliseconds(1000.0 * i / rooms.Count);
            var target = await LoadBrowser.SeqAsync(facilitator);
            for (var k = 0; ; k++)
            {
                var due = offset + TimeSpan.FromSeconds(k);
                if (due >= total) break;
                var wait = due - clock.Elapsed;
                if (wait > TimeSpan.Zero) await Task.Delay(wait);
                var pressed = await LoadBrowser.ActAsync(facilitator, target);
                if (pressed is null || pressed[0] < 0) { Interlocked.Increment(ref notPressed); continue; }
                var a = new ActionRecord(room.Key, round * RoundStride + k, pressed[0], (long)pressed[1], due < warmUp, pressed[2] == 1);
                actions.Add(a);
                target = a.Target;
            }
        }));
        var cpuParts = cpu.Between(cpuBefore, cpu.Take());
        var runtime = app is null ? null : await app.RuntimeAsync();
        var pg = postgres is null ? null : await postgres.SinceAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        var renderersAfter = await browser.RendererTimeAsync(pages);
        var renderers = renderersAfter.ToDictionary(kv => kv.Key, kv => (kv.Value - renderersBefore[kv.Key]) / seconds);
        await Task.Delay(TimeSpan.FromSeconds(3)); // the last presses reach every page
        if (pages[0].App == LoadApp.Ours)
        {
            // Back to paused for whatever comes next (see LoadBrowser.OpenOursAsync).
            await Task.WhenAll(rooms.Select(r => LoadBrowser.PauseAsync(r.Single(p => p.IsFacilitator))));
            await LoadBrowser.SettleAsync(pages, TimeSpan.FromSeconds(60));
        }
        var load = File.ReadAllText("/proc/loadavg").Trim();
        var logs = new Dictionary<RoomPage, IReadOnlyList<(long, double, double)>>();
        foreach (var p in pages) logs[p] = await LoadBrowser.LogAsync(p);
        return new Measured(name, pages, [.. actions.OrderBy(a => a.Room).ThenBy(a => a.K)], logs, notPressed, load, cpuParts, renderers) { Runtime = runtime, Postgres = pg };
    }

    public static Analysis Analyse(Measured m)
    {
        var everyPage = new List<double>();
        var byPress = new Dictionary<string, List<double>>();
        var perPage = new List<double>();
        var reached = new List<double>();
        var applied = new List<double>();
        var own = new List<double>();
        var nodeEvery = new Dictionary<string, List<double>>();
        var nodePer = new Dictionary<string, List<double>>();
        var extra = 0;
        foreach (var room in m.Actions.GroupBy(a => a.Room))
        {
            var roomPages = m.Pages.Where(p => p.Room == room.Key).ToList();
            ActionRecord? previous = null;
            foreach (var a in room.OrderBy(a => a.K))
            {
                // Anything else that changed the room between two presses (a join, a leave) shows as a gap in the seqs
                // (between rounds the harness itself pauses the room, so only consecutive presses count).
                if (previous is not null && a.K == previous.K + 1 && a.SeqBefore > previous.Target) extra += (int)(a.SeqBefore - previous.Target);
                previous = a;
                if (a.WarmUp) continue;
                var latencies = roomPages.Select(p => (Page: p, Ms: Seen(m.Logs[p], a))).ToList();
                foreach (var p in roomPages)
                {
                    if (Entry(m.Logs[p], a) is not { } e || e.Received <= a.At) continue; // no message after the press: not split
                    reached.Add(e.Received - a.At);
                    applied.Add(e.At - e.Received);
                }
                everyPage.Add(latencies.Max(l => l.Ms));
                if (m.Pages[0].App == LoadApp.Ours)
                    (byPress.TryGetValue(a.Pause ? "Pause" : "Resume", out var k) ? k : byPress[a.Pause ? "Pause" : "Resume"] = []).Add(latencies.Max(l => l.Ms));
                perPage.AddRange(latencies.Select(l => l.Ms));
                own.Add(latencies.Single(l => l.Page.IsFacilitator).Ms);
                foreach (var node in latencies.GroupBy(l => l.Page.Node))
                {
                    (nodeEvery.TryGetValue(node.Key, out var e) ? e : nodeEvery[node.Key] = []).Add(node.Max(l => l.Ms));
                    (nodePer.TryGetValue(node.Key, out var p) ? p : nodePer[node.Key] = []).AddRange(node.Select(l => l.Ms));
                }
            }
        }
        return new Analysis(m.Name, m.Pages.Count, m.Pages.Select(p => p.Room).Distinct().Count(), Percentiles.Of(everyPage), Percentiles.Of(perPage),
            Percentiles.Of(own), Percentiles.Of(reached), Percentiles.Of(applied), nodeEvery.Keys.Order().ToDictionary(k => k, k => (Percentiles.Of(nodeEvery[k]), Percentiles.Of(nodePer[k]))),
            extra, m.NotPressed, m.LoadAverage, m.Cpu, m.Renderers,
            byPress.Keys.Order().ToDictionary(k => k, k => Percentiles.Of(byPress[k])), everyPage,
            m.CpuParts.Where(p => p.Part == "chromium").Sum(p => p.Cores), m.CpuParts) { Runtime = m.Runtime, Postgres = m.Postgres };
    }

    /// <summary>Ms from the press until the page first showed the action's seq (or a later one); infinity if it never did.</summary>
    private static double Seen(IReadOnlyList<(long Seq, double At, double Received)> log, ActionRecord a) =>
        Entry(log, a) is { } e ? e.At - a.At : double.PositiveInfinity;

    /// <summary>The log entry where the page first showed the action's seq (or a later one).</summary>
    private static (long Seq, double At, double Received)? Entry(IReadOnlyList<(long Seq, double At, double Received)> log, ActionRecord a)
    {
        foreach (var e in log)
            if (e.Seq >= a.Target) return e;
        return null;
    }
}
