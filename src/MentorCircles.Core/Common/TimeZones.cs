namespace MentorCircles.Core.Common;

public sealed record TimeZoneChoice(string Id, string Label);

/// <summary>IANA time zones as the machine knows them; every person and circle stores one.</summary>
public static class TimeZones
{
    private static readonly Lazy<IReadOnlyList<TimeZoneChoice>> all = new(() =>
        TimeZoneInfo.GetSystemTimeZones()
            .Where(z => z.HasIanaId && z.Id.Contains('/') && !z.Id.StartsWith("Etc/", StringComparison.Ordinal))
            .Select(z => z.Id)
            .Append("UTC")
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(id => new TimeZoneChoice(id, Label(id)))
            .ToList());

    public static IReadOnlyList<TimeZoneChoice> All => all.Value;

    public static bool IsValid(string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= 64
        && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var tz) && tz.HasIanaId;

    public static string Label(string id)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var tz)) return id;
        var offset = tz.GetUtcOffset(DateTimeOffset.UtcNow);
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        return $"{id.Replace('_', ' ')} (UTC{sign}{offset:hh\\:mm})";
    }
}
