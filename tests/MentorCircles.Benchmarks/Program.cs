using BenchmarkDotNet.Running;
using MentorCircles.Benchmarks;
using MentorCircles.Benchmarks.Scheduling;
using MentorCircles.Benchmarks.RoomLoad;
using MentorCircles.Benchmarks.SchedulingLoad;
using MentorCircles.Core.Live;

// `-- room-load [...]` runs the end-to-end browser load harness (RoomLoad/);
// `-- scheduling-load [...]` runs issue 5's PostgreSQL scheduling figures (SchedulingLoad/);
// `-- --script` prints what the benchmarked session consists of; anything else goes to BenchmarkDotNet.
if (args is ["room-load", .. var loadArgs]) return await RoomLoadCommand.RunAsync(loadArgs);
if (args is ["room-probe", .. var probeArgs]) return await RoomProbeCommand.RunAsync(probeArgs);
if (args is ["room-variants", .. var variantArgs]) return await RoomVariantsCommand.RunAsync(variantArgs);
if (args is ["scheduling-load", .. var schedulingArgs]) return await SchedulingLoadCommand.RunAsync(schedulingArgs);

if (args is ["--script"])
{
    var script = SessionScript.Generate(RoomEngineBenchmarks.Commands);
    var s = SessionScript.InitialRoom();
    var events = 0;
    foreach (var cmd in script)
    {
        var ok = (RoomDecision.Accepted)RoomEngine.Decide(s, cmd);
        foreach (var e in ok.Events) { s = RoomEngine.Apply(s, e); events++; }
    }
    Console.WriteLine($"{script.Length} commands, {events} events, {script[^1].At - script[0].At:hh\\:mm\\:ss} of session, status {s.Status}");
    foreach (var g in script.GroupBy(c => c.GetType().Name).OrderByDescending(g => g.Count()))
        Console.WriteLine($"  {g.Key,-20} {g.Count(),5}");
    Console.WriteLine($"  agenda: {string.Join(", ", s.Agenda.Select(i => $"{i.Title} {i.Status}"))}");
    Console.WriteLine($"  speaking segments: {s.Airtime.Count}, rounds run: {script.Count(c => c is StartRound)}");
    return 0;
}

// `-- --slot-data` describes the slot-finder benchmarks' generated people and checks the PostgreSQL baseline agrees.
if (args is ["--slot-data"])
{
    SlotFinderDataReport.Print();
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
