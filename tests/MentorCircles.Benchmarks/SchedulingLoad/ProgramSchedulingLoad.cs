using System.Linq.Expressions;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using MentorCircles.Core.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace MentorCircles.Benchmarks.SchedulingLoad;

/// <summary>
/// The program-wide scheduling job (issue 5: "under 60 s" for this program). The generated term is already full of
/// sessions, and the job leaves circles that already meet alone, so it schedules the following term of the same length:
/// every circle, with everyone's availability, away periods and busy blocks. Each repeat starts a fresh run through
/// <see cref="ProgramSchedulingService.StartAsync"/> (not timed) and times <see cref="ProgramSchedulingJob.RunAsync"/>:
/// loading the program, scheduling, progress writes and storing the proposals.
/// </summary>
internal static class ProgramSchedulingLoad
{
    public const string Name = "program-wide scheduling job (ProgramSchedulingJob)";
    public static readonly Target Target = Target.Under(TimeSpan.FromSeconds(60));

    public static async Task RunAsync(NpgsqlDataSource db, LoadIds ids, SchedulingLoadOptions o, SchedulingLoadReport report)
    {
        var clock = new FixedClock(LoadProgram.Now);
        var noJobs = new NoJobs();
        var service = new ProgramSchedulingService(db, noJobs, new SessionChanges(noJobs), clock);
        var job = new ProgramSchedulingJob(db, clock, NullLogger<ProgramSchedulingJob>.Instance);
        var from = LoadProgram.FirstDay.AddDays(7 * o.Weeks);
        var to = from.AddDays(7 * o.Weeks - 1);
        long runId = 0;
        var samples = await Measure.RepeatAsync(Math.Min(o.Repeat, 3),
            _ => job.RunAsync(runId, CancellationToken.None),
            before: async _ => runId = await service.StartAsync(ids.ProgramId, ids.CoordinatorId, new ScheduleParameters(from, to), CancellationToken.None));
        var run = await service.GetRunAsync(runId, ids.CoordinatorId, CancellationToken.None);
        report.Add(Name, samples, Target, $"{run.PlacedCount} of {run.TotalCircles} circles placed, {from:yyyy-MM-dd} to {to:yyyy-MM-dd}");
        report.Check(run.Status == "done" && run.PlacedCount + run.NotPlacedCount == run.TotalCircles && run.PlacedCount > 0,
            $"the scheduling run finished ({run.Status}) with a proposal for every circle: {run.PlacedCount} placed, {run.NotPlacedCount} not placed with a reason");
    }

    /// <summary>Follow-up jobs are not part of this measurement: they are accepted and dropped.</summary>
    private sealed class NoJobs : IBackgroundJobClient
    {
        public string Create(Job job, IState state) => "";
        public bool ChangeState(string jobId, IState state, string expectedState) => true;
    }
}
