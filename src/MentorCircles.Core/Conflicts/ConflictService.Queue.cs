using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using MentorCircles.Core.Common;
using MentorCircles.Core.Programs;
using Npgsql;

namespace MentorCircles.Core.Conflicts;

/// <summary>
/// One conflict as the coordinator's queue shows it: names, circles and times, never ids or confidential content.
/// <see cref="Sessions"/> are the sessions it is about (two for a double booking), the main one first.
/// </summary>
public sealed record ConflictQueueItem(
    long Id, string Kind, string Status, IReadOnlyList<ConflictSessionInfo> Sessions, IReadOnlyList<string> People,
    string Summary, DateTimeOffset DetectedAt, DateTimeOffset? ClosedAt)
{
    public string KindLabel => ConflictText.KindLabel(Kind);
    public string StatusLabel => ConflictText.StatusLabel(Status);
    public bool IsOpen => Status == "open";
    public string Circles => ConflictText.Join(Sessions.Select(s => s.CircleName).Distinct().ToList());
    public string PeopleText => People.Count == 0 ? "—" : string.Join(", ", People);
    /// <summary>Who resolved it, how (in words) and their note; null unless resolved.</summary>
    public string? ResolvedBy { get; init; }
    public string? Resolution { get; init; }
    public string? Note { get; init; }
}

public sealed record ConflictQueuePage(IReadOnlyList<ConflictQueueItem> Items, int Total);

public sealed record ConflictCircleChoice(long Id, string Name);

/// <summary>What the queue page needs once: the program's name, the coordinator's zone and the circles to filter by.</summary>
public sealed record ConflictQueueSetup(long ProgramId, string ProgramName, string TimeZone, IReadOnlyList<ConflictCircleChoice> Circles);

/// <summary>A suggested resolution with the words on its button (names and times in the coordinator's zone).</summary>
public sealed record ConflictSuggestion(ConflictResolution Resolution, string Text);

public sealed partial class ConflictService
{
    public const int MaxQueuePage = 200;

    public async Task<ConflictQueueSetup> QueueSetupAsync(long programId, long coordinatorId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await RequireCoordinatorAsync(conn, programId, coordinatorId, ct);
        var (name, zone, circles) = await ConflictStore.QueueSetupAsync(conn, programId, coordinatorId, ct);
        return new(programId, name, zone, circles.Select(c => new ConflictCircleChoice(c.Id, c.Name)).ToList());
    }

    /// <summary>
    /// One page of the queue, described for <paramref name="coordinatorId"/> (times in their zone). Four statements in
    /// three round trips whatever the page size: the page with its count, its sessions, and the names of its people.
    /// </summary>
    public async Task<ConflictQueuePage> QueueAsync(long programId, long coordinatorId, ConflictQueueFilter filter, int skip, int take, CancellationToken ct)
    {
        if (filter.Status is not (null or "open" or "resolved" or "closed"))
            throw new InvalidInputException("Status", "Choose open, resolved, closed automatically or all.");
        if (filter.Kind is not null && ConflictText.Kinds.All(k => k.Kind != filter.Kind))
            throw new InvalidInputException("Kind", "Choose one of the kinds of conflict offered.");
        if (filter.PersonName is { Length: > 200 })
            throw new InvalidInputException("PersonName", "A name to search for can be at most 200 characters.");
        skip = Math.Max(skip, 0);
        take = Math.Clamp(take, 1, MaxQueuePage);

        await using var conn = await db.OpenConnectionAsync(ct);
        await RequireCoordinatorAsync(conn, programId, coordinatorId, ct);
        var zone = await conn.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT time_zone FROM mentor.person WHERE id = @coordinatorId", new { coordinatorId }, cancellationToken: ct)) ?? "UTC";
        var (rows, total) = await ConflictStore.QueuePageAsync(conn, programId, filter, skip, take, ct);
        var resolutions = rows.ToDictionary(r => r.Id, r => StoredResolution.Parse(r.Resolution));
        var sessions = await ConflictStore.SessionsAsync(conn, rows.SelectMany(r => r.SessionIds).Distinct().ToArray(), ct);
        var personIds = rows.SelectMany(r => r.PersonIds)
            .Concat(rows.Where(r => r.ResolvedBy is not null).Select(r => r.ResolvedBy!.Value))
            .Concat(resolutions.Values.Where(r => r?.PersonId is not null).Select(r => r!.PersonId!.Value))
            .Distinct().ToArray();
        var names = await ConflictStore.NamesAsync(conn, personIds, ct);
        string Name(long id) => names.TryGetValue(id, out var n) ? n : "a former member";

        var items = rows.Select(r =>
        {
            // The main session first, then any other (the second of a double booking).
            var mine = r.SessionIds.OrderBy(id => id == r.SessionId ? 0 : 1)
                .Where(sessions.ContainsKey).Select(id => sessions[id]).ToList();
            var people = r.PersonIds.Select(Name).ToList();
            return new ConflictQueueItem(r.Id, r.Kind, r.Status, mine, people, Summary(r, mine, people), r.DetectedAt, r.ClosedAt)
            {
                ResolvedBy = r.ResolvedBy is { } by ? Name(by) : null,
                Resolution = resolutions[r.Id]?.Describe(zone, Name),
                Note = r.Note,
            };
        }).ToList();
        return new(items, total);
    }

    /// <summary>The suggested resolutions of an open conflict, each with the words a coordinator reads on its button.</summary>
    public async Task<IReadOnlyList<ConflictSuggestion>> DescribedSuggestionsAsync(long conflictId, long coordinatorId, CancellationToken ct)
    {
        var suggestions = await SuggestionsAsync(conflictId, coordinatorId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        var zone = await conn.ExecuteScalarAsync<string>(new CommandDefinition(
            "SELECT time_zone FROM mentor.person WHERE id = @coordinatorId", new { coordinatorId }, cancellationToken: ct)) ?? "UTC";
        var names = await ConflictStore.NamesAsync(conn, suggestions.Where(s => s.PersonId is not null).Select(s => s.PersonId!.Value).Distinct().ToArray(), ct);
        var sessions = await ConflictStore.SessionsAsync(conn, suggestions.Select(s => s.SessionId).Distinct().ToArray(), ct);
        string Name(long? id) => id is { } p && names.TryGetValue(p, out var n) ? n : "another lead";
        return suggestions.Select(s => new ConflictSuggestion(s, s.Kind switch
        {
            ResolutionKind.Move => MoveText(s, zone, sessions.TryGetValue(s.SessionId, out var info) ? info.CircleTimeZone : zone),
            ResolutionKind.Excuse => $"Excuse {Name(s.PersonId)} from this session",
            ResolutionKind.HandOver => $"Hand this session to {Name(s.PersonId)}",
            _ => "Cancel this occurrence",
        })).ToList();
    }

    private static string MoveText(ConflictResolution move, string viewerZone, string circleZone)
    {
        var text = $"Move to {ConflictText.Span(move.NewStart!.Value, move.NewEnd!.Value, viewerZone)}";
        return circleZone == viewerZone ? text : $"{text} ({ConflictText.At(move.NewStart.Value, circleZone)} circle time)";
    }

    private static async Task RequireCoordinatorAsync(NpgsqlConnection conn, long programId, long coordinatorId, CancellationToken ct)
    {
        if (!await ProgramAccess.IsCoordinatorAsync(conn, null, programId, coordinatorId, ct))
            throw new AccessDeniedException("This program does not exist or you are not one of its coordinators.");
    }

    /// <summary>A sentence about the conflict with names; the stored detail is for logs and carries ids.</summary>
    private static string Summary(ConflictQueueRow r, IReadOnlyList<ConflictSessionInfo> sessions, IReadOnlyList<string> people)
    {
        var who = ConflictText.Join(people);
        switch (r.Kind)
        {
            case ConflictKinds.DoubleBooked:
                return $"{who} is expected at {ConflictText.Join(sessions.Select(s => s.CircleName).ToList())} at overlapping times.";
            case ConflictKinds.OutsideAvailability:
                return $"The session is outside {who}'s availability (weekly times, away dates or busy times).";
            case ConflictKinds.NoLeadAvailable:
                return people.Count == 0 ? "Nobody facilitates or mentors this session." : $"None of its leads can come: {who}.";
            case ConflictKinds.QuorumAtRisk:
                var m = Regex.Match(r.Detail, @"Only (\d+) of (\d+) members can come.*; (\d+) (is|are) needed");
                var counts = m.Success ? $"Only {m.Groups[1].Value} of {m.Groups[2].Value} members can come; {m.Groups[3].Value} are needed." : "Too few members can come.";
                return people.Count == 0 ? counts : $"{counts} Cannot come: {who}.";
            case ConflictKinds.AgreementNotAccepted:
                return $"{who} has not accepted the circle's current confidentiality agreement.";
            case ConflictKinds.BlackoutDate:
                return sessions.Count == 0 ? "The session falls on a program blackout date."
                    : $"The session falls on {ConflictRules.LocalDate(sessions[0].StartsAt, sessions[0].CircleTimeZone):d MMMM yyyy}, a program blackout date.";
            default:
                return ConflictText.KindLabel(r.Kind);
        }
    }

    /// <summary>The resolution as ResolveAsync stored it (JSON), read back to be put in words.</summary>
    private sealed record StoredResolution(string Kind, long? PersonId, DateTimeOffset? NewStart, DateTimeOffset? NewEnd)
    {
        public static StoredResolution? Parse(string? json)
        {
            if (string.IsNullOrEmpty(json)) return null;
            try
            {
                var e = JsonDocument.Parse(json).RootElement;
                long? person = e.TryGetProperty("PersonId", out var p) && p.ValueKind == JsonValueKind.Number ? p.GetInt64() : null;
                DateTimeOffset? start = e.TryGetProperty("NewStart", out var s) && s.ValueKind == JsonValueKind.String ? s.GetDateTimeOffset() : null;
                DateTimeOffset? end = e.TryGetProperty("NewEnd", out var x) && x.ValueKind == JsonValueKind.String ? x.GetDateTimeOffset() : null;
                return new(e.TryGetProperty("kind", out var k) ? k.GetString() ?? "" : "", person, start, end);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        public string Describe(string zone, Func<long, string> name) => Kind switch
        {
            nameof(ResolutionKind.Move) when NewStart is { } s && NewEnd is { } e => $"Moved to {ConflictText.Span(s, e, zone)}",
            nameof(ResolutionKind.Excuse) when PersonId is { } p => $"Excused {name(p)} from the session",
            nameof(ResolutionKind.HandOver) when PersonId is { } p => $"Handed the session to {name(p)}",
            nameof(ResolutionKind.Cancel) => "Cancelled the occurrence",
            _ => Kind,
        };
    }
}
