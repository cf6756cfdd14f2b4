using System.Runtime.InteropServices;

namespace MentorCircles.Benchmarks.RoomLoad;

/// <summary>
/// On Ctrl+C or SIGTERM, stops what the run started (apps, Chromium, PostgreSQL), newest first, then exits, so an
/// interrupted run leaves no processes or clusters behind. A normal run disposes the same things itself.
/// </summary>
internal static class Teardown
{
    private static readonly List<(string Name, Func<ValueTask> Stop)> steps = [];
    private static readonly List<PosixSignalRegistration> registrations = [];

    /// <summary>True once a stop signal came: errors from here on are the teardown's doing.</summary>
    public static bool Stopping { get; private set; }

    public static void Install()
    {
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            registrations.Add(PosixSignalRegistration.Create(signal, ctx =>
            {
                ctx.Cancel = true;
                Stopping = true;
                Console.Error.WriteLine($"{ctx.Signal}: stopping what the run started");
                Run();
                Environment.Exit(130);
            }));
    }

    public static T Add<T>(string name, T thing) where T : IAsyncDisposable
    {
        lock (steps) steps.Add((name, thing.DisposeAsync));
        return thing;
    }

    private static void Run()
    {
        List<(string Name, Func<ValueTask> Stop)> todo;
        lock (steps) todo = [.. steps];
        todo.Reverse();
        foreach (var (name, stop) in todo)
        {
            try
            {
                if (!stop().AsTask().Wait(TimeSpan.FromSeconds(30))) Console.Error.WriteLine($"  {name}: did not stop within 30 s");
            }
            catch (Exception ex) { Console.Error.WriteLine($"  {name}: {ex.GetBaseException().Message}"); }
        }
    }
}
