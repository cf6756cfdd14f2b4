using System.Net;
using Ical.Net;
using MentorCircles.Core.Scheduling;
using MentorCircles.IntegrationTests.Web;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace MentorCircles.IntegrationTests.Scheduling;

[Collection(PostgresCollection.Name)]
public sealed class CalendarFeedEndpointTests(PostgresFixture postgres) : IAsyncLifetime
{
    private AppFactory app = null!;
    private NpgsqlDataSource db = null!;
    private long mo, outsider, moved, cancelled, otherCircleSession;
    private readonly DateTimeOffset start = DateTimeOffset.UtcNow.Date.AddDays(3).AddHours(18);

    public async Task InitializeAsync()
    {
        app = new AppFactory(await postgres.CreateDatabaseAsync("calendar_feed"));
        app.NewClient().Dispose();
        db = app.Services.GetRequiredService<NpgsqlDataSource>();
        var program = await Given.ProgramAsync(db);
        var fran = await Given.PersonAsync(db, program, "fran@example.org");
        mo = await Given.PersonAsync(db, program, "mo@example.org", displayName: "Mo Mentee");
        outsider = await Given.PersonAsync(db, program, "olly@example.org");
        var circle = await Given.CircleAsync(db, program, "Feed circle", (fran, "facilitator"), (mo, "mentee"));
        var other = await Given.CircleAsync(db, program, "Not Mo's circle", (outsider, "peer"), (fran, "facilitator"));
        moved = await Given.SessionAsync(db, circle, start);
        cancelled = await Given.SessionAsync(db, circle, start.AddDays(7));
        otherCircleSession = await Given.SessionAsync(db, other, start);
        await using var conn = await db.OpenConnectionAsync();
        await Dapper.SqlMapper.ExecuteAsync(conn, new Dapper.CommandDefinition("""
            UPDATE mentor.session SET starts_at = starts_at + interval '30 minutes', ends_at = ends_at + interval '30 minutes', sequence = 2 WHERE id = @moved;
            UPDATE mentor.session SET status = 'cancelled', sequence = 1 WHERE id = @cancelled;
            UPDATE mentor.circle SET meeting_place = 'Library, room 4' WHERE id = @circle;
            """, new { moved, cancelled, circle }));
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task Calendar_feed_is_fetched_with_its_token_and_lists_the_persons_sessions_with_cancellations()
    {
        var feeds = app.Services.GetRequiredService<CalendarFeedService>();
        var token = await feeds.ResetTokenAsync(mo, CancellationToken.None);
        using var client = app.NewClient();   // no cookie: calendar apps have none

        var response = await client.GetAsync(CalendarFeedService.PathFor(token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        var calendar = Ical.Net.Calendar.Load(await response.Content.ReadAsStringAsync())!;
        var events = calendar.Events.OrderBy(e => e.DtStart!.AsUtc).ToList();
        Assert.Equal([CalendarFeed.Uid(moved), CalendarFeed.Uid(cancelled)], events.Select(e => e.Uid));
        Assert.DoesNotContain(events, e => e.Uid == CalendarFeed.Uid(otherCircleSession));

        var m = events[0];
        Assert.Equal(2, m.Sequence);
        Assert.Equal(start.AddMinutes(30).UtcDateTime, m.DtStart!.AsUtc);
        Assert.Equal(start.AddMinutes(90).UtcDateTime, m.DtEnd!.AsUtc);
        Assert.Equal(EventStatus.Confirmed, m.Status);
        Assert.Equal("Library, room 4", m.Location);
        var c = events[1];
        Assert.Equal(1, c.Sequence);
        Assert.Equal(EventStatus.Cancelled, c.Status);

        await using var conn = await db.OpenConnectionAsync();
        await using var query = new NpgsqlCommand("SELECT encode(token_hash, 'hex') FROM mentor.calendar_feed WHERE person_id = $1", conn);
        query.Parameters.Add(new NpgsqlParameter { Value = mo });
        var hash = await query.ExecuteScalarAsync();
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token))), hash);
    }

    [Fact]
    public async Task A_reset_token_makes_the_old_address_404_and_an_unknown_token_is_404()
    {
        var feeds = app.Services.GetRequiredService<CalendarFeedService>();
        var old = await feeds.ResetTokenAsync(mo, CancellationToken.None);
        var fresh = await feeds.ResetTokenAsync(mo, CancellationToken.None);
        using var client = app.NewClient();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(CalendarFeedService.PathFor(old))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(CalendarFeedService.PathFor(fresh))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/calendar/not-a-token.ics")).StatusCode);
    }
}
