namespace MentorCircles.Web.Components.Pages.Sessions;

/// <summary>Instants shown in a named zone ("Tue 20 Mar 2026, 18:00 (Europe/London)").</summary>
public static class SessionTime
{
    public static DateTimeOffset In(DateTimeOffset instant, string zone) =>
        TimeZoneInfo.ConvertTime(instant, TimeZoneInfo.FindSystemTimeZoneById(zone));

    public static string Format(DateTimeOffset instant, string zone) => $"{In(instant, zone):ddd d MMM yyyy, HH:mm}";

    public static string StatusLabel(string status) => status switch
    {
        "live" => "Live now",
        "scheduled" => "Planned",
        "proposed" => "Proposed",
        "completed" => "Held",
        "cancelled" => "Cancelled",
        _ => status,
    };
}
