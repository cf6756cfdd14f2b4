using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace MentorCircles.Benchmarks.RoomLoad;

/// <summary>
/// `-- room-probe`: where a room page's browser time goes, one room of 10 pages at a time (ours, then the baseline).
/// For each phase (idle paused, idle live, one press a second) it prints, per page and second, how often the renderer
/// recalculated style and laid out, and for how long (Chrome DevTools Performance.getMetrics); then a Chromium trace of
/// one member's page over a few presses says how many elements each style recalculation touched. A diagnostic for
/// finding what to fix, not a figure for PERFORMANCE.md.
/// </summary>
internal static class RoomProbeCommand
{
    private static readonly string[] Metrics =
        ["RecalcStyleCount", "RecalcStyleDuration", "LayoutCount", "LayoutDuration", "ScriptDuration", "TaskDuration"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        // --frames: only the per-frame costs and what a press invalidates (a minute, not four).
        var framesOnly = args.Contains("--frames");
        var o = RoomLoadOptions.Parse([.. args.Where(a => a != "--frames")]);
        Teardown.Install();
        Directory.CreateDirectory(o.Out);
        var repo = LoadApps.RepoRoot();
        if (LoadBrowser.MissingChromium() is { } missing) { Console.Error.WriteLine(missing); return 2; }
        var published = await LoadApps.PublishAsync(repo, o.PublishDir, skip: !o.Publish);
        await using var db = Teardown.Add("PostgreSQL", await LoadDatabase.StartAsync());
        var rooms = await db.SeedAsync(1);
        var env = new Dictionary<string, string>(LoadApps.DeployedEnvironment(repo)) // as room-load starts it
        {
            ["ConnectionStrings__MentorCircles"] = db.ConnectionString,
            ["Accounts__SignInAttemptsPerMinute"] = "100000",
        };
        foreach (var (name, value) in o.AppEnv) env[name] = value;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = Teardown.Add("Chromium", await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = LoadBrowser.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", .. o.BrowserArgs],
        }));
        var load = new LoadBrowser(browser, o.InjectCss);

        await using (var node = await AppProcess.StartAsync("node A", published.WebDll, Path.Combine(o.Out, "probe-node.log"), env))
        {
            var room = rooms[0];
            var pages = new List<RoomPage> { await load.OpenOursAsync(room.People[0], room, "A", node.Url) };
            pages.AddRange(await Task.WhenAll(room.People.Skip(1).Select(p => load.OpenOursAsync(p, room, "A", node.Url))));
            await LoadBrowser.SettleAsync(pages, TimeSpan.FromSeconds(60));
            await DescribeAsync(pages[1].Page, "MentorCircles member page");
            await pages[0].Page.ScreenshotAsync(new() { Path = Path.Combine(o.Out, "probe-facilitator.png"), FullPage = true });
            await pages[1].Page.ScreenshotAsync(new() { Path = Path.Combine(o.Out, "probe-member.png"), FullPage = true });
            await File.WriteAllTextAsync(Path.Combine(o.Out, "probe-member.html"), await pages[1].Page.ContentAsync());
            await PaintRectsAsync(pages[1].Page, pages[0], o.Out);
            if (!framesOnly)
            {
                await PhasesAsync(pages, live: true, o.Out, "ours");
                await LatencyAsync(load, "MentorCircles, one room", pages, new CpuSampler([node.Pid], db.PostmasterPid));
                await LoadBrowser.PauseAsync(pages[0]);
            }
            await FrameCostAsync(pages[4].Page, "MentorCircles member page", Path.Combine(o.Out, "probe-frames-ours.json"), null);
            await FrameCostAsync(pages[4].Page, "MentorCircles member page", Path.Combine(o.Out, "probe-presses-ours.json"), pages[0]);
            await InvalidationsAsync(pages[5].Page, pages[0], Path.Combine(o.Out, "probe-invalidations-ours.json"));
            if (!framesOnly)
            {
                await UpdateKindsAsync(pages[3].Page);
                await StyleBisectAsync(pages[2].Page);
            }
            await LoadBrowser.CloseAsync(pages);
        }
        await using (var baseline = await AppProcess.StartAsync("baseline", published.BaselineDll, Path.Combine(o.Out, "probe-baseline.log"), new Dictionary<string, string>()))
        {
            var pages = (await Task.WhenAll(Enumerable.Range(0, 10).Select(i => load.OpenBaselineAsync(1, i, baseline.Url)))).ToList();
            await LoadBrowser.SettleAsync(pages, TimeSpan.FromSeconds(60));
            await DescribeAsync(pages[1].Page, "Baseline page");
            if (!framesOnly)
            {
                await PhasesAsync(pages, live: false, o.Out, "baseline");
                await LatencyAsync(load, "Baseline, one room", pages, new CpuSampler([baseline.Pid], db.PostmasterPid));
            }
            await FrameCostAsync(pages[4].Page, "Baseline page", Path.Combine(o.Out, "probe-frames-baseline.json"), null);
            await FrameCostAsync(pages[4].Page, "Baseline page", Path.Combine(o.Out, "probe-presses-baseline.json"), pages[0]);
            await LoadBrowser.CloseAsync(pages);
        }
        return 0;
    }

    /// <summary>
    /// Screenshots of a member's page with Chromium's paint flashing on, taken just after four presses (Resume, Pause, twice):
    /// the green rectangles are what the press made the browser repaint.
    /// </summary>
    private static async Task PaintRectsAsync(IPage member, RoomPage facilitator, string outDir)
    {
        var cdp = await member.Context.NewCDPSessionAsync(member);
        await cdp.SendAsync("DOM.enable");
        await cdp.SendAsync("Overlay.enable");
        await cdp.SendAsync("Overlay.setShowPaintRects", new Dictionary<string, object> { ["result"] = true });
        await Task.Delay(3000);
        await member.ScreenshotAsync(new() { Path = Path.Combine(outDir, "probe-paint-before.png") });
        foreach (var name in new[] { "resume", "pause", "resume-2", "pause-2" })
        {
            var seq = await LoadBrowser.SeqAsync(facilitator);
            await LoadBrowser.ActAsync(facilitator, seq);
            await member.WaitForFunctionAsync("s => Number(document.querySelector('[data-seq]')?.dataset.seq) > s", seq);
            await member.ScreenshotAsync(new() { Path = Path.Combine(outDir, $"probe-paint-{name}.png") });
            await Task.Delay(2500); // a tick of the clocks in between, and the flashes fade
        }
        await member.ScreenshotAsync(new() { Path = Path.Combine(outDir, "probe-paint-idle.png") });
        await cdp.SendAsync("Overlay.setShowPaintRects", new Dictionary<string, object> { ["result"] = false });
        await cdp.DetachAsync();
        Console.WriteLine($"  paint flashing after a press: {outDir}/probe-paint-*.png");
    }

    private static async Task PhasesAsync(List<RoomPage> pages, bool live, string outDir, string name)
    {
        var facilitator = pages.Single(p => p.IsFacilitator);
        await Phase(pages, "idle (paused)", () => Task.Delay(TimeSpan.FromSeconds(10)));
        if (live)
        {
            var seq = await LoadBrowser.SeqAsync(facilitator);
            await LoadBrowser.ActAsync(facilitator, seq); // Resume
            await Task.Delay(2000);
            await Phase(pages, "idle (live, clocks running)", () => Task.Delay(TimeSpan.FromSeconds(10)));
            await LoadBrowser.PauseAsync(facilitator);
            await Task.Delay(2000);
        }
        await Phase(pages, "one press a second", () => PressAsync(facilitator, 10));
        await TraceAsync(pages[1].Page, facilitator, Path.Combine(outDir, $"probe-trace-{name}.json"));
        await MutationsAsync(pages[1].Page, facilitator);
    }

    private static async Task PressAsync(RoomPage facilitator, int presses)
    {
        var target = await LoadBrowser.SeqAsync(facilitator);
        for (var i = 0; i < presses; i++)
        {
            var pressed = await LoadBrowser.ActAsync(facilitator, target);
            if (pressed is { Length: > 1 } && pressed[0] > 0) target = (long)pressed[1] + 1;
            await Task.Delay(1000);
        }
    }

    private static async Task Phase(List<RoomPage> pages, string label, Func<Task> during)
    {
        var sessions = new List<ICDPSession>();
        foreach (var p in pages)
        {
            var cdp = await p.Page.Context.NewCDPSessionAsync(p.Page);
            await cdp.SendAsync("Performance.enable");
            sessions.Add(cdp);
        }
        var before = await Task.WhenAll(sessions.Select(ReadAsync));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await during();
        var seconds = clock.Elapsed.TotalSeconds;
        var after = await Task.WhenAll(sessions.Select(ReadAsync));
        foreach (var s in sessions) await s.DetachAsync();
        string Per(string m, double scale) =>
            (Enumerable.Range(0, pages.Count).Average(i => after[i][m] - before[i][m]) * scale / seconds).ToString("0.0", CultureInfo.InvariantCulture);
        Console.WriteLine($"  {label}, per page and second: style recalcs {Per("RecalcStyleCount", 1)} taking {Per("RecalcStyleDuration", 1000)} ms, " +
                          $"layouts {Per("LayoutCount", 1)} taking {Per("LayoutDuration", 1000)} ms, script {Per("ScriptDuration", 1000)} ms, all tasks {Per("TaskDuration", 1000)} ms");
    }

    private static async Task<Dictionary<string, double>> ReadAsync(ICDPSession cdp)
    {
        var result = await cdp.SendAsync("Performance.getMetrics");
        var d = Metrics.ToDictionary(m => m, _ => 0.0);
        foreach (var m in result!.Value.GetProperty("metrics").EnumerateArray())
            if (d.ContainsKey(m.GetProperty("name").GetString()!)) d[m.GetProperty("name").GetString()!] = m.GetProperty("value").GetDouble();
        return d;
    }

    private static async Task DescribeAsync(IPage page, string label)
    {
        var facts = await page.EvaluateAsync<JsonElement>("""
            () => {
              let rules = 0;
              for (const s of document.styleSheets) { try { rules += s.cssRules.length; } catch { } }
              return { elements: document.querySelectorAll('*').length, sheets: document.styleSheets.length, rules };
            }
            """);
        Console.WriteLine($"{label}: {facts.GetProperty("elements")} elements, {facts.GetProperty("sheets")} style sheets, {facts.GetProperty("rules")} CSS rules");
    }

    /// <summary>A devtools timeline trace of one page over five presses: style recalculations with their element counts, layouts with their object counts.</summary>
    private static async Task TraceAsync(IPage page, RoomPage facilitator, string file)
    {
        var events = await CollectTraceAsync(page, "devtools.timeline,disabled-by-default-devtools.timeline", () => PressAsync(facilitator, 5), file);
        // The trace covers every renderer in the browser: sum thread (CPU) time by event name over the pages' main threads.
        var mainThreads = events.Where(e => e.TryGetProperty("ph", out var ph) && ph.GetString() == "M" && e.GetProperty("name").GetString() == "thread_name"
                                            && e.GetProperty("args").GetProperty("name").GetString() == "CrRendererMain")
            .Select(e => (e.GetProperty("pid").GetInt32(), e.GetProperty("tid").GetInt32())).ToHashSet();
        var counts = new Dictionary<string, (int N, double Ms)>();
        var styleElements = new List<int>();
        double first = double.MaxValue, last = 0;
        foreach (var e in events)
        {
            if (!e.TryGetProperty("ph", out var ph) || ph.GetString() != "X") continue;
            if (!mainThreads.Contains((e.GetProperty("pid").GetInt32(), e.GetProperty("tid").GetInt32()))) continue;
            var n = e.GetProperty("name").GetString() ?? "";
            var ms = e.TryGetProperty("tdur", out var d) ? d.GetDouble() / 1000 : 0; // thread (CPU) time, not wall
            var ts = e.GetProperty("ts").GetDouble() / 1000;
            (first, last) = (Math.Min(first, ts), Math.Max(last, ts));
            counts[n] = counts.TryGetValue(n, out var c) ? (c.N + 1, c.Ms + ms) : (1, ms);
            if (n == "UpdateLayoutTree" && e.TryGetProperty("args", out var a) && a.TryGetProperty("elementCount", out var ec)) styleElements.Add(ec.GetInt32());
        }
        var renderers = Math.Max(1, mainThreads.Count);
        var seconds = Math.Max(0.001, (last - first) / 1000);
        Console.WriteLine($"  trace over 5 presses, {renderers} renderer main threads, CPU ms per page and second by event ({file}):");
        foreach (var (name, (n, ms)) in counts.OrderByDescending(kv => kv.Value.Ms).Take(10))
            Console.WriteLine($"    {name,-22} {ms / renderers / seconds,7:0.00} ms  ({n / (double)renderers / seconds:0.0} a second)");
        if (styleElements.Count > 0)
            Console.WriteLine($"    elements per style recalc: median {styleElements.Order().ElementAt(styleElements.Count / 2)}, max {styleElements.Max()}");
    }

    /// <summary>
    /// What one frame costs a page: for 6 s under a broad Chromium trace, either the page changes one digit of text once
    /// a second (as a clock does), or the facilitator presses once a second; the time of that page's renderer process is
    /// summed by thread and by event (self time, so nested events are not counted twice).
    /// </summary>
    private static async Task FrameCostAsync(IPage page, string label, string file, RoomPage? presser)
    {
        if (presser is not null)
        {
            await CostOfAsync(page, $"{label}, the facilitator pressing once a second", file, () => PressAsync(presser, 6));
            return;
        }
        await page.EvaluateAsync("""
            () => {
              const s = document.createElement('span'); s.id = '__tick'; s.textContent = '0';
              (document.querySelector('h1') || document.body).append(s);
              let i = 0; window.__tickTimer = setInterval(() => { s.firstChild.data = String(++i % 10); }, 1000);
            }
            """);
        await Task.Delay(1500);
        await CostOfAsync(page, $"{label}, one small text change a second", file, () => Task.Delay(6000));
        await page.EvaluateAsync("() => { clearInterval(window.__tickTimer); document.getElementById('__tick')?.remove(); }");
    }

    private static async Task CostOfAsync(IPage page, string label, string file, Func<Task> during)
    {
        var collected = await CollectTraceAsync(page, "toplevel,blink,cc,viz,v8,devtools.timeline,disabled-by-default-devtools.timeline,renderer.scheduler,benchmark",
            during, file);

        var pid = RendererOf(collected, page);
        if (pid is null) { Console.WriteLine($"  {label}: could not find the page's renderer in the trace"); return; }
        var threadNames = collected.Where(e => e.GetProperty("ph").GetString() == "M" && e.GetProperty("name").GetString() == "thread_name" && e.GetProperty("pid").GetInt32() == pid)
            .ToDictionary(e => e.GetProperty("tid").GetInt32(), e => e.GetProperty("args").GetProperty("name").GetString() ?? "?");
        var self = new Dictionary<(string Thread, string Name), double>();
        foreach (var thread in collected.Where(e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("pid").GetInt32() == pid && e.TryGetProperty("dur", out _))
                     .GroupBy(e => e.GetProperty("tid").GetInt32()))
        {
            var name = threadNames.GetValueOrDefault(thread.Key, thread.Key.ToString(CultureInfo.InvariantCulture));
            var stack = new Stack<(double End, string Name)>();
            foreach (var e in thread.OrderBy(e => e.GetProperty("ts").GetDouble()).ThenByDescending(e => e.GetProperty("dur").GetDouble()))
            {
                double ts = e.GetProperty("ts").GetDouble(), dur = e.GetProperty("dur").GetDouble();
                while (stack.Count > 0 && stack.Peek().End <= ts) stack.Pop();
                var n = e.GetProperty("name").GetString() ?? "?";
                self[(name, n)] = self.GetValueOrDefault((name, n)) + dur / 1000;
                if (stack.Count > 0) self[(name, stack.Peek().Name)] = self.GetValueOrDefault((name, stack.Peek().Name)) - dur / 1000;
                stack.Push((ts + dur, n));
            }
        }
        Console.WriteLine($"  {label}: renderer pid {pid}, ms per second by thread:");
        foreach (var t in self.GroupBy(kv => kv.Key.Thread).OrderByDescending(g => g.Sum(kv => kv.Value)).Take(6))
            Console.WriteLine($"    {t.Key,-24} {t.Sum(kv => kv.Value) / 6,7:0.00}");
        Console.WriteLine("  ... and by event (self time, ms per second):");
        foreach (var ((thread, name), ms) in self.OrderByDescending(kv => kv.Value).Take(25))
            Console.WriteLine($"    {thread,-24} {name,-40} {ms / 6,7:0.000}");
    }

    /// <summary>What four presses invalidate in one member's page, from Chromium's invalidation tracking: style, layout and paint, by node and reason.</summary>
    private static async Task InvalidationsAsync(IPage page, RoomPage presser, string file)
    {
        var events = await CollectTraceAsync(page,
            "devtools.timeline,disabled-by-default-devtools.timeline,disabled-by-default-devtools.timeline.invalidationTracking,disabled-by-default-devtools.timeline.stack",
            () => PressAsync(presser, 4), file);
        var pid = RendererOf(events, page);
        var counts = new Dictionary<string, int>();
        foreach (var e in events.Where(e => e.GetProperty("pid").GetInt32() == pid && e.GetProperty("name").GetString()!.Contains("Invalidat", StringComparison.Ordinal)))
        {
            var what = e.GetProperty("name").GetString()!;
            if (e.TryGetProperty("args", out var a) && a.TryGetProperty("data", out var d))
            {
                string Field(string n) => d.TryGetProperty(n, out var v) ? v.ToString() : "";
                what += $" {Field("nodeName")} {Field("reason")} {Field("invalidatedSelectorId")} {Field("changedClass")}{Field("changedAttribute")}{Field("changedId")}{Field("changedPseudo")}";
            }
            counts[what] = counts.GetValueOrDefault(what) + 1;
        }
        Console.WriteLine($"  invalidations in one member's page over 4 presses ({file}):");
        foreach (var (what, n) in counts.OrderByDescending(kv => kv.Value).Take(40))
            Console.WriteLine($"    {n,4} {what}");
    }

    /// <summary>The renderer process of the page's main frame, from the trace's TracingStartedInBrowser event.</summary>
    private static int? RendererOf(List<JsonElement> events, IPage page)
    {
        int? pid = null;
        foreach (var e in events)
            if (e.GetProperty("name").GetString() == "TracingStartedInBrowser" && e.TryGetProperty("args", out var a) && a.TryGetProperty("data", out var d)
                && d.TryGetProperty("frames", out var frames))
                foreach (var f in frames.EnumerateArray())
                    if (f.TryGetProperty("url", out var u) && u.GetString() == page.Url && f.TryGetProperty("processId", out var p)) pid = p.GetInt32();
        return pid;
    }

    /// <summary>A Chromium trace (every process) of these categories while <paramref name="during"/> runs, also written to <paramref name="file"/>.</summary>
    private static async Task<List<JsonElement>> CollectTraceAsync(IPage page, string categories, Func<Task> during, string file)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        var collected = new List<JsonElement>();
        var complete = new TaskCompletionSource();
        cdp.Event("Tracing.dataCollected").OnEvent += (_, e) =>
        {
            lock (collected) collected.AddRange(e!.Value.GetProperty("value").EnumerateArray().Select(x => x.Clone()));
        };
        cdp.Event("Tracing.tracingComplete").OnEvent += (_, _) => complete.TrySetResult();
        await cdp.SendAsync("Tracing.start", new Dictionary<string, object> { ["categories"] = categories, ["transferMode"] = "ReportEvents" });
        await during();
        await cdp.SendAsync("Tracing.end");
        await complete.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await cdp.DetachAsync();
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(collected));
        return collected;
    }

    /// <summary>Press → every page with one room only: the path's own length, with little contention for the cores.</summary>
    private static async Task LatencyAsync(LoadBrowser load, string name, List<RoomPage> pages, CpuSampler cpu)
    {
        var a = LoadMeasure.Analyse(await LoadMeasure.RunAsync(load, name, pages, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(20), cpu));
        Console.WriteLine($"  {name}: press → every page p50 {a.EveryPage.P50:0} ms, p95 {a.EveryPage.P95:0} ms; → own page p50 {a.OwnPage.P50:0} ms; → each page p50 {a.PerPage.P50:0} ms");
        foreach (var (press, p) in a.EveryPageByPress) Console.WriteLine($"    {press}: p50 {p.P50:0} ms, p95 {p.P95:0} ms");
    }

    /// <summary>
    /// Experiment: the style cost of one small update (an attribute, a class, a new element with text) in a live page,
    /// then again after deleting groups of the Radzen theme's rules, one group more each time. Leaves the page broken.
    /// </summary>
    private static async Task StyleBisectAsync(IPage page)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Performance.enable");
        string[] groups = ["none", "has-rtl", "has-layout", "has-hover", "has", "sheet"];
        foreach (var g in groups)
        {
            await page.EvaluateAsync("""
                g => {
                  const sheet = [...document.styleSheets].find(s => (s.href || '').includes('Radzen'));
                  const del = test => { for (let i = sheet.cssRules.length - 1; i >= 0; i--) if (test(sheet.cssRules[i], sheet.cssRules[i].selectorText || '')) sheet.deleteRule(i); };
                  if (g === 'has-rtl') del((r, t) => t.includes(':has(') && t.includes('[dir=rtl]'));
                  if (g === 'has-layout') del((r, t) => t.includes(':has(') && /^(body|\.rz-layout)/.test(t));
                  if (g === 'has-hover') del((r, t) => /:has\([^)]*(hover|focus)/.test(t));
                  if (g === 'has') del((r, t) => t.includes(':has('));
                  if (g === 'class-prefix') del((r, t) => /\[class[\^*]=/.test(t));
                  if (g === 'scrollbar') del((r, t) => t.includes('scrollbar'));
                  if (g === 'root') del((r, t) => t === ':root');
                  if (g === 'media') del(r => r.type === 4 || r.type === 12);
                  if (g === 'font-face') del(r => r.type === 5);
                  if (g === 'keyframes') del(r => r.type === 7);
                  if (g === 'sheet') sheet.disabled = true;
                }
                """, g);
            var before = await ReadAsync(cdp);
            await page.EvaluateAsync("""
                async () => {
                  const root = document.querySelector('.mc-room'), status = document.querySelector('.mc-status'), clock = document.querySelector('.mc-item-clock');
                  for (let i = 0; i < 60; i++) {
                    root.setAttribute('data-probe', String(i));
                    status.classList.toggle('mc-probe');
                    const s = document.createElement('span'); s.textContent = '9:3' + (i % 10); clock.append(s);
                    await new Promise(r => requestAnimationFrame(() => setTimeout(r, 30)));
                    s.remove();
                  }
                }
                """);
            var after = await ReadAsync(cdp);
            var rules = await page.EvaluateAsync<int>("() => [...document.styleSheets].find(s => (s.href || '').includes('Radzen')).cssRules.length");
            Console.WriteLine($"  style bisect, without {g,-12} ({rules,4} rules left): style {(after["RecalcStyleDuration"] - before["RecalcStyleDuration"]) * 1000 / 60:0.00} ms per update " +
                              $"({(after["RecalcStyleCount"] - before["RecalcStyleCount"]) / 60:0.0} recalcs), layout {(after["LayoutDuration"] - before["LayoutDuration"]) * 1000 / 60:0.00} ms");
        }
        await cdp.DetachAsync();
    }

    /// <summary>Experiment: the style cost of each kind of DOM change on its own, with the theme's :has() rules and without.</summary>
    private static async Task UpdateKindsAsync(IPage page)
    {
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Performance.enable");
        foreach (var withoutHas in new[] { false, true })
        {
            if (withoutHas)
                await page.EvaluateAsync("""
                    () => { const sheet = [...document.styleSheets].find(s => (s.href || '').includes('Radzen'));
                            for (let i = sheet.cssRules.length - 1; i >= 0; i--) if ((sheet.cssRules[i].selectorText || '').includes(':has(')) sheet.deleteRule(i); }
                    """);
            foreach (var kind in new[] { "attribute", "class", "text-data", "text-content", "insert-remove" })
            {
                var before = await ReadAsync(cdp);
                await page.EvaluateAsync("""
                    async kind => {
                      const root = document.querySelector('.mc-room'), status = document.querySelector('.mc-status'), clock = document.querySelector('.mc-item-clock');
                      const mine = document.createElement('span'); mine.textContent = 'x'; clock.append(mine);
                      await new Promise(r => requestAnimationFrame(() => setTimeout(r, 20)));
                      for (let i = 0; i < 30; i++) {
                        if (kind === 'attribute') root.setAttribute('data-probe', String(i));
                        if (kind === 'class') status.classList.toggle('mc-probe');
                        if (kind === 'text-data') mine.firstChild.data = '9:3' + (i % 10);
                        if (kind === 'text-content') mine.textContent = '9:3' + (i % 10);
                        let s; if (kind === 'insert-remove') { s = document.createElement('span'); s.textContent = '9:3' + (i % 10); clock.append(s); }
                        await new Promise(r => requestAnimationFrame(() => setTimeout(r, 20)));
                        s?.remove();
                        if (s) await new Promise(r => requestAnimationFrame(() => setTimeout(r, 20)));
                      }
                      mine.remove();
                    }
                    """, kind);
                var after = await ReadAsync(cdp);
                Console.WriteLine($"  update kinds, {(withoutHas ? "without" : "with")} :has rules, {kind,-13}: style {(after["RecalcStyleDuration"] - before["RecalcStyleDuration"]) * 1000 / 30:0.00} ms per update, {(after["RecalcStyleCount"] - before["RecalcStyleCount"]) / 30:0.0} recalcs");
            }
        }
        await cdp.DetachAsync();
    }

    /// <summary>What two presses change in one member's page: every DOM mutation, in short.</summary>
    private static async Task MutationsAsync(IPage page, RoomPage facilitator)
    {
        await page.EvaluateAsync("""
            () => {
              const d = e => e.nodeType === 1 ? e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '')
                           : e.nodeType === 3 ? '"' + e.textContent.slice(0, 30) + '"' : '#' + e.nodeName;
              window.__muts = [];
              window.__mo = new MutationObserver(list => {
                for (const m of list) {
                  if (m.type === 'childList') window.__muts.push(`${performance.now().toFixed(0)} child of ${d(m.target)}: +[${[...m.addedNodes].map(d).join(', ')}] -[${[...m.removedNodes].map(d).join(', ')}]`);
                  else if (m.type === 'attributes') window.__muts.push(`${performance.now().toFixed(0)} attr ${m.attributeName} of ${d(m.target)}`);
                  else window.__muts.push(`${performance.now().toFixed(0)} text in ${d(m.target.parentNode)}: ${m.target.textContent.slice(0, 40)}`);
                }
              });
              window.__mo.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
            }
            """);
        await PressAsync(facilitator, 2);
        var muts = await page.EvaluateAsync<string[]>("() => { window.__mo.disconnect(); return window.__muts; }");
        Console.WriteLine($"  DOM mutations in one member's page over two presses ({muts.Length}):");
        foreach (var m in muts) Console.WriteLine("    " + m);
    }
}
