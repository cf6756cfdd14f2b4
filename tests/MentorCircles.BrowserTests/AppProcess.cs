using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MentorCircles.BrowserTests;

/// <summary>One running app process started from the build output, on a free port, with its output kept for failures.</summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    public string BaseUrl { get; }
    public string Log { get { lock (output) return output.ToString(); } }
    public bool HasExited => process.HasExited;

    private AppProcess(Process process, string baseUrl)
    {
        this.process = process;
        BaseUrl = baseUrl;
    }

    /// <summary>Starts the app with these settings (as environment variables) and waits until /healthz answers 200.</summary>
    public static async Task<AppProcess> StartAsync(string webDll, IReadOnlyDictionary<string, string> settings)
    {
        var baseUrl = $"http://127.0.0.1:{FreePort()}";
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.Combine(AppFixture.RepoRoot, "src", "MentorCircles.Web"),
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        psi.ArgumentList.Add(webDll);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        psi.Environment["ASPNETCORE_URLS"] = baseUrl;
        // Every test signs in from 127.0.0.1; the production limit would throttle the suite.
        psi.Environment["Accounts__SignInAttemptsPerMinute"] = "10000";
        foreach (var (k, v) in settings) psi.Environment[k] = v;
        var app = new AppProcess(Process.Start(psi)!, baseUrl);
        app.process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (app.output) app.output.AppendLine(e.Data); };
        app.process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (app.output) app.output.AppendLine(e.Data); };
        app.process.BeginOutputReadLine();
        app.process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            if (app.process.HasExited) throw new InvalidOperationException($"The app exited with {app.process.ExitCode}:\n{app.Log}");
            try
            {
                if ((await http.GetAsync($"{baseUrl}/healthz")).StatusCode == HttpStatusCode.OK) return app;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(500);
        }
        throw new TimeoutException($"The app did not become healthy within 3 minutes:\n{app.Log}");
    }

    /// <summary>Kills the process at once, as a crash would: no graceful shutdown, nothing flushed.</summary>
    public async Task KillAsync()
    {
        if (process.HasExited) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: a graceful stop (which also stops a local-mode app's private PostgreSQL); killed after 30 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); }
        }
        process.Dispose();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
