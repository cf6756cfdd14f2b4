using System.Globalization;

namespace MentorCircles.Benchmarks.RoomLoad;

/// <summary>`room-load` arguments. Every figure in docs/PERFORMANCE.md comes from the defaults.</summary>
internal sealed record RoomLoadOptions
{
    /// <summary>Room counts (10 pages each) for the single-node and baseline runs.</summary>
    public IReadOnlyList<int> Rooms { get; init; } = [4, 10];
    /// <summary>Room counts for the two-node run (empty: none).</summary>
    public IReadOnlyList<int> TwoNodeRooms { get; init; } = [4];
    /// <summary>
    /// Measured seconds per app and size, split over the rounds. Two minutes: with 30 s a run's p95 at 40 pages was the
    /// 6th slowest of 120 presses, so one hiccup of the machine a second long (4 slow presses) moved it.
    /// </summary>
    public TimeSpan Measured { get; init; } = TimeSpan.FromSeconds(120);
    /// <summary>Seconds of presses left out at the start of each round.</summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>An unmeasured turn for each app at each size before the rounds (zero: none).</summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>Turns the app and the baseline take at each size (alternating which goes first).</summary>
    public int Rounds { get; init; } = 6;
    /// <summary>
    /// An experiment, not a figure: the nice of the browsers' CPU share (0: as started). Participants' browsers run on
    /// their own machines; here they share the server's cores, and at 10 they get only the cycles the servers and
    /// everything else leave (BrowserPriority; docs/PERFORMANCE.md, "The browsers preempted the server's renders").
    /// </summary>
    public int BrowserNice { get; init; }
    public bool Memory { get; init; } = true;
    public bool Baseline { get; init; } = true;
    public bool Publish { get; init; } = true;
    public string Out { get; init; } = Path.Combine(Path.GetTempPath(), "mc-room-load", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
    /// <summary>An experiment, not a figure: CSS added to every MentorCircles page (e.g. to switch off a transition and see what it costs).</summary>
    public string? InjectCss { get; init; }
    /// <summary>An experiment, not a figure: MentorCircles pages get an empty script instead of any script whose URL contains this.</summary>
    public string? BlockScript { get; init; }
    /// <summary>An experiment, not a figure: environment variables for the app's processes (e.g. a GC setting), NAME=VALUE.</summary>
    public IReadOnlyDictionary<string, string> AppEnv { get; init; } = new Dictionary<string, string>();
    /// <summary>An experiment, not a figure: extra command-line switches for the one Chromium (e.g. a V8 flag); they apply to the app's pages and the baseline's alike.</summary>
    public IReadOnlyList<string> BrowserArgs { get; init; } = [];
    public string PublishDir { get; init; } = Path.Combine(Path.GetTempPath(), "mc-room-load", "publish");

    public const string Usage = """
        room-load: live rooms end to end in headless Chromium (10 pages a room), against a bare Blazor baseline.
          --rooms 4,10            room counts for the single-node and baseline runs (default 4,10)
          --two-node-rooms 4      room counts for the two-node run; 0 for none (default 4)
          --seconds 120           measured seconds per app and size, split over the rounds (default 120)
          --rounds 6              turns the app and the baseline take at each size, alternating who goes first (default 6)
          --warmup 5              seconds of presses left out at the start of each round (default 5)
          --settle 15             seconds each app presses, unmeasured, before the rounds at each size; 0 for none (default 15)
          --no-memory             skip the 0/50/100-page memory readings
          --no-baseline           skip the baseline runs
          --no-publish            reuse the output of an earlier dotnet publish in --publish-dir
          --out DIR               where logs and results go (default /tmp/mc-room-load/<UTC time>)
          --publish-dir DIR       where the app and the baseline are published (default /tmp/mc-room-load/publish)
          --inject-css CSS        experiments only: add CSS to every MentorCircles page (e.g. ".mc-progress-fill{transition:none}")
          --block-script TEXT     experiments only: MentorCircles pages load an empty script instead of any script whose URL contains TEXT
          --browser-nice N        experiments only: the browsers below the servers in CPU priority (Linux nice 1-19; default 0, as started)
          --app-env NAME=VALUE    experiments only: an environment variable for the app's processes (repeatable; e.g. DOTNET_GCgen0size=0x400000)
          --browser-arg SWITCH    experiments only: a command-line switch for Chromium, both apps' pages (repeatable; e.g. --js-flags=--no-memory-reducer)
        """;

    public static RoomLoadOptions Parse(IReadOnlyList<string> args)
    {
        var o = new RoomLoadOptions();
        for (var i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            static IReadOnlyList<int> Ints(string s) =>
                [.. s.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(x => int.Parse(x, CultureInfo.InvariantCulture)).Where(x => x > 0)];
            o = args[i] switch
            {
                "--rooms" => o with { Rooms = Ints(Next()) },
                "--two-node-rooms" => o with { TwoNodeRooms = Ints(Next()) },
                "--seconds" => o with { Measured = TimeSpan.FromSeconds(int.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--rounds" => o with { Rounds = Math.Max(1, int.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--warmup" => o with { WarmUp = TimeSpan.FromSeconds(int.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--settle" => o with { Settle = TimeSpan.FromSeconds(int.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--browser-nice" => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var nice) && nice <= 19
                    ? o with { BrowserNice = nice }
                    : throw new ArgumentException($"--browser-nice takes a whole number from 0 to 19.\n{Usage}"),
                "--no-memory" => o with { Memory = false },
                "--no-baseline" => o with { Baseline = false },
                "--no-publish" => o with { Publish = false },
                "--out" => o with { Out = Path.GetFullPath(Next()) },
                "--publish-dir" => o with { PublishDir = Path.GetFullPath(Next()) },
                "--inject-css" => o with { InjectCss = Next() },
                "--block-script" => o with { BlockScript = Next() },
                "--app-env" => Next().Split('=', 2) is [{ Length: > 0 } name, var value]
                    ? o with { AppEnv = new Dictionary<string, string>(o.AppEnv) { [name] = value } }
                    : throw new ArgumentException($"--app-env takes NAME=VALUE.\n{Usage}"),
                "--browser-arg" => Next() is { Length: > 2 } sw && sw.StartsWith("--", StringComparison.Ordinal)
                    ? o with { BrowserArgs = [.. o.BrowserArgs, sw] }
                    : throw new ArgumentException($"--browser-arg takes a Chromium switch starting with --.\n{Usage}"),
                _ => throw new ArgumentException($"Unknown argument {args[i]}.\n{Usage}"),
            };
        }
        if (o.Rooms.Count == 0 && o.TwoNodeRooms.Count == 0 && !o.Memory)
            throw new ArgumentException($"Nothing to run: --rooms and --two-node-rooms name no rooms and --no-memory skips the memory readings.\n{Usage}");
        return o;
    }
}
