using System.Data.Common;
using Dapper;
using MentorCircles.Core.Audit;
using MentorCircles.Core.Circles;
using MentorCircles.Core.Common;
using MentorCircles.Core.Programs;
using Npgsql;

namespace MentorCircles.Core.Objectives;

/// <summary>A milestone as typed: an existing one keeps its id; a new one has none. Its place in the list is its order.</summary>
public sealed record MilestoneInput(long? Id, string? Title, bool Done = false);

public sealed record ObjectiveInput(
    string? Title, string? Why, string? SuccessCriteria, DateOnly? TargetDate,
    string? Status = ObjectiveStatus.Active, string? Visibility = ObjectiveVisibility.Private,
    IReadOnlyList<MilestoneInput>? Milestones = null);

public sealed record CheckInInput(int Progress, string? Note);

/// <summary>One objective in a list: what a viewer allowed to see it may see at a glance.</summary>
public sealed record ObjectiveRow(
    long Id, long OwnerId, string OwnerName, string Title, string Status, string Visibility, DateOnly? TargetDate,
    int? LatestProgress, DateTimeOffset? LatestCheckInAt, int MilestonesDone, int MilestoneCount);

/// <summary>A member as a lead sees them: the objectives visible to the lead, and whether they need a look.</summary>
public sealed record MemberObjectives(long PersonId, string DisplayName, string Role, IReadOnlyList<ObjectiveRow> Visible, Attention Attention);

public sealed record CircleObjectives(
    CircleAccessInfo Access, string CircleName, string ViewerTimeZone,
    IReadOnlyList<ObjectiveRow> Mine, IReadOnlyList<ObjectiveRow> Others,
    /* Null unless the viewer leads the circle (facilitator or mentor). */ IReadOnlyList<MemberObjectives>? Overview);

public sealed record Milestone(long Id, int Position, string Title, DateTimeOffset? DoneAt);

public sealed record CheckIn(long Id, int Progress, string Note, bool InSession, DateTimeOffset At);

public sealed record ObjectiveDetail(
    long Id, long OwnerId, string OwnerName, string Title, string Why, string SuccessCriteria, DateOnly? TargetDate,
    string Status, string Visibility, DateTimeOffset CreatedAt)
{
    public CircleAccessInfo Access { get; init; } = null!;
    public string CircleName { get; init; } = "";
    public string ViewerTimeZone { get; init; } = "UTC";
    public bool IsOwner { get; init; }
    public IReadOnlyList<Milestone> Milestones { get; init; } = [];
    /// <summary>Oldest first.</summary>
    public IReadOnlyList<CheckIn> CheckIns { get; init; } = [];
}

/// <summary>Per circle of a program, counts only: what a coordinator may know of objectives.</summary>
public sealed record CircleObjectiveCounts(long CircleId, string CircleName, int Members, int Objectives, int Achieved, int WithRecentCheckIn);

/// <summary>
/// Members' learning objectives and check-ins. Every call passes the circle's content gate
/// (<see cref="CircleAccess.RequireContentAsync"/>); what a viewer sees is decided by <see cref="ObjectiveVisibility.CanSee"/>;
/// only the owner changes an objective. Coordinators get counts through <see cref="ProgramCountsAsync"/>, never content.
/// </summary>
public sealed class ObjectiveService(NpgsqlDataSource db, CircleAccess access, TimeProvider clock)
{
    private const string NotFoundMessage = "This objective does not exist or you cannot see it.";

    public async Task<CircleObjectives> ForCircleAsync(long circleId, long personId, CancellationToken ct)
    {
        var who = await access.RequireContentAsync(circleId, personId, ct);
        const string sql = """
            SELECT c.name, p.time_zone FROM mentor.circle c, mentor.person p WHERE c.id = @circleId AND p.id = @personId;

            SELECT o.id, o.person_id AS owner_id, p.display_name AS owner_name, o.title, o.status, o.visibility, o.target_date,
                   o.created_at, lc.progress AS latest_progress, lc.at AS latest_check_in_at,
                   (SELECT count(*) FROM mentor.objective_milestone ms WHERE ms.objective_id = o.id AND ms.done_at IS NOT NULL)::int AS milestones_done,
                   (SELECT count(*) FROM mentor.objective_milestone ms WHERE ms.objective_id = o.id)::int AS milestone_count
            FROM mentor.objective o
            JOIN mentor.membership m ON m.circle_id = o.circle_id AND m.person_id = o.person_id AND m.left_at IS NULL
            JOIN mentor.person p ON p.id = o.person_id
            LEFT JOIN LATERAL (
                SELECT k.progress, k.at FROM mentor.objective_checkin k WHERE k.objective_id = o.id ORDER BY k.at DESC, k.id DESC LIMIT 1
            ) lc ON true
            WHERE o.circle_id = @circleId
            ORDER BY p.display_name, CASE o.status WHEN 'active' THEN 0 WHEN 'achieved' THEN 1 ELSE 2 END, o.created_at, o.id;

            SELECT m.person_id, p.display_name, m.role
            FROM mentor.membership m JOIN mentor.person p ON p.id = m.person_id
            WHERE m.circle_id = @circleId AND m.left_at IS NULL AND m.role IN ('mentee', 'peer')
            ORDER BY p.display_name, m.person_id;
            """;
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { circleId, personId }, cancellationToken: ct));
        var head = await grid.ReadSingleAsync<(string Name, string TimeZone)>();
        var all = (await grid.ReadAsync<ListRow>()).AsList();
        var members = (await grid.ReadAsync<(long PersonId, string DisplayName, string Role)>()).AsList();

        // Rows of objectives the viewer may not see stay here: only the decision below lets a row out.
        var visible = all.Where(r => ObjectiveVisibility.CanSee(personId, who.IsLead, r.OwnerId, r.Visibility)).ToList();
        IReadOnlyList<MemberObjectives>? overview = null;
        if (who.IsLead)
        {
            var now = clock.GetUtcNow();
            overview = members.Select(m => new MemberObjectives(
                m.PersonId, m.DisplayName, m.Role,
                visible.Where(r => r.OwnerId == m.PersonId).Select(r => r.ToRow()).ToList(),
                ObjectiveAttention.For(all.Where(r => r.OwnerId == m.PersonId).Select(r => new AttentionInput(r.Status, r.CreatedAt, r.LatestCheckInAt)).ToList(), now)))
                .ToList();
        }
        return new CircleObjectives(who, head.Name, head.TimeZone,
            visible.Where(r => r.OwnerId == personId).Select(r => r.ToRow()).ToList(),
            visible.Where(r => r.OwnerId != personId).Select(r => r.ToRow()).ToList(),
            overview);
    }

    public async Task<ObjectiveDetail> GetAsync(long circleId, long objectiveId, long personId, CancellationToken ct)
    {
        var who = await access.RequireContentAsync(circleId, personId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        var objective = await FindVisibleAsync(conn, null, who, objectiveId, personId, ct);
        const string sql = """
            SELECT c.name, p.time_zone FROM mentor.circle c, mentor.person p WHERE c.id = @circleId AND p.id = @personId;
            SELECT id, position, title, done_at FROM mentor.objective_milestone WHERE objective_id = @objectiveId ORDER BY position, id;
            SELECT id, progress, note, in_session, at FROM mentor.objective_checkin WHERE objective_id = @objectiveId ORDER BY at, id;
            """;
        await using var grid = await conn.QueryMultipleAsync(new CommandDefinition(sql, new { circleId, personId, objectiveId }, cancellationToken: ct));
        var head = await grid.ReadSingleAsync<(string Name, string TimeZone)>();
        return objective with
        {
            Access = who,
            CircleName = head.Name,
            ViewerTimeZone = head.TimeZone,
            IsOwner = objective.OwnerId == personId,
            Milestones = (await grid.ReadAsync<Milestone>()).AsList(),
            CheckIns = (await grid.ReadAsync<CheckIn>()).AsList(),
        };
    }

    /// <summary>A new objective of the person's own, with its milestones, in one transaction.</summary>
    public async Task<long> CreateAsync(long circleId, long personId, ObjectiveInput input, CancellationToken ct)
    {
        await access.RequireContentAsync(circleId, personId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        var now = clock.GetUtcNow();
        input = ObjectiveRules.Normalize(input);
        if (input.Milestones!.Any(m => m.Id is not null))
            throw new InvalidInputException("Milestones", "A new objective has only new milestones.");
        InvalidInputException.ThrowIfAny(ObjectiveRules.Check(input, await TodayForAsync(conn, personId, now, ct)));

        await using var tx = await conn.BeginTransactionAsync(ct);
        var id = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.objective (circle_id, person_id, title, why, success_criteria, target_date, status, visibility, created_at, updated_at)
            VALUES (@circleId, @personId, @Title, @Why, @SuccessCriteria, @TargetDate, @Status, @Visibility, @now, @now)
            RETURNING id
            """, new { circleId, personId, input.Title, input.Why, input.SuccessCriteria, input.TargetDate, input.Status, input.Visibility, now },
            tx, cancellationToken: ct));
        await SaveMilestonesAsync(conn, tx, id, input.Milestones!, now, ct);
        // The audit log keeps who made what visible, never what the objective says.
        await AuditLog.WriteAsync(conn, tx, personId, "objective.created", $"objective:{id}", new { circleId, visibility = input.Visibility }, ct);
        await tx.CommitAsync(ct);
        return id;
    }

    /// <summary>Changes the owner's objective and its milestones (added, renamed, reordered, ticked or removed) in one transaction.</summary>
    public async Task UpdateAsync(long circleId, long objectiveId, long personId, ObjectiveInput input, CancellationToken ct)
    {
        var who = await access.RequireContentAsync(circleId, personId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        var now = clock.GetUtcNow();
        input = ObjectiveRules.Normalize(input);
        var today = await TodayForAsync(conn, personId, now, ct);

        await using var tx = await conn.BeginTransactionAsync(ct);
        var current = await FindOwnAsync(conn, tx, who, objectiveId, personId, ct);
        InvalidInputException.ThrowIfAny(ObjectiveRules.Check(input, today, current.TargetDate));
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE mentor.objective
            SET title = @Title, why = @Why, success_criteria = @SuccessCriteria, target_date = @TargetDate,
                status = @Status, visibility = @Visibility, updated_at = @now
            WHERE id = @objectiveId
            """, new { objectiveId, input.Title, input.Why, input.SuccessCriteria, input.TargetDate, input.Status, input.Visibility, now },
            tx, cancellationToken: ct));
        await SaveMilestonesAsync(conn, tx, objectiveId, input.Milestones!, now, ct);
        if (current.Visibility != input.Visibility)
            await AuditLog.WriteAsync(conn, tx, personId, "objective.visibility_changed", $"objective:{objectiveId}",
                new { circleId, from = current.Visibility, to = input.Visibility }, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>A check-in between sessions (asynchronous), by the owner; the live room records in-session ones.</summary>
    public async Task<long> CheckInAsync(long circleId, long objectiveId, long personId, CheckInInput input, CancellationToken ct)
    {
        var who = await access.RequireContentAsync(circleId, personId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        await FindOwnAsync(conn, null, who, objectiveId, personId, ct);
        InvalidInputException.ThrowIfAny(ObjectiveRules.CheckCheckIn(input));
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.objective_checkin (objective_id, person_id, progress, note, in_session, at)
            VALUES (@objectiveId, @personId, @progress, @note, false, @now)
            RETURNING id
            """, new { objectiveId, personId, progress = input.Progress, note = input.Note?.Trim() ?? "", now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>
    /// A check-in made in a live session's objective round: by the owner, on an objective the circle or its facilitators
    /// can see (a private one is not reported in the room), while the session is live. Saved with in_session and the session.
    /// </summary>
    public async Task<long> CheckInFromRoomAsync(long sessionId, long objectiveId, long personId, CheckInInput input, CancellationToken ct)
    {
        var (who, _) = await access.RequireSessionContentAsync(sessionId, personId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        // Looked up within the session's circle only.
        var objective = await FindOwnAsync(conn, null, who, objectiveId, personId, ct);
        if (objective.Visibility == "private")
            throw new InvalidInputException("objective", "This objective is private; make it visible to the facilitators or the circle to report on it in the room.");
        InvalidInputException.ThrowIfAny(ObjectiveRules.CheckCheckIn(input));
        var status = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT status FROM mentor.session WHERE id = @sessionId", new { sessionId }, cancellationToken: ct));
        if (status != "live") throw new InvalidInputException("session", "The session is not live; check in from the objective's page instead.");
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.objective_checkin (objective_id, person_id, progress, note, in_session, session_id, at)
            VALUES (@objectiveId, @personId, @progress, @note, true, @sessionId, @now)
            RETURNING id
            """, new { objectiveId, personId, progress = input.Progress, note = input.Note?.Trim() ?? "", sessionId, now = clock.GetUtcNow() }, cancellationToken: ct));
    }

    /// <summary>For a program's coordinators: per circle, counts of members, objectives, achieved ones and ones with a recent check-in.</summary>
    public async Task<IReadOnlyList<CircleObjectiveCounts>> ProgramCountsAsync(long programId, long actorId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        if (!await ProgramAccess.IsCoordinatorAsync(conn, null, programId, actorId, ct))
            throw new AccessDeniedException("This program does not exist or you are not one of its coordinators.");
        // Objectives of current members only, as the circle itself shows them; no column of an objective's content is read.
        const string sql = """
            SELECT c.id AS circle_id, c.name AS circle_name,
                   (SELECT count(*) FROM mentor.membership m WHERE m.circle_id = c.id AND m.left_at IS NULL)::int AS members,
                   count(o.id)::int AS objectives,
                   count(o.id) FILTER (WHERE o.status = 'achieved')::int AS achieved,
                   count(o.id) FILTER (WHERE EXISTS (
                       SELECT 1 FROM mentor.objective_checkin k WHERE k.objective_id = o.id AND k.at >= @since))::int AS with_recent_check_in
            FROM mentor.circle c
            LEFT JOIN (mentor.objective o
                       JOIN mentor.membership om ON om.circle_id = o.circle_id AND om.person_id = o.person_id AND om.left_at IS NULL)
                   ON o.circle_id = c.id
            WHERE c.program_id = @programId AND c.archived_at IS NULL
            GROUP BY c.id, c.name
            ORDER BY c.name, c.id
            """;
        var since = clock.GetUtcNow() - ObjectiveAttention.Window;
        return (await conn.QueryAsync<CircleObjectiveCounts>(new CommandDefinition(sql, new { programId, since }, cancellationToken: ct))).AsList();
    }

    /// <summary>The objective if this viewer may see it; "not found" alike for another circle's, a missing one, or one not shared with them.</summary>
    private static async Task<ObjectiveDetail> FindVisibleAsync(
        DbConnection conn, DbTransaction? tx, CircleAccessInfo who, long objectiveId, long personId, CancellationToken ct)
    {
        const string sql = """
            SELECT o.id, o.person_id AS owner_id, p.display_name AS owner_name, o.title, o.why, o.success_criteria, o.target_date,
                   o.status, o.visibility, o.created_at
            FROM mentor.objective o
            JOIN mentor.membership m ON m.circle_id = o.circle_id AND m.person_id = o.person_id AND m.left_at IS NULL
            JOIN mentor.person p ON p.id = o.person_id
            WHERE o.id = @objectiveId AND o.circle_id = @circleId
            """;
        // In a change, the row stays locked until commit so two saves of one objective cannot interleave.
        var row = await conn.QuerySingleOrDefaultAsync<ObjectiveDetail>(new CommandDefinition(
            tx is null ? sql : sql + " FOR UPDATE OF o", new { objectiveId, circleId = who.CircleId }, tx, cancellationToken: ct));
        if (row is null || !ObjectiveVisibility.CanSee(personId, who.IsLead, row.OwnerId, row.Visibility))
            throw new AccessDeniedException(NotFoundMessage);
        return row;
    }

    private static async Task<ObjectiveDetail> FindOwnAsync(
        DbConnection conn, DbTransaction? tx, CircleAccessInfo who, long objectiveId, long personId, CancellationToken ct)
    {
        var row = await FindVisibleAsync(conn, tx, who, objectiveId, personId, ct);
        if (row.OwnerId != personId) throw new AccessDeniedException("Only the member who set this objective can change it or check in on it.");
        return row;
    }

    private static async Task SaveMilestonesAsync(
        DbConnection conn, DbTransaction tx, long objectiveId, IReadOnlyList<MilestoneInput> milestones, DateTimeOffset now, CancellationToken ct)
    {
        var keep = milestones.Where(m => m.Id is not null).Select(m => m.Id!.Value).ToArray();
        // Milestones left out of the list are removed; (objective_id, position) is checked at commit, so reordering is free.
        await conn.ExecuteAsync(new CommandDefinition(
            "DELETE FROM mentor.objective_milestone WHERE objective_id = @objectiveId AND NOT (id = ANY(@keep))",
            new { objectiveId, keep }, tx, cancellationToken: ct));
        for (var position = 0; position < milestones.Count; position++)
        {
            var m = milestones[position];
            if (m.Id is { } id)
            {
                var changed = await conn.ExecuteAsync(new CommandDefinition("""
                    UPDATE mentor.objective_milestone
                    SET position = @position, title = @title,
                        done_at = CASE WHEN @done THEN coalesce(done_at, @now) ELSE NULL END
                    WHERE id = @id AND objective_id = @objectiveId
                    """, new { id, objectiveId, position, title = m.Title, done = m.Done, now }, tx, cancellationToken: ct));
                if (changed == 0)
                    throw new InvalidInputException("Milestones", "One of these milestones no longer exists; reload the page and try again.");
            }
            else
            {
                await conn.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO mentor.objective_milestone (objective_id, position, title, done_at)
                    VALUES (@objectiveId, @position, @title, CASE WHEN @done THEN @now END)
                    """, new { objectiveId, position, title = m.Title, done = m.Done, now }, tx, cancellationToken: ct));
            }
        }
    }

    private static async Task<DateOnly> TodayForAsync(DbConnection conn, long personId, DateTimeOffset now, CancellationToken ct)
    {
        var tz = await conn.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT time_zone FROM mentor.person WHERE id = @personId", new { personId }, cancellationToken: ct));
        return ObjectiveRules.Today(now, tz ?? "UTC");
    }

    private sealed record ListRow(
        long Id, long OwnerId, string OwnerName, string Title, string Status, string Visibility, DateOnly? TargetDate,
        DateTimeOffset CreatedAt, int? LatestProgress, DateTimeOffset? LatestCheckInAt, int MilestonesDone, int MilestoneCount)
    {
        public ObjectiveRow ToRow() => new(Id, OwnerId, OwnerName, Title, Status, Visibility, TargetDate, LatestProgress, LatestCheckInAt, MilestonesDone, MilestoneCount);
    }
}
