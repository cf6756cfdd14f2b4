using BenchmarkDotNet.Attributes;
using MentorCircles.Core.Live;

namespace MentorCircles.Benchmarks;

/// <summary>
/// The pure live-room engine on one core: a 12-person, 90-minute session's commands, each decided against the
/// current state and its events applied, as a node does for every command. Reported per command.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[OperationsPerSecond]
public class RoomEngineBenchmarks
{
    public const int Commands = 2_000;

    private RoomState initial = null!;
    private RoomCommand[] script = null!;
    private RoomEvent[] log = null!;

    [GlobalSetup]
    public void Setup()
    {
        initial = SessionScript.InitialRoom();
        script = SessionScript.Generate(Commands);
        var events = new List<RoomEvent>();
        var s = initial;
        foreach (var cmd in script)
        {
            var ok = (RoomDecision.Accepted)RoomEngine.Decide(s, cmd);
            foreach (var e in ok.Events) { s = RoomEngine.Apply(s, e); events.Add(e); }
        }
        log = [.. events];
    }

    [Benchmark(OperationsPerInvoke = Commands, Description = "RoomEngine Decide+Apply, per command")]
    public RoomState DecideAndApply()
    {
        var s = initial;
        foreach (var cmd in script)
        {
            if (RoomEngine.Decide(s, cmd) is RoomDecision.Accepted ok)
                foreach (var e in ok.Events) s = RoomEngine.Apply(s, e);
        }
        return s;
    }

    /// <summary>What a page reload or a restarted node does: rebuild the room from its event log.</summary>
    [Benchmark(Description = "RoomEngine Replay of the session's log, per session")]
    public RoomState ReplayLog() => RoomEngine.Replay(initial, log);
}
