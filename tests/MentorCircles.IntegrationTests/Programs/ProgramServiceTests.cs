using MentorCircles.Core.Accounts;
using MentorCircles.Core.Circles;
using MentorCircles.Core.Common;
using MentorCircles.Core.Programs;

namespace MentorCircles.IntegrationTests.Programs;

[Collection(PostgresCollection.Name)]
public sealed class ProgramServiceTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    private long programId;
    private long coordinatorId;
    private long participantId;
    private long otherCoordinatorId;

    private AccountService Accounts => new(Db, new AccountStore(Db), new AccountOptions(), Clock);
    private ProgramService Programs => new(Db, new CircleStore(Db), Accounts, Clock);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        programId = await Given.ProgramAsync(Db);
        coordinatorId = await Given.CoordinatorAsync(Db, programId);
        participantId = await Given.PersonAsync(Db, programId, "eve.mwangi@example.org", displayName: "Eve Mwangi", timeZone: "Africa/Nairobi");
        var invitedId = await Given.PersonAsync(Db, programId, "fay.nguyen@example.org", activated: false, displayName: "Fay Nguyen", timeZone: "Asia/Ho_Chi_Minh");
        await Given.CircleAsync(Db, programId, "Writing Circle", (participantId, "mentee"), (invitedId, "mentor"));
        await Given.CircleAsync(Db, programId, "Grant Clinic", (participantId, "peer"));

        var otherProgramId = await Given.ProgramAsync(Db, "Another Program");
        otherCoordinatorId = await Given.CoordinatorAsync(Db, otherProgramId, "other.coordinator@example.org");
        await Given.PersonAsync(Db, otherProgramId, "gus.other@example.org", displayName: "Gus Other");
    }

    [Fact]
    public async Task A_participant_is_refused_the_people_the_circles_and_adding_people()
    {
        await AssertRefusedAsync(participantId);
    }

    [Fact]
    public async Task A_coordinator_of_another_program_is_refused_the_people_the_circles_and_adding_people()
    {
        await AssertRefusedAsync(otherCoordinatorId);
    }

    [Fact]
    public async Task A_coordinator_sees_the_people_of_the_program_with_role_status_and_circle_count()
    {
        await ExecuteAsync("UPDATE mentor.person SET locked_until = @until WHERE id = @participantId",
            new { until = Clock.GetUtcNow().AddMinutes(5), participantId });

        var people = await Programs.PeopleAsync(programId, coordinatorId, Ct);

        Assert.Equal(
            [
                ("Cora Ordinator", "coordinator", "active", 0),
                ("Eve Mwangi", "participant", "locked", 2),
                ("Fay Nguyen", "participant", "invited", 1),
            ],
            people.Select(p => (p.DisplayName, p.Role, p.Status, p.CircleCount)));
    }

    [Fact]
    public async Task A_coordinator_sees_the_circles_of_the_program_with_current_member_counts()
    {
        await ExecuteAsync("UPDATE mentor.membership SET left_at = now() WHERE person_id = @participantId AND role = 'peer'", new { participantId });

        var circles = await Programs.CirclesAsync(programId, coordinatorId, Ct);

        Assert.Equal([("Grant Clinic", 0), ("Writing Circle", 2)], circles.Select(c => (c.Name, c.MemberCount)));
    }

    [Fact]
    public async Task A_coordinator_sees_the_program_with_its_term_and_counts()
    {
        var program = await Programs.GetAsync(programId, coordinatorId, Ct);

        Assert.Equal(
            new ProgramSummary(programId, "Early Career Mentoring", "Europe/London", new DateOnly(2026, 1, 12), new DateOnly(2026, 4, 5), 2, 3),
            program);
    }

    [Fact]
    public async Task A_person_a_coordinator_adds_is_listed_as_invited()
    {
        var created = await Programs.AddPersonAsync(programId, coordinatorId, new NewPerson("Hana Sato", "hana.sato@example.org", "Asia/Tokyo"), Ct);

        var hana = Assert.Single(await Programs.PeopleAsync(programId, coordinatorId, Ct), p => p.Id == created.PersonId);
        Assert.Equal(("Hana Sato", "hana.sato@example.org", "Asia/Tokyo", "participant", "invited"), (hana.DisplayName, hana.Email, hana.TimeZone, hana.Role, hana.Status));
    }

    private async Task AssertRefusedAsync(long actorId)
    {
        var people = await ScalarAsync<long>("SELECT count(*) FROM mentor.person");

        await Assert.ThrowsAsync<AccessDeniedException>(() => Programs.PeopleAsync(programId, actorId, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Programs.CirclesAsync(programId, actorId, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Programs.GetAsync(programId, actorId, Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            Programs.AddPersonAsync(programId, actorId, new NewPerson("Mallory", "mallory@example.org", "Europe/Paris"), Ct));
        await Assert.ThrowsAsync<AccessDeniedException>(() => Programs.NewInvitationAsync(programId, actorId, participantId, Ct));
        Assert.Equal(people, await ScalarAsync<long>("SELECT count(*) FROM mentor.person"));
    }
}
