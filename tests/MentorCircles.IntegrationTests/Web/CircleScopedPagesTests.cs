using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using MentorCircles.IntegrationTests.Objectives;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace MentorCircles.IntegrationTests.Web;

/// <summary>
/// Every routed page whose address names a circle (found by reflection, so a new page is covered the day it is added)
/// is fetched as the server prerenders it, by a signed-out visitor, by someone of the program outside the circle and by
/// a member who has not accepted the current agreement. None of them may see what is said or shared in the circle.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed partial class CircleScopedPagesTests(PostgresFixture postgres) : IAsyncLifetime
{
    private const string CircleName = "Zephyr Secret Circle";
    private const string MemberName = "Quentin Confidant";
    private const string ObjectiveTitle = "Zephyr objective title";
    private const string ObjectiveWhy = "Zephyr private reason";
    private const string AgreementText = "Zephyr agreement clause";
    private const string MeetingPlace = "Zephyr room 42";
    private AppFactory app = null!;
    private const string PrivateNote = "Zephyr private note";
    private long circleId, objectiveId, sessionId;

    public static TheoryData<string> CircleRoutes()
    {
        var data = new TheoryData<string>();
        foreach (var t in typeof(Program).Assembly.GetTypes())
            foreach (RouteAttribute r in t.GetCustomAttributes(typeof(RouteAttribute), inherit: false))
                if (r.Template.Contains("{CircleId", StringComparison.Ordinal)) data.Add(r.Template);
        return data;
    }

    [Fact]
    public void The_circle_pages_known_today_are_all_found()
    {
        var routes = CircleRoutes().Cast<object[]>().Select(r => (string)r[0]).ToList();
        foreach (var expected in new[] { "/circles/{CircleId:long}", "/circles/{CircleId:long}/agreement", "/circles/{CircleId:long}/objectives",
                                         "/circles/{CircleId:long}/objectives/{ObjectiveId:long}", "/circles/{CircleId:long}/members",
                                         "/circles/{CircleId:long}/sessions", "/circles/{CircleId:long}/sessions/{SessionId:long}",
                                         "/circles/{CircleId:long}/sessions/{SessionId:long}/room", "/circles/{CircleId:long}/sessions/{SessionId:long}/summary",
                                         "/circles/{CircleId:long}/availability" })
            Assert.Contains(expected, routes);
    }

    public async Task InitializeAsync()
    {
        app = new AppFactory(await postgres.CreateDatabaseAsync("circle_pages"));
        app.NewClient().Dispose();
        var db = app.Services.GetRequiredService<Npgsql.NpgsqlDataSource>();
        var program = await Given.ProgramAsync(db);
        var insider = await Given.PersonAsync(db, program, "insider@example.org", displayName: MemberName);
        var unsigned = await Given.PersonAsync(db, program, "unsigned@example.org", displayName: "Una Unsigned");
        var outsider = await Given.PersonAsync(db, program, "outsider@example.org", displayName: "Otto Outsider");
        circleId = await Given.CircleAsync(db, program, CircleName, (insider, "mentee"), (unsigned, "mentee"));
        await Given.CircleAsync(db, program, "Otto's own circle", (outsider, "mentee"));
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE mentor.circle SET meeting_place = @MeetingPlace WHERE id = @circleId;
            INSERT INTO mentor.agreement_version (circle_id, version, body, reason) VALUES (@circleId, 1, @AgreementText, 'created');
            """, new { circleId, MeetingPlace, AgreementText }));
        await ObjectiveGiven.AgreementAcceptedByAsync(db, circleId, insider);
        objectiveId = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO mentor.objective (circle_id, person_id, title, why, visibility) VALUES (@circleId, @insider, @ObjectiveTitle, @ObjectiveWhy, 'circle') RETURNING id
            """, new { circleId, insider, ObjectiveTitle, ObjectiveWhy }));
        // A live session whose room, notes and summary are circle content too; the member's private note must never leak.
        sessionId = await app.Services.GetRequiredService<MentorCircles.Core.Sessions.SessionService>().StartNowAsync(circleId, insider, CancellationToken.None);
        await app.Services.GetRequiredService<MentorCircles.Core.Sessions.SessionNotesService>().SaveMyNoteAsync(sessionId, insider, PrivateNote, CancellationToken.None);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private string Url(string template) =>
        Param().Replace(template, m => m.Groups[1].Value switch
        {
            "CircleId" => circleId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "ObjectiveId" => objectiveId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "SessionId" => sessionId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            var other => throw new InvalidOperationException($"The test does not know how to fill {{{other}}} in {template}: add it here."),
        });

    private static void AssertNothingShared(string html, string who, string url, bool mayKnowTheCircle, bool mayReadTheAgreement)
    {
        var secrets = new List<string> { MemberName, ObjectiveTitle, ObjectiveWhy, MeetingPlace, PrivateNote };
        if (!mayKnowTheCircle) secrets.Add(CircleName);
        if (!mayReadTheAgreement) secrets.Add(AgreementText);
        foreach (var secret in secrets)
            Assert.False(html.Contains(secret, StringComparison.Ordinal), $"{url} shows '{secret}' to {who}.");
    }

    [Theory]
    [MemberData(nameof(CircleRoutes))]
    public async Task A_signed_out_visitor_is_sent_to_sign_in_and_sees_nothing(string template)
    {
        using var client = app.NewClient();
        var url = Url(template);
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery(client));
        AssertNothingShared(await response.Content.ReadAsStringAsync(), "a signed-out visitor", url, mayKnowTheCircle: false, mayReadTheAgreement: false);
    }

    [Theory]
    [MemberData(nameof(CircleRoutes))]
    public async Task Someone_outside_the_circle_sees_nothing_of_it(string template)
    {
        using var client = app.NewClient();
        await AppFactory.SignInAsync(client, "outsider@example.org", Given.Password);
        var url = Url(template);
        var html = await client.GetStringAsync(url);
        AssertNothingShared(html, "a non-member", url, mayKnowTheCircle: false, mayReadTheAgreement: false);
        Assert.Contains("not available", html);
    }

    [Theory]
    [MemberData(nameof(CircleRoutes))]
    public async Task A_member_who_has_not_accepted_the_agreement_sees_only_its_name_and_the_agreement(string template)
    {
        using var client = app.NewClient();
        await AppFactory.SignInAsync(client, "unsigned@example.org", Given.Password);
        var url = Url(template);
        var html = await client.GetStringAsync(url);
        AssertNothingShared(html, "a member without acceptance", url, mayKnowTheCircle: true, mayReadTheAgreement: true);
    }

    [Theory]
    [MemberData(nameof(CircleRoutes))]
    public async Task A_member_who_accepted_reaches_every_page_meant_for_members(string template)
    {
        using var client = app.NewClient();
        await AppFactory.SignInAsync(client, "insider@example.org", Given.Password);
        var response = await client.GetAsync(Url(template));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        if (!template.EndsWith("/members", StringComparison.Ordinal))   // the members page is for coordinators
            Assert.Contains(CircleName, html);
    }

    [GeneratedRegex(@"\{(\w+)(:\w+)?\}")]
    private static partial Regex Param();
}
