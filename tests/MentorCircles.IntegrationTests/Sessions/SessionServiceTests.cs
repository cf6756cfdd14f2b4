using MentorCircles.Core.Circles;
using MentorCircles.Core.Common;
using MentorCircles.Core.Live;
using MentorCircles.Core.Sessions;
using MentorCircles.IntegrationTests.Objectives;

namespace MentorCircles.IntegrationTests.Sessions;

[Collection(PostgresCollection.Name)]
public sealed class SessionServiceTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    private long circle, fran, mo, pat, outsider;
    private SessionService Sessions => new(Db, new CircleAccess(Db), Clock);
    private SessionNotesService Notes => new(Db, new CircleAccess(Db), Clock);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var program = await Given.ProgramAsync(Db);
        fran = await Given.PersonAsync(Db, program, "fran@example.org", displayName: "Fran Facilitator");
        mo = await Given.PersonAsync(Db, program, "mo@example.org", displayName: "Mo Mentee");
        pat = await Given.PersonAsync(Db, program, "pat@example.org", displayName: "Pat Mentee");
        outsider = await Given.PersonAsync(Db, program, "olly@example.org", displayName: "Olly Outsider");
        circle = await Given.CircleAsync(Db, program, "Session circle", (fran, "facilitator"), (mo, "mentee"), (pat, "mentee"));
        await ObjectiveGiven.AgreementAcceptedByAsync(Db, circle, fran, mo, pat);
    }

    [Fact]
    public async Task Start_now_opens_a_live_room_with_the_group_template_and_a_second_press_joins_it()
    {
        var first = await Sessions.StartNowAsync(circle, fran, Ct);
        var second = await Sessions.StartNowAsync(circle, fran, Ct);

        Assert.Equal(first, second);
        var plan = await Sessions.GetPlanAsync(first, fran, Ct);
        Assert.Equal("live", plan.Session.Status);
        Assert.Equal(AgendaRules.BuiltInTemplate("group").Select(t => (t.Kind, t.Title, t.Minutes)),
            plan.Agenda.Select(a => (a.Kind, a.Title, a.Minutes)));
        var setup = RoomSetup.FromJson(await ScalarAsync<string>("SELECT room_setup::text FROM mentor.session WHERE id = @first", new { first }));
        Assert.Equal([fran, mo, pat], setup.Members.Select(m => m.PersonId).Order());
        Assert.Equal(RoomRole.Facilitator, setup.Members.Single(m => m.PersonId == fran).Role);
    }

    [Fact]
    public async Task Only_leads_start_sessions_and_outsiders_learn_nothing()
    {
        await Assert.ThrowsAsync<AccessDeniedException>(() => Sessions.StartNowAsync(circle, mo, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Sessions.StartNowAsync(circle, outsider, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Sessions.ListAsync(circle, outsider, Ct));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM mentor.session"));
    }

    [Fact]
    public async Task A_planned_agenda_is_edited_then_kept_as_the_circles_template()
    {
        var id = await Sessions.PlanAsync(circle, fran, new PlanInput(new DateTime(2026, 3, 20, 18, 0, 0), 60, "March circle"), Ct);
        await Sessions.SaveAgendaAsync(id, fran, [(null, new AgendaStep(AgendaKind.CheckInRound, "Arrivals", 5)),
            (null, new AgendaStep(AgendaKind.OpenDiscussion, "Grant season", 40, mo))], Ct);
        await Sessions.SaveAsCircleTemplateAsync(id, fran, Ct);

        var list = await Sessions.ListAsync(circle, mo, Ct);
        Assert.True(list.TemplateIsCircles);
        Assert.Equal(["Arrivals", "Grant season"], list.Template.Select(t => t.Title));
        // 18:00 in London in March (GMT) is 18:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 20, 18, 0, 0, TimeSpan.Zero), list.Sessions.Single().StartsAt);
    }

    [Fact]
    public async Task Bad_agenda_and_plan_input_is_refused_with_messages_and_nothing_changes()
    {
        var id = await Sessions.PlanAsync(circle, fran, new PlanInput(new DateTime(2026, 3, 20, 18, 0, 0), 60, ""), Ct);
        var before = (await Sessions.GetPlanAsync(id, fran, Ct)).Agenda;

        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => Sessions.SaveAgendaAsync(id, fran,
            [(null, new AgendaStep(AgendaKind.Custom, "", 5)), (null, new AgendaStep(AgendaKind.Break, "Tea", 900))], Ct));
        Assert.Contains(ex.Errors, e => e.Field == "items[0].title");
        Assert.Contains(ex.Errors, e => e.Field == "items[1].minutes" && e.Message.Contains("900"));
        Assert.Equal(before, (await Sessions.GetPlanAsync(id, fran, Ct)).Agenda);

        var past = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Sessions.PlanAsync(circle, fran, new PlanInput(new DateTime(2025, 1, 1, 9, 0, 0), 60, ""), Ct));
        Assert.Contains("in the past", past.Errors.Single().Message);
        // 01:30 on 29 March 2026 does not exist in London.
        var gap = await Assert.ThrowsAsync<InvalidInputException>(() =>
            Sessions.PlanAsync(circle, fran, new PlanInput(new DateTime(2026, 3, 29, 1, 30, 0), 60, ""), Ct));
        Assert.Contains("does not exist", gap.Errors.Single().Message);
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM mentor.session"));
    }

    [Fact]
    public async Task A_proposed_topic_accepted_goes_before_the_closing_round_with_its_proposer_as_owner()
    {
        var id = await Sessions.PlanAsync(circle, fran, new PlanInput(new DateTime(2026, 3, 20, 18, 0, 0), 60, ""), Ct);
        var topic = await Sessions.ProposeTopicAsync(id, mo, "Saying no to committees", "Three asks this month", Ct);
        await Sessions.DecideTopicAsync(id, topic, fran, accept: true, minutes: 15, Ct);

        var plan = await Sessions.GetPlanAsync(id, pat, Ct);
        Assert.Equal("Saying no to committees", plan.Agenda[^2].Title);
        Assert.Equal(mo, plan.Agenda[^2].OwnerId);
        Assert.Equal(AgendaKind.Reflection, plan.Agenda[^1].Kind);
        Assert.Equal("accepted", plan.Topics.Single().Status);
        await Assert.ThrowsAsync<AccessDeniedException>(() => Sessions.DecideTopicAsync(id, topic, mo, true, 10, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Sessions.ProposeTopicAsync(id, outsider, "Hello", "", Ct));
    }

    [Fact]
    public async Task Private_notes_are_read_back_only_for_their_writer()
    {
        var id = await Sessions.StartNowAsync(circle, fran, Ct);
        await Notes.SaveMyNoteAsync(id, mo, "Ask Fran about the grant office", Ct);

        Assert.Equal("Ask Fran about the grant office", await Notes.MyNoteAsync(id, mo, Ct));
        Assert.Equal("", await Notes.MyNoteAsync(id, pat, Ct));
        Assert.Equal("", await Notes.MyNoteAsync(id, fran, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Notes.MyNoteAsync(id, outsider, Ct));
        var tooLong = await Assert.ThrowsAsync<InvalidInputException>(() => Notes.SaveMyNoteAsync(id, mo, new string('x', 20_001), Ct));
        Assert.Contains("20,000", tooLong.Message);
        Assert.Equal("Ask Fran about the grant office", await Notes.MyNoteAsync(id, mo, Ct));
    }

    [Fact]
    public async Task Action_items_show_on_their_owners_home_until_done()
    {
        var id = await Sessions.StartNowAsync(circle, fran, Ct);
        var item = await Notes.AddAsync(id, mo, new ActionItemInput("Email the grants office", new DateOnly(2026, 3, 20), null), Ct);

        Assert.Equal(["Email the grants office"], (await Notes.MyOpenAsync(mo, Ct)).Select(a => a.Title));
        Assert.Empty(await Notes.MyOpenAsync(pat, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Notes.SetDoneAsync(item, pat, true, Ct));
        await Notes.SetDoneAsync(item, mo, true, Ct);
        Assert.Empty(await Notes.MyOpenAsync(mo, Ct));
        var bad = await Assert.ThrowsAsync<InvalidInputException>(() => Notes.AddAsync(id, mo, new ActionItemInput(" ", new DateOnly(2020, 1, 1), 999_999), Ct));
        Assert.Equal(["title", "due", "objective"], bad.Errors.Select(e => e.Field));
    }
}
