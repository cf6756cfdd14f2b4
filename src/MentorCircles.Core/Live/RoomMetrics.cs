using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MentorCircles.Core.Live;

/// <summary>
/// The live room's meter, <see cref="MeterName"/>: read it with dotnet-counters, OpenTelemetry, or a MeterListener (the
/// room-load harness reads it through /diagnostics/runtime). Two histograms, in seconds:
/// <see cref="CommandDurationName"/>, one command from reaching RoomService to its answer, tagged with its outcome
/// (accepted, refused, busy); and <see cref="StepDurationName"/>, the steps of a room's work (a command's, and a
/// catch-up after another node's NOTIFY), tagged with the step (see <see cref="Steps"/>), so a slow command can be put
/// down to the database, the room's gate or the renders.
/// </summary>
public static class RoomMetrics
{
    public const string MeterName = "MentorCircles.Live";
    public const string CommandDurationName = "mentorcircles.room.command.duration";
    public const string StepDurationName = "mentorcircles.room.command.step.duration";

    /// <summary>The values of the "step" tag.</summary>
    public static class Steps
    {
        /// <summary>Taking a connection from the pool for an append (long when every pooled connection is busy).</summary>
        public const string Connect = "connect";
        /// <summary>The append statement's round trip: gate, insert and NOTIFY, committed.</summary>
        public const string Append = "append";
        /// <summary>Waiting for the room's gate, held by a catch-up reading the log or another append applying.</summary>
        public const string Gate = "gate";
        /// <summary>A catch-up reading the events it has not seen (holding the gate).</summary>
        public const string CatchUp = "catch-up";
        /// <summary>From a new state to one of this node's pages told of it (its render runs then when its circuit is idle); one per page.</summary>
        public const string Publish = "publish";
    }

    private static readonly Meter meter = new(MeterName);

    internal static readonly Histogram<double> CommandDuration = meter.CreateHistogram<double>(
        CommandDurationName, unit: "s", description: "Time for the server to decide, append and publish one live room command");

    private static readonly Histogram<double> stepDuration = meter.CreateHistogram<double>(
        StepDurationName, unit: "s", description: "Time one step of a live room's work took (tag step)");

    /// <summary>Records the time since <paramref name="started"/> (a <see cref="Stopwatch.GetTimestamp"/>) against <paramref name="step"/>.</summary>
    internal static void Step(string step, long started) =>
        stepDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("step", step));
}
