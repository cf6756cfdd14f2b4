using Dapper;
using MentorCircles.Core.Circles;
using MentorCircles.Core.Common;
using Npgsql;

namespace MentorCircles.Core.Scheduling;

/// <summary>A person's own availability, as they edit it: weekly windows in <see cref="TimeZone"/>, away dates and busy times.</summary>
public sealed record MyAvailability(
    string TimeZone, string ZoneLabel, IReadOnlyList<AvailabilityWindow> Windows, IReadOnlyList<AwayRange> Away,
    IReadOnlyList<BusyRange> ManualBusy, int ImportedBusyCount);

/// <summary>A circle's week seen by one member in their own zone; <see cref="Names"/> names everyone the grid counts.</summary>
public sealed record CircleHeatmap(
    CircleAccessInfo Access, string CircleName, AvailabilityWeekGrid Grid, IReadOnlyDictionary<long, string> Names);

/// <summary>
/// Saves availability (each kind replaced whole, in one transaction, after the pure rules accept it) and shows a circle's
/// members' weekly availability in the viewer's zone. The heatmap is circle content, so it asks <see cref="CircleAccess"/>.
/// Every save tells <see cref="SessionChanges"/> (optional so tests can build the service without Hangfire) so the
/// person's conflicts are checked again.
/// </summary>
public sealed class AvailabilityService(NpgsqlDataSource db, CircleAccess access, TimeProvider clock, SessionChanges? changes = null)
{
    /// <summary>How far ahead an .ics import reads busy times.</summary>
    public static readonly TimeSpan ImportAhead = TimeSpan.FromDays(120);

    public async Task<MyAvailability> GetMineAsync(long personId, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var zone = await AvailabilityStore.ZoneAsync(conn, personId, ct);
        var windows = await AvailabilityStore.WindowsAsync(conn, [personId], ct);
        var away = await AvailabilityStore.AwayAsync(conn, [personId], ct);
        var busy = await AvailabilityStore.BusyAsync(conn, personId, ct);
        var weekStart = MondayOf(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        var label = TimeZones.IsValid(zone) ? AvailabilityGrid.ForWeek([], weekStart, zone).ZoneLabel : zone;
        return new(zone, label, windows.Where(w => w.PersonId == personId).Select(w => w.Window).ToList(),
            away.Where(a => a.PersonId == personId).Select(a => a.Range).ToList(),
            busy.Where(b => b.Source == "manual").Select(b => b.Range).ToList(), busy.Count(b => b.Source == "ics"));
    }

    /// <summary>Replaces all weekly windows; inverted or overlapping windows, or a zone we do not know, save nothing.</summary>
    public async Task<IReadOnlyList<AvailabilityWindow>> SaveWeeklyAsync(long personId, IReadOnlyList<AvailabilityWindow> windows, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await RequireKnownZoneAsync(conn, personId, ct);
        var normal = AvailabilityRules.NormalizeWeekly(windows);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await AvailabilityStore.ReplaceWindowsAsync(conn, tx, personId, normal, ct);
        await tx.CommitAsync(ct);
        changes?.Person(personId);
        return normal;
    }

    /// <summary>Replaces all away periods.</summary>
    public async Task<IReadOnlyList<AwayRange>> SaveAwayAsync(long personId, IReadOnlyList<AwayRange> ranges, CancellationToken ct)
    {
        var normal = AvailabilityRules.NormalizeAway(ranges);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await AvailabilityStore.ReplaceAwayAsync(conn, tx, personId, normal, ct);
        await tx.CommitAsync(ct);
        changes?.Person(personId);
        return normal;
    }

    /// <summary>Replaces the busy times entered by hand; imported ones stay.</summary>
    public async Task<IReadOnlyList<BusyRange>> SaveManualBusyAsync(long personId, IReadOnlyList<BusyRange> ranges, CancellationToken ct)
    {
        var normal = AvailabilityRules.NormalizeBusy(ranges);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await AvailabilityStore.ReplaceBusyAsync(conn, tx, personId, "manual", normal, ct);
        await tx.CommitAsync(ct);
        changes?.Person(personId);
        return normal;
    }

    /// <summary>
    /// Reads busy times from an .ics file for the next <see cref="ImportAhead"/> and replaces the earlier import with them.
    /// A file over the limit or one that cannot be read is refused with <see cref="IcsImport"/>'s message and saves nothing.
    /// </summary>
    public async Task<IcsImportResult> ImportIcsAsync(long personId, Stream ics, CancellationToken ct)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        var zone = await RequireKnownZoneAsync(conn, personId, ct);
        // Uploads can only be read asynchronously; copy at most one byte past the limit and say what IcsImport says of an upload over the limit.
        var copy = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (copy.Length <= IcsImport.MaxBytes
               && (read = await ics.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, IcsImport.MaxBytes + 1 - copy.Length)), ct)) > 0)
            copy.Write(chunk, 0, read);
        if (copy.Length > IcsImport.MaxBytes)
            throw new InvalidInputException("File", "The calendar file is over 2 MB; the limit is 2 MB.");
        copy.Position = 0;
        var now = clock.GetUtcNow();
        var from = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var result = IcsImport.ReadBusy(copy, from, from + ImportAhead, zone);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await AvailabilityStore.ReplaceBusyAsync(conn, tx, personId, "ics", AvailabilityRules.NormalizeBusy(result.Busy), ct);
        await tx.CommitAsync(ct);
        changes?.Person(personId);
        return result;
    }

    /// <summary>The circle's current members' weekly availability for the week from <paramref name="weekStart"/> (a Monday), in the viewer's zone.</summary>
    public async Task<CircleHeatmap> CircleHeatmapAsync(long circleId, long viewerId, DateOnly weekStart, CancellationToken ct)
    {
        var who = await access.RequireContentAsync(circleId, viewerId, ct);
        await using var conn = await db.OpenConnectionAsync(ct);
        var viewerZone = await AvailabilityStore.ZoneAsync(conn, viewerId, ct);
        var (name, members) = await AvailabilityStore.CircleMembersAsync(conn, circleId, ct);
        var ids = members.Select(m => m.Id).ToArray();
        var windows = (await AvailabilityStore.WindowsAsync(conn, ids, ct)).ToLookup(w => w.PersonId, w => w.Window);
        var away = (await AvailabilityStore.AwayAsync(conn, ids, ct)).ToLookup(a => a.PersonId, a => a.Range);
        var people = members
            .Select(m => (m.Id, m.TimeZone, (IReadOnlyList<AvailabilityWindow>)windows[m.Id].ToList(), (IReadOnlyList<AwayRange>)away[m.Id].ToList()))
            .ToList();
        var grid = AvailabilityGrid.ForWeek(people, weekStart, viewerZone);
        return new(who, name, grid, members.ToDictionary(m => m.Id, m => m.DisplayName));
    }

    /// <summary>The Monday on or before <paramref name="day"/>.</summary>
    public static DateOnly MondayOf(DateOnly day) => day.AddDays(-AvailabilityRules.DayIndex(day.DayOfWeek));

    private static async Task<string> RequireKnownZoneAsync(NpgsqlConnection conn, long personId, CancellationToken ct)
    {
        var zone = await AvailabilityStore.ZoneAsync(conn, personId, ct);
        if (!TimeZones.IsValid(zone))
            throw new InvalidInputException("TimeZone", $"Your time zone \"{zone}\" is not one we know; choose a time zone before saving availability.");
        return zone;
    }
}
