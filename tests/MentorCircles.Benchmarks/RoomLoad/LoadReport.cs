using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MentorCircles.Benchmarks.RoomLoad;

/// <summary>Prints each result as it comes and writes results.md (tables) and results.json (with every latency) to --out.</summary>
internal sealed class LoadReport(RoomLoadOptions options)
{
    private readonly StringBuilder md = new();
    private readonly List<Analysis> runs = [];
    private readonly Dictionary<int, IReadOnlyList<(Analysis Ours, Analysis Baseline)>> rounds = [];
    private readonly List<(string App, MemoryReading Reading)> memory = [];
    private readonly Dictionary<string, string> machine = [];

    public void Machine(string chromiumVersion, string? browserPriority, IReadOnlyDictionary<string, string> deployedEnv)
    {
        machine["started (UTC)"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        machine["nproc"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        machine["memory"] = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))[9..].Trim();
        machine["cpu"] = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        machine["chromium"] = chromiumVersion;
        machine[".NET"] = Environment.Version.ToString();
        machine["load average at start"] = File.ReadAllText("/proc/loadavg").Trim();
        machine["options"] = $"rooms {string.Join(',', options.Rooms)}, two-node rooms {string.Join(',', options.TwoNodeRooms)}, " +
                             $"{options.WarmUp.TotalSeconds:0} s warm-up + {options.Measured.TotalSeconds:0} s measured per run, " +
                             $"{options.Settle.TotalSeconds:0} s unmeasured settling turn per app and size";
        machine["the app's environment, as deployed (launchSettings.json, Dockerfile)"] = deployedEnv.Count == 0 ? "nothing beyond its configuration" : string.Join(", ", deployedEnv.Select(kv => $"{kv.Key}={kv.Value}"));
        if (browserPriority is not null) machine["EXPERIMENT: browsers' CPU priority"] = browserPriority;
        if (options.InjectCss is { } css) machine["EXPERIMENT: CSS injected into every MentorCircles page"] = css;
        if (options.BlockScript is { } js) machine["EXPERIMENT: scripts left out of every MentorCircles page"] = js;
        if (options.BrowserArgs.Count > 0) machine["EXPERIMENT: Chromium's extra switches"] = string.Join(' ', options.BrowserArgs);
        if (options.AppEnv.Count > 0) machine["EXPERIMENT: environment of the app's processes"] = string.Join(", ", options.AppEnv.Select(kv => $"{kv.Key}={kv.Value}"));
        foreach (var (k, v) in machine) Console.WriteLine($"{k}: {v}");
    }

    public void Memory(string app, MemoryReading reading) => memory.Add((app, reading));

    public void Latency(Analysis a)
    {
        runs.Add(a);
        Console.WriteLine(Table(a));
    }

    /// <summary>The app's and the baseline's p95 in each round at one size (they took turns), and their ratio.</summary>
    public void Rounds(int pages, IReadOnlyList<(Analysis Ours, Analysis Baseline)> pairs)
    {
        rounds[pages] = pairs;
        Console.WriteLine(RoundsTable(pages, pairs));
    }

    private static string RoundsTable(int pages, IReadOnlyList<(Analysis Ours, Analysis Baseline)> pairs)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### Round by round, {pages} pages (p95 of press → every page of the room)");
        sb.AppendLine();
        sb.AppendLine("| round | first | MentorCircles p50 / p95 ms | baseline p50 / p95 ms | p95 ratio | Chromium cores, ours / baseline | per page p95, press → WebSocket received, ours / baseline | per page p95, message → shown, ours / baseline | app server, postgres, everything else (cores) in our turn | the app's own account: command p95 / max ms; thread-pool delay p95 / max ms; GC pause (gen0, gen1, gen2 collections); bytes allocated | the app's steps, p95 / max ms: pool connection; append statement; waiting for the room's gate; catch-up read; publishing to this node's pages (renders) | PostgreSQL in our turn: statements ≥ 50 ms (the slowest); checkpoints; autovacuums; lock waits ≥ 20 ms (its log); WAL flushes × their mean time (pg_stat_wal) |");
        sb.AppendLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|---|---|");
        for (var i = 0; i < pairs.Count; i++)
        {
            var (o, b) = pairs[i];
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {i + 1} | {(i % 2 == 0 ? "ours" : "baseline")} | {Percentiles.Ms(o.EveryPage.P50)} / {Percentiles.Ms(o.EveryPage.P95)} | " +
                $"{Percentiles.Ms(b.EveryPage.P50)} / {Percentiles.Ms(b.EveryPage.P95)} | {Ratio(o.EveryPage.P95, b.EveryPage.P95)} | " +
                $"{o.ChromiumCores.ToString("0.00", CultureInfo.InvariantCulture)} / {b.ChromiumCores.ToString("0.00", CultureInfo.InvariantCulture)} | " +
                $"{Percentiles.Ms(o.Reached.P95)} / {Percentiles.Ms(b.Reached.P95)} | {Percentiles.Ms(o.Applied.P95)} / {Percentiles.Ms(b.Applied.P95)} | " +
                $"{o.Cores("app server").ToString("0.00", CultureInfo.InvariantCulture)}, {o.Cores("postgres").ToString("0.00", CultureInfo.InvariantCulture)}, " +
                $"{o.Cores("everything else on the machine").ToString("0.00", CultureInfo.InvariantCulture)} | {o.Runtime?.Brief ?? "n/a"} | {o.Runtime?.StepsBrief ?? "n/a"} | {o.Postgres?.Brief ?? "n/a"} |");
        }
        return sb.ToString();
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    private static string Table(Analysis a)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### {a.Name} ({a.Pages} pages)");
        sb.AppendLine();
        sb.AppendLine(Percentiles.Header);
        sb.AppendLine(a.EveryPage.Row("press → every page of the room"));
        foreach (var (press, p) in a.EveryPageByPress) sb.AppendLine(p.Row($"press → every page, {press} presses only"));
        if (a.ByNode.Count > 1)
            foreach (var (node, p) in a.ByNode) sb.AppendLine(p.EveryPage.Row($"press → every page on node {node}"));
        sb.AppendLine(a.PerPage.Row("press → each page"));
        if (a.ByNode.Count > 1)
            foreach (var (node, p) in a.ByNode) sb.AppendLine(p.PerPage.Row($"press → each page on node {node}"));
        sb.AppendLine(a.OwnPage.Row("press → the facilitator's own page"));
        sb.AppendLine(a.Reached.Row("press → each page's WebSocket received it (server and network)"));
        sb.AppendLine(a.Applied.Row("that message → shown on the page (browser)"));
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Presses skipped: {a.NotPressed}; other room events between presses: {a.ExtraEvents}; load average after: {a.LoadAverage}");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"CPU while pressing (cores): {a.Cpu}");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Renderer main threads while pressing (cores, all pages): {a.Renderers}");
        return sb.ToString();
    }

    public void Finish(TimeSpan elapsed)
    {
        md.AppendLine("# Room load results");
        md.AppendLine();
        foreach (var (k, v) in machine) md.AppendLine(CultureInfo.InvariantCulture, $"- {k}: {v}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- run took {elapsed.TotalMinutes:0.0} min");
        md.AppendLine();

        md.AppendLine("## Summary: p95 of press → every page of the room");
        md.AppendLine();
        md.AppendLine("| pages | MentorCircles p95 | baseline p95 | ratio (target ≤ 1.3) | median of the rounds' ratios | two nodes, pages on B p95 | ratio to single node (target ≤ 1.5) |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var pages in runs.Select(r => r.Pages).Distinct().Order())
        {
            var ours = runs.FirstOrDefault(r => r.Pages == pages && r.Name.StartsWith("MentorCircles", StringComparison.Ordinal));
            var baseline = runs.FirstOrDefault(r => r.Pages == pages && r.Name.StartsWith("Baseline", StringComparison.Ordinal));
            var two = runs.FirstOrDefault(r => r.Pages == pages && r.Name.StartsWith("Two nodes", StringComparison.Ordinal));
            var onB = two is not null && two.ByNode.TryGetValue("B", out var b) ? b.EveryPage.P95 : double.NaN;
            var roundRatio = rounds.TryGetValue(pages, out var pairs)
                ? Median(pairs.Select(p => p.Ours.EveryPage.P95 / p.Baseline.EveryPage.P95)).ToString("0.00", CultureInfo.InvariantCulture)
                : "n/a";
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {pages} | {Percentiles.Ms(ours?.EveryPage.P95 ?? double.NaN)} | {Percentiles.Ms(baseline?.EveryPage.P95 ?? double.NaN)} | " +
                $"{Ratio(ours?.EveryPage.P95, baseline?.EveryPage.P95)} | {roundRatio} | {Percentiles.Ms(onB)} | {Ratio(onB, ours?.EveryPage.P95)} |");
        }
        md.AppendLine();
        md.AppendLine("## Latency runs");
        md.AppendLine();
        foreach (var a in runs) md.AppendLine(Table(a));
        foreach (var (pages, pairs) in rounds.OrderBy(kv => kv.Key)) md.AppendLine(RoundsTable(pages, pairs));

        if (memory.Count > 0)
        {
            md.AppendLine("## Server memory with pages idle in rooms");
            md.AppendLine();
            md.AppendLine("| app | pages | circuits | GC heap after full GC (MB) | GC HeapSizeBytes (MB) | GC committed (MB) | working set (MB) | VmRSS (MB) | of which anonymous / file / shared (MB) | threads | server GC |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var (app, m) in memory)
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {app} | {m.Pages} | {m.Circuits} | {Mb(m.GcTotalBytes)} | {Mb(m.GcHeapSizeBytes)} | {Mb(m.GcCommittedBytes)} | {Mb(m.WorkingSetBytes)} | {Mb(m.VmRssBytes)} | {Mb(m.RssAnonBytes)} / {Mb(m.RssFileBytes)} / {Mb(m.RssShmemBytes)} | {m.Threads} | {m.ServerGc} |");
            md.AppendLine();
            md.AppendLine("Resident memory by kind, from /proc/PID/smaps (`MemoryMap`; the files are `smaps-APP-PAGES.txt` beside this one), MB:");
            md.AppendLine();
            md.AppendLine("| app | pages | " + string.Join(" | ", MemoryMap.Kinds) + " |");
            md.AppendLine("|---|---:|" + string.Concat(MemoryMap.Kinds.Select(_ => "---:|")));
            foreach (var (app, m) in memory)
                md.AppendLine(CultureInfo.InvariantCulture, $"| {app} | {m.Pages} | {string.Join(" | ", MemoryMap.Kinds.Select(k => Mb(m.Map.GetValueOrDefault(k))))} |");
            md.AppendLine();
            md.AppendLine("Per connection, (value at the most pages − value at fewer) / the pages between; from 0 (a warm app with nobody in it) and, where read, from 50, which leaves");
            md.AppendLine("out anything the first pages cost once for all:");
            md.AppendLine();
            foreach (var app in memory.Select(m => m.App).Distinct())
            {
                var readings = memory.Where(m => m.App == app).Select(m => m.Reading).OrderBy(r => r.Pages).ToList();
                var top = readings[^1];
                foreach (var from in readings.Where(r => r.Pages < top.Pages))
                {
                    var pages = top.Pages - from.Pages;
                    string Kb(long a, long b) => ((a - b) / 1024.0 / pages).ToString("0", CultureInfo.InvariantCulture);
                    md.AppendLine(CultureInfo.InvariantCulture,
                        $"- {app}, {from.Pages} → {top.Pages} pages: GC heap {Kb(top.GcTotalBytes, from.GcTotalBytes)} KB, GC HeapSizeBytes {Kb(top.GcHeapSizeBytes, from.GcHeapSizeBytes)} KB, " +
                        $"GC committed {Kb(top.GcCommittedBytes, from.GcCommittedBytes)} KB, working set {Kb(top.WorkingSetBytes, from.WorkingSetBytes)} KB per page (target < 500 KB); " +
                        $"of the VmRSS ({Kb(top.VmRssBytes, from.VmRssBytes)} KB), anonymous {Kb(top.RssAnonBytes, from.RssAnonBytes)}, file-backed {Kb(top.RssFileBytes, from.RssFileBytes)}, shared {Kb(top.RssShmemBytes, from.RssShmemBytes)} KB; " +
                        $"by kind {string.Join(", ", MemoryMap.Kinds.Select(k => $"{k} {Kb(top.Map.GetValueOrDefault(k), from.Map.GetValueOrDefault(k))}"))} KB");
                }
            }
            md.AppendLine();
        }

        var text = md.ToString();
        Console.WriteLine();
        Console.WriteLine(text);
        File.WriteAllText(Path.Combine(options.Out, "results.md"), text);
        File.WriteAllText(Path.Combine(options.Out, "results.json"), JsonSerializer.Serialize(new
        {
            machine,
            runs = runs.Select(r => new
            {
                r.Name,
                r.Pages,
                r.Rooms,
                r.EveryPage,
                r.PerPage,
                r.OwnPage,
                r.Reached,
                r.Applied,
                r.EveryPageByPress,
                byNode = r.ByNode.ToDictionary(kv => kv.Key, kv => new { kv.Value.EveryPage, kv.Value.PerPage }),
                r.ExtraEvents,
                r.NotPressed,
                r.LoadAverage,
                r.Cpu,
                r.Renderers,
                everyPageMs = r.EveryPageRaw.Select(x => double.IsFinite(x) ? Math.Round(x, 1) : -1),
            }),
            rounds = rounds.OrderBy(kv => kv.Key).Select(kv => new
            {
                pages = kv.Key,
                rounds = kv.Value.Select(p => new { ours = p.Ours.EveryPage, baseline = p.Baseline.EveryPage, oursChromium = p.Ours.ChromiumCores, baselineChromium = p.Baseline.ChromiumCores, oursRuntime = p.Ours.Runtime, oursPostgres = p.Ours.Postgres }),
            }),
            memory = memory.Select(m => new { m.App, m.Reading }),
        }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
        Console.WriteLine($"Results written to {options.Out}");
    }

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);

    private static string Ratio(double? a, double? b) =>
        a is { } x && b is { } y && double.IsFinite(x) && double.IsFinite(y) && y > 0 ? (x / y).ToString("0.00", CultureInfo.InvariantCulture) : "n/a";
}
