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

    private static readonly Lazy<HashSet<string>> ids = new(() => all.Value.Select(z => z.Id).ToHashSet(StringComparer.Ordinal));

    public static IReadOnlyList<TimeZoneChoice> All => all.Value;

    /// <summary>Only the canonical ids the pickers offer (not aliases such as US/Pacific or EST), spelled exactly.</summary>
    public static bool IsValid(string? id) => !string.IsNullOrWhiteSpace(id) && id.Length <= 64 && ids.Value.Contains(id);

    public static string Label(string id)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var tz)) return id;
        var offset = tz.GetUtcOffset(DateTimeOffset.UtcNow);
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        return $"{id.Replace('_', ' ')} (UTC{sign}{offset:hh\\:mm})";
    }
}
