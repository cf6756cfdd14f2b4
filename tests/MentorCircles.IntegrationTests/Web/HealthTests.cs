using System.Net;
using MentorCircles.Core.Data;

namespace MentorCircles.IntegrationTests.Web;

[Collection(PostgresCollection.Name)]
public sealed class HealthTests
{
    [Fact]
    public async Task Healthz_is_200_when_database_and_jobs_run_and_503_with_the_reason_when_the_database_is_stopped()
    {
        var cluster = await PostgresFixture.StartPrivateClusterAsync();
        try
        {
            await using var app = new AppFactory(cluster.ConnectionString);
            using var client = app.NewClient();

            // The Hangfire server sends its first heartbeat shortly after start.
            HttpResponseMessage healthy = null!;
            for (var i = 0; i < 60; i++)
            {
                healthy = await client.GetAsync("/healthz");
                if (healthy.StatusCode == HttpStatusCode.OK) break;
                await Task.Delay(500);
            }
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
            Assert.Contains("\"status\":\"Healthy\"", await healthy.Content.ReadAsStringAsync());

            await cluster.StopAsync();

            var down = await client.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            var body = await down.Content.ReadAsStringAsync();
            Assert.Contains("PostgreSQL does not answer", body);
        }
        finally
        {
            await PostgresFixture.DestroyPrivateClusterAsync(cluster);
        }
    }

    [Fact]
    public async Task Healthz_needs_no_sign_in()
    {
        var cluster = await PostgresFixture.StartPrivateClusterAsync();
        try
        {
            await using var app = new AppFactory(cluster.ConnectionString);
            using var client = app.NewClient();
            var response = await client.GetAsync("/healthz");
            Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            await PostgresFixture.DestroyPrivateClusterAsync(cluster);
        }
    }
}
