using MentorCircles.Core.Scheduling;

namespace MentorCircles.Web.Api;

/// <summary>The private calendar feed: the secret token in the address is the only key, so calendar apps need no cookie.</summary>
public static class CalendarEndpoints
{
    public static void MapCalendarEndpoints(this WebApplication app) =>
        app.MapGet("/calendar/{token}.ics", async (string token, CalendarFeedService feeds, HttpContext http, CancellationToken ct) =>
        {
            var ics = await feeds.FeedAsync(token, ct);
            if (ics is null) return Results.NotFound();
            // The address is a secret: keep it out of shared caches and referrers.
            http.Response.Headers.CacheControl = "private, no-store";
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            return Results.Text(ics, "text/calendar; charset=utf-8");
        }).AllowAnonymous();
}
