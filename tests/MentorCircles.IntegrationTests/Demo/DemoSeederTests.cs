using MentorCircles.Core.Accounts;
using MentorCircles.Core.Circles;
using MentorCircles.Core.Demo;
using MentorCircles.Core.Programs;
using Microsoft.Extensions.Logging.Abstractions;

namespace MentorCircles.IntegrationTests.Demo;

[Collection(PostgresCollection.Name)]
public sealed class DemoSeederTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    private DemoSeeder Seeder => new(Db, Clock, NullLogger<DemoSeeder>.Instance);
    private AccountService Accounts => new(Db, new AccountStore(Db), new AccountOptions(), Clock);
    private ProgramService Programs => new(Db, new CircleStore(Db), Accounts, Clock);

    [Fact]
    public async Task The_demo_is_seeded_once_only()
    {
        Assert.True(await Seeder.SeedAsync(Ct));
        Assert.False(await Seeder.SeedAsync(Ct));

        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM mentor.program"));
        Assert.Equal(19L, await ScalarAsync<long>("SELECT count(*) FROM mentor.person"));
        Assert.Equal(3L, await ScalarAsync<long>("SELECT count(*) FROM mentor.circle"));
    }

    [Fact]
    public async Task The_demo_program_has_three_circles_of_eight_eight_and_two()
    {
        await Seeder.SeedAsync(Ct);
        var coordinatorId = await CoordinatorIdAsync();
        var program = Assert.Single(await Programs.ForCoordinatorAsync(coordinatorId, Ct));

        var circles = await Programs.CirclesAsync(program.Id, coordinatorId, Ct);

        Assert.Equal("Junior Faculty Mentoring", program.Name);
        Assert.Equal(
            [("New Faculty Launch Group", "group", 8), ("Research Writing Peer Circle", "facilitated_peer", 8), ("Teaching Portfolio Pair", "one_to_one", 2)],
            circles.Select(c => (c.Name, c.Format, c.MemberCount)));
    }

    [Fact]
    public async Task The_demo_term_starts_on_todays_date_in_UTC_and_lasts_twelve_weeks()
    {
        await Seeder.SeedAsync(Ct);

        var program = Assert.Single(await Programs.ForCoordinatorAsync(await CoordinatorIdAsync(), Ct));

        // The clock says 20:00 UTC on 9 March, already 10 March in the database server's zone.
        Assert.Equal(new DateOnly(2026, 3, 9), program.TermStart);
        Assert.Equal(new DateOnly(2026, 5, 31), program.TermEnd);
    }

    [Fact]
    public async Task The_demo_people_are_active_and_spread_over_several_time_zones()
    {
        await Seeder.SeedAsync(Ct);
        var coordinatorId = await CoordinatorIdAsync();
        var program = Assert.Single(await Programs.ForCoordinatorAsync(coordinatorId, Ct));

        var people = await Programs.PeopleAsync(program.Id, coordinatorId, Ct);

        Assert.Equal(19, people.Count);
        Assert.All(people, p => Assert.Equal("active", p.Status));
        Assert.True(people.Select(p => p.TimeZone).Distinct().Count() >= 3, string.Join(", ", people.Select(p => p.TimeZone).Distinct()));
        Assert.Equal(DemoSeeder.CoordinatorEmail, Assert.Single(people, p => p.Role == "coordinator").Email);
    }

    [Fact]
    public async Task The_demo_coordinator_signs_in_with_the_demo_password()
    {
        await Seeder.SeedAsync(Ct);

        var result = await Accounts.SignInAsync(DemoSeeder.CoordinatorEmail, DemoSeeder.Password, Ct);

        Assert.Equal(SignInStatus.Success, result.Status);
        Assert.True(result.Person?.IsCoordinator);
        Assert.Equal("Dana Whitfield", result.Person?.DisplayName);
    }

    private Task<long> CoordinatorIdAsync() =>
        ScalarAsync<long>("SELECT id FROM mentor.person WHERE email = @CoordinatorEmail", new { DemoSeeder.CoordinatorEmail });
}
