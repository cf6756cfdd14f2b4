using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MentorCircles.BrowserTests;

/// <summary>
/// The shared helper every browser test uses: headless Debian Chromium through Playwright, a fresh browser
/// context per person, and an axe-core check of every page visited (no serious or critical violation).
/// </summary>
[Collection("app")]
public abstract class BrowserTest(AppFixture app, ITestOutputHelper output) : IAsyncLifetime
{
    public const string DemoPassword = MentorCircles.Core.Demo.DemoSeeder.Password;
    protected AppFixture App { get; } = app;
    private readonly List<IBrowserContext> contexts = [];

    /// <summary>Where new pages point: the shared app, or a test class's own app (<see cref="OwnAppBrowserTest"/>).</summary>
    protected virtual string BaseUrl => App.BaseUrl;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        await DescribePagesAsync();
        foreach (var c in contexts) await c.CloseAsync();
        contexts.Clear();
    }

    /// <summary>
    /// Where each page ended up and what it was saying (alerts and status messages), in the test's output: a failed
    /// test's output is kept in the TRX, so a failure that happened once in CI can be read afterwards.
    /// </summary>
    private async Task DescribePagesAsync()
    {
        var n = 0;
        foreach (var page in contexts.SelectMany(c => c.Pages))
        {
            n++;
            try
            {
                var said = await page.Locator("[role=alert], [role=status]").AllInnerTextsAsync()
                    .WaitAsync(TimeSpan.FromSeconds(2));
                var words = string.Join(" | ", said.Select(t => t.Trim()).Where(t => t.Length > 0));
                output.WriteLine($"END page {n}: {page.Url}{(words.Length > 0 ? $" — {words}" : "")}");
            }
            catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
            {
                output.WriteLine($"END page {n}: {page.Url} (could not be read: {ex.Message.Split('\n')[0]})");
            }
        }
    }

    /// <summary>A new person at their own browser: separate cookies and storage.</summary>
    protected async Task<IPage> NewPageAsync()
    {
        var context = await App.Browser.NewContextAsync(new() { BaseURL = BaseUrl, ViewportSize = new() { Width = 1280, Height = 900 } });
        contexts.Add(context);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return page;
    }

    /// <summary>Opens a path, waits for the page (and its circuit) to settle, and checks it with axe.</summary>
    protected async Task VisitAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await SettleAndCheckAsync(page);
    }

    /// <summary>Waits for the page to settle, then checks it with axe; call after any navigation a click caused.</summary>
    protected async Task SettleAndCheckAsync(IPage page)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var idle = sw.ElapsedMilliseconds;
        await AssertAccessibleAsync(page);
        output.WriteLine($"TIMING {page.Url}: idle {idle} ms, axe {sw.ElapsedMilliseconds - idle} ms");
    }

    protected async Task AssertAccessibleAsync(IPage page)
    {
        // Every rule (WCAG and best practice); only violations come back, which keeps the result small.
        // Radzen's closed drop-down popups hold option lists a person cannot reach until they open them; checking
        // them mid-render gave spurious "option without a name" findings, so they are left out.
        var context = new AxeRunContext { Exclude = [new AxeSelector(".rz-popup"), new AxeSelector(".rz-dropdown-panel")] };
        AxeResult result = await page.RunAxe(context, new AxeRunOptions { ResultTypes = [ResultType.Violations] });
        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        foreach (var v in bad)
            output.WriteLine($"axe {v.Impact} {v.Id}: {v.Help} — {string.Join(" | ", v.Nodes.Select(n => n.Html))}");
        Assert.True(bad.Count == 0,
            $"{page.Url} has {bad.Count} serious or critical accessibility violation(s): " +
            string.Join("; ", bad.Select(v => $"{v.Id} ({v.Help}) at {string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}")));
    }

    protected async Task SignInAsync(IPage page, string email, string password = DemoPassword)
    {
        await VisitAsync(page, "/signin");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(u => !u.Contains("/signin", StringComparison.Ordinal) || u.Contains("error=", StringComparison.Ordinal));
        await SettleAndCheckAsync(page);
    }

    /// <summary>Saves a full-page screenshot under TestResults/screenshots for a person to look at.</summary>
    protected async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var dir = Path.Combine(AppFixture.RepoRoot, "TestResults", "screenshots");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name + ".png");
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
        return path;
    }
}
