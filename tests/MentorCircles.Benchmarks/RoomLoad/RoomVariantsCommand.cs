using System.Globalization;

namespace MentorCircles.Benchmarks.RoomLoad;

/// <summary>
/// `-- room-variants [--rooms 4] [--seconds 15] [--rounds 3] [--only "as is,clocks hidden"] [--no-baseline]`: what
/// parts of the room page cost the browser. Opens the rooms once (ours, and the baseline's in the same Chromium), then
/// in each round measures the baseline and every variant of our page (CSS added to every page, e.g. the clocks hidden)
/// while the facilitators press once a second, and prints Chromium's CPU and the latency. Rounds interleave the
/// variants, and the summary takes medians, because this machine's speed drifts by tens of percent within minutes.
/// A diagnostic for choosing what to change, not a figure for docs/PERFORMANCE.md: a variant may hide what people need.
/// </summary>
internal static class RoomVariantsCommand
{
    private const string FixedBoxes = ".mc-status { contain: strict; width: 6.5em; height: 1.6em; text-align: center; box-sizing: border-box; } .mc-item-clock { display: inline-block; contain: strict; width: 15em; height: 1.6em; white-space: nowrap; }";
    private const string ColumnLayers = ".mc-room-header, .mc-room-main, .mc-room-side { will-change: transform; }";

    /// <summary>Name and CSS, or a script after "js:" that sets window.__undoVariant to undo itself; "" is the page as it is.</summary>
    private static readonly (string Name, string Css)[] Variants =
    [
        ("as is", ""),
        ("clocks hidden", ".mc-timebox, .mc-turn-timer { display: none !important; }"),
        ("side column hidden", ".mc-room-side { display: none !important; }"),
        ("room hidden", ".mc-room > * { display: none !important; }"),
        ("whole page hidden", "body > * { display: none !important; }"),
        ("only the stage shown", ".mc-room-side, .mc-room-header, .mc-hint, .mc-room-bar { display: none !important; }"),
        ("room scrolled far out of view", ".mc-room-layout-main { margin-top: 12000px; }"),
        // "mouse:" variants give each page a pointer (Playwright's mouse) and add no CSS. As opened, room pages have none
        // (LoadBrowser presses with DOM clicks), like the baseline's; with one, even moved off the page, Chromium
        // re-hit-tests it and updates hover after every layout, and these variants show what that costs.
        ("mouse resting on the stage", "mouse:stage"),
        ("mouse off the page", "mouse:off"),
        ("status hidden", ".mc-room-status { display: none !important; }"),
        ("live regions hidden", "#room-announcer, #room-urgent { display: none !important; }"),
        ("changing parts on their own layers", ".mc-status, .mc-item-clock, .mc-progress, .mc-turn-timer, .mc-speaker-label, .mc-speaker-name { will-change: transform; }"),
        ("changing parts on their own layers, contained", ".mc-status, .mc-item-clock, .mc-progress, .mc-turn-timer, .mc-speaker-label, .mc-speaker-name { will-change: transform; contain: paint; }"),
        ("panels contained", ".mc-room-header, .mc-room-main > *, .mc-room-side > *, .mc-stage > * { contain: layout paint style; }"),
        ("clocks size-contained", ".mc-item-clock .mc-clock, .mc-turn-timer .mc-clock { display: inline-block; contain: strict; width: 4.2ch; height: 1.2em; text-align: right; } .mc-turn-timer .mc-clock { text-align: center; }"),
        // A press changes the status pill's and the item clock's words; in fixed, strictly contained boxes, the new words
        // lay out only their own box, and nothing around them moves.
        ("changing words in fixed boxes", FixedBoxes),
        ("columns on their own layers", ColumnLayers),
        ("fixed boxes and columns on their own layers", FixedBoxes + " " + ColumnLayers),
        ("theme's :has() rules deleted", "js:const saved = []; for (const sheet of document.styleSheets) { if (!(sheet.href || '').includes('Radzen')) continue; for (let i = sheet.cssRules.length - 1; i >= 0; i--) if ((sheet.cssRules[i].selectorText || '').includes(':has(')) { saved.push([sheet, i, sheet.cssRules[i].cssText]); sheet.deleteRule(i); } } window.__undoVariant = () => { for (const [sheet, i, text] of saved.reverse()) sheet.insertRule(text, i); };"),
        // The theme's text font is a variable font (RobotoFlex), and its icons are ligatures in another (Material Symbols).
        ("system text font", "body, body * { font-family: 'DejaVu Sans', sans-serif !important; } .rzi, .rz-button-icon-left, .material-icons { font-family: 'Material Symbols' !important; }"),
        ("icons hidden", ".rzi, .rz-button-icon-left { display: none !important; }"),
        ("no shadows or rounded corners", ".mc-room *, .mc-room-bar * { box-shadow: none !important; border-radius: 0 !important; }"),
        // What makes each frame's pre-paint, paint and compositing-inputs phases cost more than the baseline's: paint layers.
        ("buttons without their own paint layers", ".rz-button { position: static !important; overflow: visible !important; }"),
        ("no strict containment", ".mc-item-clock, .mc-turn-timer, .mc-status-live, .mc-status-paused { contain: none !important; }"),
        ("progress bar without clipping", ".mc-progress { overflow: visible !important; }"),
        ("notes and actions hidden", ".mc-takeaways { display: none !important; }"),
        ("theme disabled", "js:const sheets = [...document.styleSheets].filter(s => (s.href || '').includes('Radzen')); sheets.forEach(s => s.disabled = true); window.__undoVariant = () => sheets.forEach(s => s.disabled = false);"),
    ];

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var (rooms, seconds, rounds) = (4, 15, 3);
        string[]? only = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            int Int() => int.Parse(args[++i], CultureInfo.InvariantCulture);
            if (args[i] == "--rooms" && i + 1 < args.Count) rooms = Int();
            else if (args[i] == "--seconds" && i + 1 < args.Count) seconds = Int();
            else if (args[i] == "--rounds" && i + 1 < args.Count) rounds = Int();
            else if (args[i] == "--only" && i + 1 < args.Count) only = args[++i].Split(';', StringSplitOptions.TrimEntries);
            else rest.Add(args[i]);
        }
        var o = RoomLoadOptions.Parse(rest);
        var chosen = Variants.Where(v => only is null || only.Contains(v.Name)).ToList();
        Teardown.Install();
        Directory.CreateDirectory(o.Out);
        if (LoadBrowser.MissingChromium() is { } missing) { Console.Error.WriteLine(missing); return 2; }
        var repo = LoadApps.RepoRoot();
        var published = await LoadApps.PublishAsync(repo, o.PublishDir, skip: !o.Publish);
        await using var db = Teardown.Add("PostgreSQL", await LoadDatabase.StartAsync());
        var seeded = await db.SeedAsync(rooms);
        var env = new Dictionary<string, string>(LoadApps.DeployedEnvironment(repo)) // as room-load starts it
        {
            ["ConnectionStrings__MentorCircles"] = db.ConnectionString,
            ["Accounts__SignInAttemptsPerMinute"] = "100000",
        };
        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = Teardown.Add("Chromium", await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = LoadBrowser.ChromiumPath,
            Headless = true,
            Args = [.. RoomLoadCommand.ChromiumArgs, .. o.BrowserArgs],
        }));
        var load = new LoadBrowser(browser);
        var (warmUp, measured) = (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(seconds));

        await using var node = await AppProcess.StartAsync("node A", published.WebDll, Path.Combine(o.Out, "variants-node.log"), env);
        await using var baseline = await AppProcess.StartAsync("baseline", published.BaselineDll, Path.Combine(o.Out, "variants-baseline.log"), new Dictionary<string, string>());
        var basePages = o.Baseline
            ? (await Task.WhenAll(Enumerable.Range(1, rooms).SelectMany(r => Enumerable.Range(0, 10).Select(i => load.OpenBaselineAsync(r, i, baseline.Url))))).ToList()
            : [];
        var ours = (await Task.WhenAll(seeded.Select(async room =>
        {
            var first = await load.OpenOursAsync(room.People[0], room, "A", node.Url);
            return (await Task.WhenAll(room.People.Skip(1).Select(p => load.OpenOursAsync(p, room, "A", node.Url)))).Prepend(first);
        }))).SelectMany(x => x).ToList();
        Console.WriteLine($"Opened {ours.Count} room pages and {basePages.Count} baseline pages");
        await LoadBrowser.SettleAsync(ours, TimeSpan.FromSeconds(60));

        var results = new List<(string Name, double Chromium, double P50, double P95)>();
        for (var round = 1; round <= rounds; round++)
        {
            Console.WriteLine($"Round {round} of {rounds}");
            if (basePages.Count > 0)
                results.Add(Print(await LoadMeasure.RunAsync(load, "baseline", basePages, warmUp, measured, new CpuSampler([baseline.Pid], db.PostmasterPid))));
            foreach (var (name, variant) in chosen)
            {
                var css = variant;
                await Task.WhenAll(ours.Select(p => p.Page.EvaluateAsync("() => { window.__undoVariant?.(); window.__undoVariant = null; }")));
                var script = css.StartsWith("js:", StringComparison.Ordinal);
                if (css.StartsWith("mouse:", StringComparison.Ordinal))
                {
                    await Task.WhenAll(ours.Select(async p =>
                    {
                        if (css == "mouse:off") await p.Page.Mouse.MoveAsync(-50, -50);
                        else if (await p.Page.Locator(".mc-stage").BoundingBoxAsync() is { } box)
                            await p.Page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
                    }));
                    css = "";
                }
                await Task.WhenAll(ours.Select(p => p.Page.EvaluateAsync("""
                    css => {
                      let s = document.getElementById('mc-variant');
                      if (!s) { s = document.createElement('style'); s.id = 'mc-variant'; document.head.append(s); }
                      s.textContent = css;
                    }
                    """, script ? "" : css)));
                if (script) await Task.WhenAll(ours.Select(p => p.Page.EvaluateAsync("() => { " + css[3..] + " }")));
                await Task.Delay(2000);
                results.Add(Print(await LoadMeasure.RunAsync(load, name, ours, warmUp, measured, new CpuSampler([node.Pid], db.PostmasterPid))));
            }
        }
        Console.WriteLine();
        Console.WriteLine($"Medians over {rounds} rounds ({rooms * 10} pages, {seconds} s each):");
        Console.WriteLine("| variant | Chromium cores | p50 ms | p95 ms |\n|---|---:|---:|---:|");
        foreach (var g in results.GroupBy(r => r.Name))
            Console.WriteLine(FormattableString.Invariant($"| {g.Key} | {Median(g.Select(r => r.Chromium)):0.00} | {Median(g.Select(r => r.P50)):0} | {Median(g.Select(r => r.P95)):0} |"));
        await LoadBrowser.CloseAsync([.. ours, .. basePages]);
        return 0;
    }

    private static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    private static (string, double, double, double) Print(Measured m)
    {
        var a = LoadMeasure.Analyse(m);
        Console.WriteLine($"  {m.Name}: press → every page p50 {a.EveryPage.P50:0} ms, p95 {a.EveryPage.P95:0} ms ({a.EveryPage.Missed} missed); CPU (cores): {m.Cpu}");
        return (m.Name, m.CpuParts.Where(p => p.Part == "chromium").Sum(p => p.Cores), a.EveryPage.P50, a.EveryPage.P95);
    }
}
