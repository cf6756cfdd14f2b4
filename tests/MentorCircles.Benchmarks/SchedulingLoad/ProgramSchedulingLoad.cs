using Npgsql;

namespace MentorCircles.Benchmarks.SchedulingLoad;

/// <summary>
/// THE SPOT FOR THE PROGRAM-WIDE SCHEDULING JOB (issue 5: "under 60 s" for this program).
/// <para>
/// ProgramSchedulingJob (Core/Scheduling) is being written on another branch and is not on main yet, so nothing is
/// measured here and the report says so. When it lands, replace the body with a few lines, e.g.:
/// </para>
/// <code>
/// var job = new ProgramSchedulingJob(/* its dependencies */, new FixedClock(LoadProgram.Now));
/// var samples = await Measure.RepeatAsync(o.Repeat, i => job.RunAsync(/* a new scheduling_run for ids.ProgramId */, CancellationToken.None),
///     before: i => /* insert the mentor.scheduling_run row it works on (not timed) */);
/// report.Add(Name, samples, Target, $"{ids.Circles.Length} circles");
/// report.Check(/* every circle got a slot, no one double-booked, no lead over max_sessions_per_week */, "...");
/// </code>
/// </summary>
internal static class ProgramSchedulingLoad
{
    public const string Name = "program-wide scheduling job (ProgramSchedulingJob)";
    public static readonly Target Target = Target.Under(TimeSpan.FromSeconds(60));

    public static Task RunAsync(NpgsqlDataSource db, LoadIds ids, SchedulingLoadOptions o, SchedulingLoadReport report)
    {
        _ = (db, ids, o);
        report.NotMeasured(Name, Target, "ProgramSchedulingJob is on another branch, not yet on main; see SchedulingLoad/ProgramSchedulingLoad.cs");
        return Task.CompletedTask;
    }
}
