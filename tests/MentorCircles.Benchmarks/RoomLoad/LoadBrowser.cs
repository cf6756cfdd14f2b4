using Microsoft.Playwright;

namespace MentorCircles.Benchmarks.RoomLoad;

/// <summary>Which app a page shows: the live room of MentorCircles, or the bare baseline page.</summary>
internal enum LoadApp { Ours, Baseline }

/// <summary>One open page of a room: whose it is, which node serves it, and the Playwright page.</summary>
internal sealed record RoomPage(LoadApp App, int Room, int Index, string Node, IPage Page)
{
    public bool IsFacilitator => Index == 0;
}

/// <summary>
/// One headless Chromium, one browser context per participant (own cookies, own renderer). Every page carries a
/// MutationObserver that logs [seq, performance.timeOrigin + performance.now()] each time the room's data-seq changes.
/// </summary>
internal sealed class LoadBrowser(IBrowser browser, string? oursCss = null, string? oursBlockedScript = null)
{
    /// <summary>The machine's Chromium, installed with apt (Playwright's own browser download does not work here).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Why the run cannot start, with the command that fixes it, or null: checked before minutes of publishing and seeding.</summary>
    public static string? MissingChromium() => File.Exists(ChromiumPath)
        ? null
        : $"Chromium is not installed at {ChromiumPath}. Install it with: sudo apt-get install -y chromium";

    /// <summary>
    /// Runs in every document before its own scripts; the log survives Blazor replacing the room element. Each entry is
    /// [seq, when it showed, when the page's WebSocket last received a message before that]: the render batch that
    /// showed it, so a press's time splits into reaching the page (server and network) and being shown (the browser).
    /// The listener is added in the socket's constructor, so it runs before Blazor's own onmessage handler.
    /// </summary>
    private const string ObserverScript = """
        (() => {
            if (window.__seqLog) return;
            const log = window.__seqLog = [];
            let received = 0;
            const Socket = window.WebSocket;
            window.WebSocket = class extends Socket {
                constructor(...args) {
                    super(...args);
                    this.addEventListener('message', () => { received = performance.timeOrigin + performance.now(); });
                }
            };
            let last = null;
            const check = () => {
                const el = document.querySelector('[data-seq]');
                if (!el) return;
                const seq = Number(el.getAttribute('data-seq'));
                if (seq !== last) { last = seq; log.push([seq, performance.timeOrigin + performance.now(), received]); }
            };
            new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-seq'] });
            check();
        })();
        """;

    /// <summary>
    /// The facilitator's action, in the page: wait until this page shows the previous action (at most 5 s), then take
    /// the time and click. Ours alternates Pause and Resume (one event each); the baseline has one button.
    /// Returns [click time, seq shown before the click, 1 for Pause or 0 otherwise]; [-1, seq] when the previous action
    /// never showed here (not pressed: Pause would be pressed twice); null when there was no button to press.
    /// </summary>
    private const string ActScript = """
        async ([previousTarget, app]) => {
            const seqNow = () => { const el = document.querySelector('[data-seq]'); return el ? Number(el.getAttribute('data-seq')) : -1; };
            const until = performance.now() + 5000;
            while (seqNow() < previousTarget && performance.now() < until) await new Promise(r => setTimeout(r, 5));
            if (seqNow() < previousTarget) return [-1, seqNow()];
            const button = app === 'Ours'
                ? [...document.querySelectorAll('.mc-facilitator button')].find(b => ['Pause', 'Resume'].includes(b.querySelector('.rz-button-text')?.textContent.trim()))
                : document.querySelector('button.act');
            if (!button) return null;
            const seq = seqNow();
            const at = performance.timeOrigin + performance.now();
            button.click();
            return [at, seq, button.textContent.includes('Pause') ? 1 : 0];
        }
        """;

    private readonly Dictionary<string, IBrowserContext> people = [];
    private readonly HashSet<string> signedIn = [];
    private readonly SemaphoreSlim opening = new(4);
    private readonly Lock gate = new();
    private readonly Dictionary<IPage, ICDPSession> cdpSessions = [];

    /// <summary>Opens a person's room page on a node (signing them in first, once), passes the agreement screen, and for the facilitator starts the session.</summary>
    public async Task<RoomPage> OpenOursAsync(LoadPerson who, LoadRoom room, string node, string nodeUrl)
    {
        await opening.WaitAsync();
        try
        {
            IBrowserContext? context;
            lock (gate) people.TryGetValue(who.Email, out context);
            if (context is null)
            {
                context = await NewContextAsync();
                if (oursBlockedScript is { } blocked)
                    await context.RouteAsync(u => u.Contains(blocked, StringComparison.Ordinal) && u.Contains(".js", StringComparison.Ordinal),
                        r => r.FulfillAsync(new() { Status = 200, ContentType = "text/javascript", Body = "" }));
                if (oursCss is not null)
                    await context.AddInitScriptAsync($"document.addEventListener('DOMContentLoaded', () => {{ const s = document.createElement('style'); s.textContent = {System.Text.Json.JsonSerializer.Serialize(oursCss)}; document.head.append(s); }});");
                lock (gate) people[who.Email] = context;
            }
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(90_000);
            bool known;
            lock (gate) known = signedIn.Contains(who.Email);
            if (!known)
            {
                // Cookies ignore the port, so a person signed in on node A is signed in on node B too (the keys are shared).
                await page.GotoAsync($"{nodeUrl}/signin?returnUrl={Uri.EscapeDataString(room.Path)}");
                await page.GetByLabel("Email").FillAsync(who.Email);
                await page.GetByLabel("Password").FillAsync(LoadDatabase.Password);
                await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
                await page.WaitForURLAsync(u => u.EndsWith(room.Path, StringComparison.Ordinal));
                lock (gate) signedIn.Add(who.Email);
            }
            else await page.GotoAsync(nodeUrl + room.Path);

            await page.Locator(".mc-room[data-seq]").WaitForAsync();
            // The prerendered button does nothing until the circuit is up, so press until the agreement screen goes.
            await PressUntilAsync(page, page.Locator(".mc-room-agreement").GetByRole(AriaRole.Button, new() { Name = "I am ready" }),
                page.Locator(".mc-room-agreement"), gone: true);
            if (who.IsFacilitator)
            {
                var controls = page.Locator(".mc-facilitator");
                await controls.WaitForAsync();
                var start = controls.GetByRole(AriaRole.Button, new() { Name = "Start the session" });
                if (await start.CountAsync() > 0) await PressUntilAsync(page, start, start, gone: true);
                var pause = controls.GetByRole(AriaRole.Button, new() { Name = "Pause", Exact = false });
                var resume = controls.GetByRole(AriaRole.Button, new() { Name = "Resume", Exact = false });
                await pause.Or(resume).WaitForAsync();
                // Rooms wait paused while pages open: a live room's progress bar animates without pause in every page,
                // which on two cores slows opening the next pages to a crawl. The measurement then alternates Resume and Pause.
                if (await pause.CountAsync() > 0) await PressUntilAsync(page, pause, resume, gone: false);
            }
            return new RoomPage(LoadApp.Ours, room.Number, who.Index, node, page);
        }
        finally { opening.Release(); }
    }

    /// <summary>Opens a baseline room page in a fresh context of its own and waits for its circuit.</summary>
    public async Task<RoomPage> OpenBaselineAsync(int room, int index, string baseUrl)
    {
        await opening.WaitAsync();
        try
        {
            var context = await NewContextAsync();
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(90_000);
            await page.GotoAsync($"{baseUrl}/room/{room}{(index == 0 ? "?f=true" : "")}");
            await page.Locator(".room[data-interactive=true]").WaitForAsync();
            return new RoomPage(LoadApp.Baseline, room, index, "baseline", page);
        }
        finally { opening.Release(); }
    }

    /// <summary>Closes pages the way a person closing the tab would (unload runs, so Blazor ends the circuit at once).</summary>
    public static async Task CloseAsync(IReadOnlyList<RoomPage> pages)
    {
        await Task.WhenAll(pages.Select(p => p.Page.CloseAsync(new() { RunBeforeUnload = true })));
        // Baseline contexts are one-off; a participant's context is kept so they stay signed in. Closing a context at
        // once drops the disconnect beacon the page sent on unload, leaving the circuit retained for minutes.
        var oneOff = pages.Where(p => p.App == LoadApp.Baseline).ToList();
        if (oneOff.Count == 0) return;
        await Task.Delay(TimeSpan.FromSeconds(2));
        await Task.WhenAll(oneOff.Select(p => p.Page.Context.CloseAsync()));
    }

    public static async Task<double[]?> ActAsync(RoomPage facilitator, long previousTarget) =>
        await facilitator.Page.EvaluateAsync<double[]?>(ActScript, new object[] { previousTarget, facilitator.App.ToString() });

    /// <summary>Leaves a MentorCircles room paused (see <see cref="OpenOursAsync"/>); the caller waits for the pages to settle.</summary>
    public static async Task PauseAsync(RoomPage facilitator)
    {
        var pause = facilitator.Page.Locator(".mc-facilitator").GetByRole(AriaRole.Button, new() { Name = "Pause" });
        var resume = facilitator.Page.Locator(".mc-facilitator").GetByRole(AriaRole.Button, new() { Name = "Resume" });
        if (await pause.CountAsync() > 0) await PressUntilAsync(facilitator.Page, pause, resume, gone: false);
    }

    private static readonly string[] RendererMetrics = ["TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration", "LayoutCount"];

    /// <summary>
    /// The pages' renderer main-thread time so far (Chrome DevTools Performance.getMetrics, seconds), summed over the
    /// pages: all tasks, and of those script, style recalculation and layout (and how many layouts: about one a frame
    /// that changed something on the page). Paint and compositing are not in it.
    /// </summary>
    public async Task<Dictionary<string, double>> RendererTimeAsync(IReadOnlyList<RoomPage> pages)
    {
        var sums = RendererMetrics.ToDictionary(m => m, _ => 0.0);
        foreach (var page in pages)
        {
            ICDPSession? cdp;
            lock (gate) cdpSessions.TryGetValue(page.Page, out cdp);
            if (cdp is null)
            {
                cdp = await page.Page.Context.NewCDPSessionAsync(page.Page);
                await cdp.SendAsync("Performance.enable");
                lock (gate) cdpSessions[page.Page] = cdp;
            }
            if (await cdp.SendAsync("Performance.getMetrics") is not { } result) continue;
            foreach (var m in result.GetProperty("metrics").EnumerateArray())
                if (sums.ContainsKey(m.GetProperty("name").GetString()!)) sums[m.GetProperty("name").GetString()!] += m.GetProperty("value").GetDouble();
        }
        return sums;
    }

    public static async Task<long> SeqAsync(RoomPage page) =>
        await page.Page.EvaluateAsync<long>("() => { const el = document.querySelector('[data-seq]'); return el ? Number(el.getAttribute('data-seq')) : -1; }");

    /// <summary>Every seq the page showed, with the instant (ms since the Unix epoch, fractional) it appeared and the
    /// instant the message before it arrived.</summary>
    public static async Task<IReadOnlyList<(long Seq, double At, double Received)>> LogAsync(RoomPage page)
    {
        var raw = await page.Page.EvaluateAsync<double[][]>("() => window.__seqLog");
        return raw.Select(e => ((long)e[0], e[1], e[2])).ToList();
    }

    /// <summary>Waits until every page of each room shows the same seq twice in a row, a second apart (joins and leaves are over).</summary>
    public static async Task SettleAsync(IReadOnlyList<RoomPage> pages, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        Dictionary<int, long>? before = null;
        while (DateTime.UtcNow < deadline)
        {
            var seqs = await Task.WhenAll(pages.Select(async p => (p.Room, Seq: await SeqAsync(p))));
            var byRoom = seqs.GroupBy(s => s.Room).ToDictionary(g => g.Key, g => g.Select(s => s.Seq).Distinct().ToList());
            var now = byRoom.Where(kv => kv.Value.Count == 1).ToDictionary(kv => kv.Key, kv => kv.Value[0]);
            if (now.Count == byRoom.Count && before is not null && now.All(kv => before.TryGetValue(kv.Key, out var b) && b == kv.Value)) return;
            before = now;
            await Task.Delay(1000);
        }
        Console.WriteLine("  warning: the rooms did not settle (pages disagree on the seq); measuring anyway");
    }

    private async Task<IBrowserContext> NewContextAsync()
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await context.AddInitScriptAsync(ObserverScript);
        return context;
    }

    /// <summary>Presses <paramref name="button"/> until <paramref name="until"/> is gone (or, with gone false, has appeared).</summary>
    private static async Task PressUntilAsync(IPage page, ILocator button, ILocator until, bool gone)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var state = gone ? WaitForSelectorState.Detached : WaitForSelectorState.Attached;
        while (DateTime.UtcNow < deadline)
        {
            if (await until.CountAsync() == 0 == gone) return;
            try
            {
                // A DOM click, not the mouse, as the measured presses (ActScript) are: the baseline's pages never see a
                // pointer, and a room document that has seen one (even moved off the page) makes Chromium hit-test it
                // for hover after every layout (room-probe: EventHandler::handleMouseMoveEvent on every member's page).
                if (await button.CountAsync() > 0) await button.EvaluateAsync("b => b.click()", null, new() { Timeout = 5_000 });
                await until.WaitForAsync(new() { State = state, Timeout = 1_000 });
                return;
            }
            // A time-out (Playwright throws System.TimeoutException), or the element was re-rendered under the click.
            catch (Exception ex) when (ex is System.TimeoutException or PlaywrightException) { }
        }
        throw new System.TimeoutException($"{page.Url}: pressing did not take effect within 90 s");
    }
}
