using Dapper;
using MentorCircles.Core.Circles;
using MentorCircles.Core.Common;
using MentorCircles.Core.Live;
using MentorCircles.Core.Objectives;
using Npgsql;

namespace MentorCircles.Core.Sessions;

public sealed record AttendanceRow(long PersonId, string Name, RoomRole Role, bool Attended, bool PresentAtEnd);

public sealed record SessionCheckIn(long ObjectiveId, long OwnerId, string OwnerName, string ObjectiveTitle, int Progress, string Note, DateTimeOffset At);

/// <summary>
/// After (or during) a session: attendance, time per agenda item against plan, airtime (every member's for the circle's
/// leads; a member sees their own against the fair share), objective check-ins the viewer may see, and action items.
/// </summary>
public sealed record SessionSummary(
    long SessionId, long CircleId, string CircleName, string Title, string TimeZone, string Status, bool IsLead,
    DateTimeOffset? StartedAt, DateTimeOffset? EndedAt,
    IReadOnlyList<AttendanceRow> Attendance, IReadOnlyList<ItemTime> Items, AirtimeSummary? Airtime, PersonAirtime? MyAirtime,
    IReadOnlyList<SessionCheckIn> CheckIns, IReadOnlyList<ActionItemRow> ActionItems);

public sealed class SessionSummaryService(NpgsqlDataSource db, CircleAccess access, RoomHub hub, RoomService rooms, SessionNotesService notes)
{
    public async Task<SessionSummary> GetAsync(long sessionId, long personId, CancellationToken ct)
    {
        var (who, circleId) = await access.RequireSessionContentAsync(sessionId, personId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        var head = await conn.QuerySingleAsync<(string CircleName, string TimeZone, string Title, string Status)>(new CommandDefinition("""
            SELECT c.name, c.time_zone, s.title, s.status FROM mentor.session s JOIN mentor.circle c ON c.id = s.circle_id WHERE s.id = @sessionId
            """, new { sessionId }, cancellationToken: ct));
        RoomState state;
        try { state = await hub.CatchUpAsync(sessionId, ct); }
        catch (RoomNotOpenException) { throw new InvalidInputException("session", "This session has not started yet, so there is nothing to summarise."); }
        var status = head.Status;
        if (state.Status == RoomStatus.Ended && status == "live")
        {
            await rooms.FinishAsync(sessionId, ct);
            status = "completed";
        }
        var asOf = state.EndedAt ?? state.Clock;
        var airtime = RoomViews.Airtime(state, asOf);
        var attendance = state.Participants.Values
            .OrderBy(p => p.JoinOrder is null).ThenBy(p => p.Role).ThenBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => new AttendanceRow(p.PersonId, p.Name, p.Role, p.JoinOrder is not null, p.Present)).ToList();

        var checkIns = (await conn.QueryAsync<(long ObjectiveId, long OwnerId, string OwnerName, string Title, string Visibility, int Progress, string Note, DateTimeOffset At)>(
            new CommandDefinition("""
                SELECT o.id, o.person_id, p.display_name, o.title, o.visibility, k.progress, k.note, k.at
                FROM mentor.objective_checkin k
                JOIN mentor.objective o ON o.id = k.objective_id
                JOIN mentor.person p ON p.id = o.person_id
                WHERE k.session_id = @sessionId AND k.in_session
                ORDER BY k.at, k.id
                """, new { sessionId }, cancellationToken: ct)))
            .Where(r => ObjectiveVisibility.CanSee(personId, who.IsLead, r.OwnerId, r.Visibility))
            .Select(r => new SessionCheckIn(r.ObjectiveId, r.OwnerId, r.OwnerName, r.Title, r.Progress, r.Note, r.At)).ToList();

        var mine = airtime.People.FirstOrDefault(p => p.PersonId == personId)
            ?? new PersonAirtime(personId, state.NameOf(personId), false, TimeSpan.Zero, airtime.FairShare);
        return new SessionSummary(sessionId, circleId, head.CircleName, head.Title, head.TimeZone, status, who.IsLead,
            state.StartedAt, state.EndedAt, attendance, airtime.Items, who.IsLead ? airtime : null, mine, checkIns,
            await notes.ForSessionAsync(sessionId, personId, ct));
    }
}
