using MentorCircles.Core.Agreements;
using MentorCircles.Core.Demo;
using Microsoft.Extensions.Logging.Abstractions;

namespace MentorCircles.IntegrationTests.Agreements;

[Collection(PostgresCollection.Name)]
public sealed class DemoAgreementTests(PostgresFixture postgres) : DatabaseTest(postgres)
{
    private DemoSeeder Seeder => new(Db, Clock, NullLogger<DemoSeeder>.Instance);

    [Fact]
    public async Task Each_demo_circle_starts_with_version_1_of_its_template_written_by_the_coordinator()
    {
        await Seeder.SeedAsync(Ct);
        await Seeder.SeedAsync(Ct);   // a second start adds nothing

        foreach (var (circle, template) in new[] { ("New Faculty Launch Group", "group"), ("Research Writing Peer Circle", "peer"), ("Teaching Portfolio Pair", "one_to_one") })
        {
            Assert.Equal(AgreementTemplates.Text(template), await ScalarAsync<string>("""
                SELECT string_agg(v.body, '|') FROM mentor.agreement_version v JOIN mentor.circle c ON c.id = v.circle_id
                JOIN mentor.person p ON p.id = v.created_by
                WHERE c.name = @circle AND v.version = 1 AND v.reason = 'created' AND p.email = @CoordinatorEmail
                """, new { circle, DemoSeeder.CoordinatorEmail }));
        }
        Assert.Equal(3L, await ScalarAsync<long>("SELECT count(*) FROM mentor.agreement_version"));
    }

    [Fact]
    public async Task Every_demo_member_but_Priya_Grace_and_Elena_has_accepted_with_their_name()
    {
        await Seeder.SeedAsync(Ct);

        var notAccepted = await ScalarAsync<string>("""
            SELECT string_agg(p.email, ',' ORDER BY p.email) FROM mentor.membership m JOIN mentor.person p ON p.id = m.person_id
            WHERE NOT EXISTS (SELECT 1 FROM mentor.agreement_acceptance a WHERE a.person_id = m.person_id)
            """);
        Assert.Equal("elena.petrova@example.org,grace.thompson@example.org,priya.raman@example.org", notAccepted);
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM mentor.agreement_acceptance a JOIN mentor.person p ON p.id = a.person_id WHERE a.signed_name <> p.display_name
            """));
        Assert.Equal(15L, await ScalarAsync<long>("SELECT count(*) FROM mentor.agreement_acceptance"));
    }

    [Fact]
    public async Task The_demo_group_and_peer_circles_ask_for_re_acceptance_when_someone_joins_and_the_pair_does_not()
    {
        await Seeder.SeedAsync(Ct);

        Assert.Equal("New Faculty Launch Group,Research Writing Peer Circle",
            await ScalarAsync<string>("SELECT string_agg(name, ',' ORDER BY name) FROM mentor.circle WHERE reaccept_on_join"));
    }
}
