using System.Diagnostics;
using Microsoft.Playwright;

namespace MentorCircles.Benchmarks.RoomLoad;

/// <summary>
/// `dotnet run -c Release --project tests/MentorCircles.Benchmarks -- room-load`: publishes the app and the baseline,
/// starts PostgreSQL, seeds rooms of 10, and in one Chromium measures (1) the app on one node: memory with 0, 50 and 100
/// pages; (2) press-to-every-page latency at each size, the app and the bare baseline taking turns in rounds with both
/// sets of pages open; (3) two app nodes with half of each room on the second. Figures go to the console and to
/// results.md in --out.
/// </summary>
internal static class RoomLoadCommand
{
    /// <summary>RoomService's leave grace (15 s) and a margin: closed pages' leaves land before the next measurement.</summary>
    private static readonly TimeSpan LeaveGrace = TimeSpan.FromSeconds(17);
    /// <summary>How long the warm-up rooms' facilitators press before the memory reading at 0 pages.</summary>
    private static readonly TimeSpan WarmUpPresses = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Rooms (of 10 pages) the warm-up opens: enough that opening a page, signing in and starting a circuit run more
    /// than 30 times, after which the tiered JIT compiles them again, optimised. With one room (10 pages) the readings
    /// paid for that: from 0 to 50 pages the app's JIT code grew 8.4 MB and its malloc'd memory 9.2 MB, from 50 to 100
    /// by 1.2 and 1.9 MB (smaps, 2026-12-02 12:25 run).
    /// </summary>
    private const int WarmUpRooms = 5;
    internal static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        try { return await RunCoreAsync(args); }
        catch (Exception) when (Teardown.Stopping)
        {
            // Ctrl+C or SIGTERM: Teardown is stopping the apps and the database under us and exits when done.
            await Task.Delay(Timeout.Infinite);
            return 130;
        }
    }

    private static async Task<int> RunCoreAsync(IReadOnlyList<string> args)
    {
        RoomLoadOptions o;
        try { o = RoomLoadOptions.Parse(args); }
        catch (Exception ex) when (ex is ArgumentException or FormatException) { Console.Error.WriteLine(ex.Message); return 2; }
        var clock = Stopwatch.StartNew();
        Teardown.Install();
        Directory.CreateDirectory(o.Out);
        var repo = LoadApps.RepoRoot();
        var sizes = o.Rooms.Distinct().Order().ToList();
        var report = new LoadReport(o);

        if (LoadBrowser.MissingChromium() is { } missing) { Console.Error.WriteLine(missing); return 2; }

        var published = await LoadApps.PublishAsync(repo, o.PublishDir, skip: !o.Publish);
        await using var db = Teardown.Add("PostgreSQL", await LoadDatabase.StartAsync());
        var roomCount = new[] { sizes.DefaultIfEmpty(0).Max(), o.TwoNodeRooms.DefaultIfEmpty(0).Max(), o.Memory ? 10 : 0 }.Max();
        var rooms = await db.SeedAsync(roomCount);
        Console.WriteLine($"Seeded {rooms.Count} rooms of 10 with a live session each ({clock.Elapsed.TotalSeconds:0} s)");
        var deployed = LoadApps.DeployedEnvironment(repo);
        var appEnv = new Dictionary<string, string>(deployed)
        {
            ["ConnectionStrings__MentorCircles"] = db.ConnectionString,
            ["Accounts__SignInAttemptsPerMinute"] = "100000", // every page signs in from 127.0.0.1
            ["Diagnostics__Enabled"] = "true",
        };
        foreach (var (name, value) in o.AppEnv) appEnv[name] = value;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = Teardown.Add("Chromium", await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = LoadBrowser.ChromiumPath,
            Headless = true,
            Args = [.. ChromiumArgs, .. o.BrowserArgs],
        }));
        report.Machine(browser.Version, BrowserPriority.Lower(o.BrowserNice), deployed);
        var run = new Run(o, report, new LoadBrowser(browser, o.InjectCss, o.BlockScript), rooms, sizes, db.PostmasterPid, db.Log);

        // Node A and the baseline live for the whole run, side by side: at each size both have their pages open, and
        // they take turns pressing (ours, baseline, baseline, ours, …) while the other's pages sit idle (ours paused,
        // so their clocks stand still). This machine's speed drifts by tens of percent within minutes; taking turns
        // puts both under the same drift, so their ratio means something. The two-node run meets node A warm.
        await using var nodeA = await AppProcess.StartAsync("node A", published.WebDll, Path.Combine(o.Out, "node-a.log"), appEnv);
        await using var baseline = o.Baseline && sizes.Count > 0
            ? await AppProcess.StartAsync("baseline", published.BaselineDll, Path.Combine(o.Out, "baseline.log"), new Dictionary<string, string>())
            : null;
        await SideBySideAsync(run, nodeA, baseline);
        Console.WriteLine($"Single node{(baseline is null ? "" : " and baseline")} done ({clock.Elapsed.TotalSeconds:0} s)");
        if (o.TwoNodeRooms.Count > 0)
        {
            await using var nodeB = await AppProcess.StartAsync("node B", published.WebDll, Path.Combine(o.Out, "node-b.log"), appEnv);
            await TwoNodesAsync(run, nodeA, nodeB);
        }
        report.Finish(clock.Elapsed);
        return 0;
    }

    private sealed record Run(RoomLoadOptions Options, LoadReport Report, LoadBrowser Browser, IReadOnlyList<LoadRoom> Rooms, IReadOnlyList<int> Sizes, int? PostmasterPid, PostgresLog? PostgresLog);

    /// <summary>
    /// Memory of the app with 0, 50 and 100 pages idle in rooms (and of the baseline with 0 and 100), then at each size,
    /// the largest first, the app's and the baseline's pages all open and the two taking turns over the rounds.
    /// </summary>
    private static async Task SideBySideAsync(Run run, AppProcess node, AppProcess? baseline)
    {
        var (o, report, browser, rooms) = (run.Options, run.Report, run.Browser, run.Rooms);
        // Warm each app up with rooms whose facilitators press for a while (JIT, the recompilation of hot code,
        // pools, caches), so the reading at 0 is of a warm app with nobody in it and the per-connection figures hold
        // what each connection costs, not code compiled once for all.
        var warm = await OpenOursAsync(browser, rooms.Take(WarmUpRooms), _ => ("A", node.Url));
        await LoadBrowser.SettleAsync(warm, TimeSpan.FromSeconds(60));
        await PressUnmeasuredAsync(run, "MentorCircles, warm-up", warm, WarmUpPresses, node);
        await LoadBrowser.CloseAsync(warm);
        await node.WaitForCircuitsAsync(0, TimeSpan.FromSeconds(60));
        if (baseline is not null)
        {
            var warmBare = await OpenBaselineAsync(browser, Enumerable.Range(1, WarmUpRooms), baseline.Url);
            await LoadBrowser.SettleAsync(warmBare, TimeSpan.FromSeconds(60));
            await PressUnmeasuredAsync(run, "Baseline, warm-up", warmBare, WarmUpPresses, baseline);
            await LoadBrowser.CloseAsync(warmBare);
            await baseline.WaitForCircuitsAsync(0, TimeSpan.FromSeconds(60));
            if (o.Memory) await ReadMemoryAsync(report, "Baseline", baseline, 0, o.Out);
        }
        await Task.Delay(LeaveGrace);
        var ours = new List<RoomPage>();
        var bare = new List<RoomPage>();
        if (o.Memory)
        {
            await ReadMemoryAsync(report, "MentorCircles", node, 0, o.Out);
            foreach (var step in new[] { 5, 10 })
            {
                ours.AddRange(await OpenOursAsync(browser, rooms.Skip(ours.Count / 10).Take(step - ours.Count / 10), _ => ("A", node.Url)));
                await LoadBrowser.SettleAsync(ours, TimeSpan.FromSeconds(60));
                await ReadMemoryAsync(report, "MentorCircles", node, ours.Count, o.Out);
            }
        }
        foreach (var n in run.Sizes.OrderDescending())
        {
            var extra = ours.Where(p => p.Room > n).ToList();
            if (extra.Count > 0)
            {
                await LoadBrowser.CloseAsync(extra);
                ours.RemoveAll(extra.Contains);
                await node.WaitForCircuitsAsync(ours.Count, TimeSpan.FromSeconds(60));
                await Task.Delay(LeaveGrace);
            }
            if (ours.Count < n * 10)
                ours.AddRange(await OpenOursAsync(browser, rooms.Where(r => r.Number <= n && ours.All(p => p.Room != r.Number)), _ => ("A", node.Url)));
            if (baseline is not null)
            {
                var extraBare = bare.Where(p => p.Room > n).ToList();
                await LoadBrowser.CloseAsync(extraBare);
                bare.RemoveAll(extraBare.Contains);
                bare.AddRange(await OpenBaselineAsync(browser, Enumerable.Range(1, n).Where(r => bare.All(p => p.Room != r)), baseline.Url));
                await LoadBrowser.SettleAsync(bare, TimeSpan.FromSeconds(60));
                if (o.Memory && bare.Count == 100) await ReadMemoryAsync(report, "Baseline", baseline, bare.Count, o.Out);
            }
            await LoadBrowser.SettleAsync(ours, TimeSpan.FromSeconds(60));
            // Opening a hundred pages leaves Chromium busy for a while; the first round (ours) must not pay for it.
            var quiet = await new CpuSampler([node.Pid], run.PostmasterPid).WaitForQuietChromiumAsync(0.15, TimeSpan.FromSeconds(120));
            Console.WriteLine($"  Chromium idle at {quiet:0.00} cores before the rounds");

            // A settling turn each, not measured. After minutes idle (opening the other pages, the memory readings) the
            // first turn's presses cost Chromium 40-70% more CPU than the later turns' (1.48 cores against 1.08 and
            // 1.06 at 100 pages; 0.66 against 0.38 and 0.39 at 40), with the app's CPU unchanged: a hundred renderers
            // waking up in one browser, not what a participant's browser does with its one page (docs/PERFORMANCE.md).
            if (o.Settle > TimeSpan.Zero)
            {
                await PressUnmeasuredAsync(run, $"MentorCircles, {n} rooms, settling", ours, o.Settle, node);
                if (baseline is not null) await PressUnmeasuredAsync(run, $"Baseline, {n} rooms, settling", bare, o.Settle, baseline);
            }

            var ourRounds = new List<Measured>();
            var bareRounds = new List<Measured>();
            var each = o.Measured / o.Rounds;
            for (var r = 0; r < o.Rounds; r++)
            {
                // ours first in even rounds, the baseline first in odd ones: neither always follows the other.
                foreach (var app in r % 2 == 0 ? new[] { LoadApp.Ours, LoadApp.Baseline } : [LoadApp.Baseline, LoadApp.Ours])
                {
                    if (app == LoadApp.Ours)
                        ourRounds.Add(await LoadMeasure.RunAsync(browser, $"MentorCircles, {n} rooms, round {r + 1}", ours, o.WarmUp, each,
                            new CpuSampler([node.Pid], run.PostmasterPid), r, node, run.PostgresLog));
                    else if (baseline is not null)
                        bareRounds.Add(await LoadMeasure.RunAsync(browser, $"Baseline, {n} rooms, round {r + 1}", bare, o.WarmUp, each,
                            new CpuSampler([baseline.Pid], run.PostmasterPid), r));
                }
            }
            report.Latency(LoadMeasure.Analyse(Measured.Pool($"MentorCircles, {n} rooms", ourRounds)));
            if (bareRounds.Count > 0)
            {
                report.Latency(LoadMeasure.Analyse(Measured.Pool($"Baseline, {n} rooms", bareRounds)));
                report.Rounds(n * 10, [.. ourRounds.Zip(bareRounds, (a, b) => (LoadMeasure.Analyse(a), LoadMeasure.Analyse(b)))]);
            }
        }
        await LoadBrowser.CloseAsync(ours);
        await LoadBrowser.CloseAsync(bare);
    }

    /// <summary>The facilitators press as in a round, for a time whose figures nobody reads (a warm-up or a settling turn).</summary>
    private static Task<Measured> PressUnmeasuredAsync(Run run, string name, IReadOnlyList<RoomPage> pages, TimeSpan duration, AppProcess app) =>
        LoadMeasure.RunAsync(run.Browser, name, pages, TimeSpan.Zero, duration, new CpuSampler([app.Pid], run.PostmasterPid));

    /// <summary>Two nodes on one database: the facilitator and members 1–4 on node A, members 5–9 on node B.</summary>
    private static async Task TwoNodesAsync(Run run, AppProcess nodeA, AppProcess nodeB)
    {
        var o = run.Options;
        foreach (var n in o.TwoNodeRooms)
        {
            var open = await OpenOursAsync(run.Browser, run.Rooms.Take(n), p => p.Index < 5 ? ("A", nodeA.Url) : ("B", nodeB.Url));
            await LoadBrowser.SettleAsync(open, TimeSpan.FromSeconds(60));
            var measured = await LoadMeasure.RunAsync(run.Browser, $"Two nodes, {n} rooms", open, o.WarmUp, o.Measured, new CpuSampler([nodeA.Pid, nodeB.Pid], run.PostmasterPid));
            run.Report.Latency(LoadMeasure.Analyse(measured));
            await LoadBrowser.CloseAsync(open);
            await Task.Delay(LeaveGrace);
        }
    }

    /// <summary>Opens the rooms, the facilitator's page first in each (it starts the session), the members' pages four at a time.</summary>
    private static async Task<List<RoomPage>> OpenOursAsync(LoadBrowser browser, IEnumerable<LoadRoom> rooms, Func<LoadPerson, (string Node, string Url)> where)
    {
        var sw = Stopwatch.StartNew();
        var opened = await Task.WhenAll(rooms.Select(async room =>
        {
            var facilitator = room.People.Single(p => p.IsFacilitator);
            var (node, url) = where(facilitator);
            var first = await browser.OpenOursAsync(facilitator, room, node, url);
            var rest = await Task.WhenAll(room.People.Where(p => !p.IsFacilitator).Select(p =>
            {
                var (n, u) = where(p);
                return browser.OpenOursAsync(p, room, n, u);
            }));
            return rest.Prepend(first);
        }));
        var all = opened.SelectMany(x => x).ToList();
        Console.WriteLine($"  opened {all.Count} room pages in {sw.Elapsed.TotalSeconds:0} s");
        return all;
    }

    private static async Task<List<RoomPage>> OpenBaselineAsync(LoadBrowser browser, IEnumerable<int> rooms, string url)
    {
        var sw = Stopwatch.StartNew();
        var opened = await Task.WhenAll(rooms.Select(async room =>
        {
            var first = await browser.OpenBaselineAsync(room, 0, url);
            var rest = await Task.WhenAll(Enumerable.Range(1, 9).Select(i => browser.OpenBaselineAsync(room, i, url)));
            return rest.Prepend(first);
        }));
        var all = opened.SelectMany(x => x).ToList();
        Console.WriteLine($"  opened {all.Count} baseline pages in {sw.Elapsed.TotalSeconds:0} s");
        return all;
    }

    /// <summary>
    /// Idle for 35 s, then two readings 2 s apart; the second counts (the first full GC may still be settling). The
    /// wait is the app's keep-alive timeout (30 s) and a margin: pages idle in rooms hold their circuits' WebSockets,
    /// not the HTTP connections their browsers opened to load them (as a participant's page does a minute into a session).
    /// </summary>
    private static async Task ReadMemoryAsync(LoadReport report, string name, AppProcess app, int pages, string outDir)
    {
        await Task.Delay(TimeSpan.FromSeconds(35));
        await app.MemoryAsync(pages);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var m = await app.MemoryAsync(pages, Path.Combine(outDir, $"smaps-{app.Name.Replace(' ', '-')}-{pages}.txt"));
        Console.WriteLine($"  {app.Name} with {pages} pages: GC heap {m.GcTotalBytes / 1048576.0:0.0} MB, working set {m.WorkingSetBytes / 1048576.0:0.0} MB, circuits {m.Circuits}");
        report.Memory(name, m);
        // Then the same with a collection that compacts and gives free memory back: what the live objects need,
        // without the free space the GC keeps for reuse (fragmentation, committed regions), which moves from run to run.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var c = await app.MemoryAsync(pages, Path.Combine(outDir, $"smaps-{app.Name.Replace(' ', '-')}-{pages}-compacted.txt"), compact: true);
        Console.WriteLine($"  {app.Name} with {pages} pages, compacted: GC heap {c.GcTotalBytes / 1048576.0:0.0} MB, working set {c.WorkingSetBytes / 1048576.0:0.0} MB");
        report.Memory($"{name}, heap compacted", c);
    }
}
