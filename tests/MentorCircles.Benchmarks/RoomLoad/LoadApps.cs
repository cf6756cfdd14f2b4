using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace MentorCircles.Benchmarks.RoomLoad;

/// <summary>Publishes the app and the baseline (Release) once, so both run from published output in Production.</summary>
internal static class LoadApps
{
    public sealed record Published(string WebDll, string BaselineDll);

    /// <summary>The checkout the harness runs from: above the working directory, the harness's output, or this source file.</summary>
    public static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "" })
            for (var d = new DirectoryInfo(start); d is not null && start.Length > 0; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "MentorCircles.sln"))) return d.FullName;
        throw new InvalidOperationException("Run the harness from inside the repository (MentorCircles.sln not found).");
    }

    public static async Task<Published> PublishAsync(string repoRoot, string publishDir, bool skip)
    {
        var web = Path.Combine(publishDir, "web");
        var baseline = Path.Combine(publishDir, "baseline");
        var result = new Published(Path.Combine(web, "MentorCircles.Web.dll"), Path.Combine(baseline, "RoomBaseline.dll"));
        if (skip && File.Exists(result.WebDll) && File.Exists(result.BaselineDll))
        {
            Console.WriteLine($"Using the published output in {publishDir} (--no-publish).");
            return result;
        }
        foreach (var (project, output) in new[]
                 {
                     (Path.Combine(repoRoot, "src", "MentorCircles.Web", "MentorCircles.Web.csproj"), web),
                     (Path.Combine(repoRoot, "tests", "MentorCircles.Benchmarks", "RoomBaseline", "RoomBaseline.csproj"), baseline),
                 })
        {
            Console.WriteLine($"dotnet publish {Path.GetRelativePath(repoRoot, project)} -c Release -o {output}");
            var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = repoRoot };
            foreach (var a in new[] { "publish", project, "-c", "Release", "-o", output, "--nologo", "-v", "q" }) psi.ArgumentList.Add(a);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            if (p.ExitCode != 0) throw new InvalidOperationException($"dotnet publish {project} failed:\n{await stdout}\n{await stderr}");
        }
        return result;
    }

    /// <summary>
    /// The environment the app is deployed with, beyond its configuration: the launch profile's variables
    /// (src/MentorCircles.Web/Properties/launchSettings.json, which the Dockerfile's ENV repeats; a test holds them
    /// equal) without ASPNETCORE_ENVIRONMENT, since the harness runs the app in Production as the image does. Today that
    /// is MALLOC_ARENA_MAX=2, which glibc reads only when a process starts.
    /// </summary>
    public static IReadOnlyDictionary<string, string> DeployedEnvironment(string repoRoot)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(repoRoot, "src", "MentorCircles.Web", "Properties", "launchSettings.json")));
        var profile = json.RootElement.GetProperty("profiles").EnumerateObject().First().Value;
        return profile.TryGetProperty("environmentVariables", out var env)
            ? env.EnumerateObject().Where(v => v.Name != "ASPNETCORE_ENVIRONMENT").ToDictionary(v => v.Name, v => v.Value.GetString() ?? "")
            : new Dictionary<string, string>();
    }
}

/// <summary>
/// The figures an app's /diagnostics/memory returns, plus VmRSS read from /proc for its process and its three parts:
/// anonymous memory (the GC heap, native allocations, thread stacks), file-backed pages (the assemblies' code and data
/// that have been touched) and shared memory (.NET maps the JIT's executable memory twice, through shared memory).
/// </summary>
internal sealed record MemoryReading(int Pages, long GcTotalBytes, long GcHeapSizeBytes, long GcCommittedBytes, long WorkingSetBytes, long VmRssBytes,
    long RssAnonBytes, long RssFileBytes, long RssShmemBytes, int Circuits, bool ServerGc, int Threads, IReadOnlyDictionary<string, long> Map);

/// <summary>Percentiles of one kind of duration the app recorded, in ms.</summary>
internal sealed record AppDurations(int Count, double P50, double P95, double P99, double Max);

/// <summary>
/// The app's own account of a stretch of time (GET /diagnostics/runtime, since the previous read): each live room
/// command from reaching RoomService to its answer (append and this node's pages told) and the steps of the room's work
/// (catch-ups after another node's NOTIFY included), how late the thread pool ran a work item queued every 50 ms, and the
/// GC's pauses and collections, and the bytes the app allocated.
/// </summary>
internal sealed record AppRuntime(
    double Seconds, AppDurations Commands, AppDurations PoolDelay, double GcPauseMs, int Gen0, int Gen1, int Gen2, int PoolThreads,
    IReadOnlyDictionary<string, AppDurations>? Steps = null, long AllocatedBytes = 0)
{
    /// <summary>The steps of the room's work (RoomMetrics.Steps), in the order a command goes through them.</summary>
    public static readonly string[] StepOrder = ["connect", "append", "gate", "catch-up", "publish"];

    public string Brief => string.Create(CultureInfo.InvariantCulture,
        $"{Commands.P95:0} / {Commands.Max:0}; {PoolDelay.P95:0} / {PoolDelay.Max:0}; {GcPauseMs:0} ms ({Gen0}, {Gen1}, {Gen2}); {AllocatedBytes / 1048576.0:0.0} MB allocated");

    /// <summary>Each step's p95 / max in ms, "-" for a step that did not run.</summary>
    public string StepsBrief => string.Join("; ", StepOrder.Select(s =>
        Steps is not null && Steps.TryGetValue(s, out var d) && d.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $"{d.P95:0.#} / {d.Max:0}") : "-"));
}

/// <summary>One app process (ours or the baseline) started from published output on a free port, stopped with SIGTERM.</summary>
internal sealed class AppProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;
    private static readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(60) };

    private AppProcess(string name, Process process, StreamWriter log, string url)
    {
        Name = name;
        this.process = process;
        this.log = log;
        Url = url;
    }

    public string Name { get; }
    public string Url { get; }
    public int Pid => process.Id;

    public static async Task<AppProcess> StartAsync(string name, string dll, string logFile, IReadOnlyDictionary<string, string> env)
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(dll);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["ASPNETCORE_URLS"] = url;
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (k, v) in env) psi.Environment[k] = v;
        var writer = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => Write(writer, e.Data);
        p.ErrorDataReceived += (_, e) => Write(writer, e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        var app = Teardown.Add(name, new AppProcess(name, p, writer, url));

        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            if (p.HasExited) throw new InvalidOperationException($"{name} exited with {p.ExitCode}; see {logFile}");
            try
            {
                using var r = await http.GetAsync($"{url}/healthz");
                if (r.StatusCode == HttpStatusCode.OK)
                {
                    Console.WriteLine($"{name} is up at {url} (pid {p.Id})");
                    return app;
                }
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(500);
        }
        await app.DisposeAsync();
        throw new TimeoutException($"{name} did not become healthy within 3 minutes; see {logFile}");
    }

    /// <summary>
    /// Forces a full GC in the app (that is what the endpoint does; with <paramref name="compact"/> one that compacts
    /// the heap and returns free memory to the OS), then reads its heap, working set and VmRSS, and
    /// when <paramref name="saveSmapsAs"/> is given, its resident memory by kind (<see cref="MemoryMap"/>, the smaps text kept there).
    /// </summary>
    public async Task<MemoryReading> MemoryAsync(int pages, string? saveSmapsAs = null, bool compact = false)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"{Url}/diagnostics/memory{(compact ? "?compact=true" : "")}"));
        var j = doc.RootElement;
        var (status, threads) = Status();
        // Only the readings that count (the caller keeps their smaps) are sorted by kind; the polls for a circuit count are not.
        IReadOnlyDictionary<string, long> map = saveSmapsAs is null ? new Dictionary<string, long>() : MemoryMap.Read(process.Id, saveSmapsAs);
        return new MemoryReading(pages, j.GetProperty("gcTotalBytes").GetInt64(), j.GetProperty("gcHeapSizeBytes").GetInt64(),
            j.GetProperty("gcCommittedBytes").GetInt64(), j.GetProperty("workingSetBytes").GetInt64(),
            status.GetValueOrDefault("VmRSS"), status.GetValueOrDefault("RssAnon"), status.GetValueOrDefault("RssFile"), status.GetValueOrDefault("RssShmem"),
            j.GetProperty("circuits").GetInt32(), j.GetProperty("serverGc").GetBoolean(), threads, map);
    }

    /// <summary>The app's account since the previous call (see <see cref="AppRuntime"/>); starts the next one.</summary>
    public async Task<AppRuntime> RuntimeAsync()
    {
        var json = await http.GetStringAsync($"{Url}/diagnostics/runtime");
        return JsonSerializer.Deserialize<AppRuntime>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))
            ?? throw new InvalidOperationException($"{Name}: /diagnostics/runtime answered {json}");
    }

    /// <summary>Waits until the app holds exactly <paramref name="circuits"/> circuits (closed pages are gone).</summary>
    public async Task WaitForCircuitsAsync(int circuits, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        int seen;
        do
        {
            seen = (await MemoryAsync(0)).Circuits;
            if (seen == circuits) return;
            await Task.Delay(1000);
        } while (DateTime.UtcNow < deadline);
        Console.WriteLine($"  warning: {Name} still holds {seen} circuits, expected {circuits}");
    }

    /// <summary>The "kB" lines of /proc/PID/status (VmRSS, RssAnon, …), in bytes, and the process's thread count.</summary>
    private (Dictionary<string, long> Kb, int Threads) Status()
    {
        var values = new Dictionary<string, long>();
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            var parts = line.Split([':', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 3 && parts[2] == "kB" && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var kb)) values[parts[0]] = kb * 1024;
            if (parts is ["Threads", var n]) threads = int.Parse(n, CultureInfo.InvariantCulture);
        }
        return (values, threads);
    }

    private int disposed;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return; // by the run, or by Teardown on Ctrl+C
        if (!process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { process.Kill(entireProcessTree: true); }
        }
        process.Dispose();
        lock (log) log.Dispose();
    }

    private static void Write(StreamWriter writer, string? line)
    {
        if (line is null) return;
        lock (writer)
        {
            try { writer.WriteLine(line); }
            catch (ObjectDisposedException) { } // a last line after the process was stopped
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
