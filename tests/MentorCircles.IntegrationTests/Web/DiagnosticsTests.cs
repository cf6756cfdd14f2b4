using System.Text.Json;
using MentorCircles.Web.Hosting;

namespace MentorCircles.IntegrationTests.Web;

/// <summary>The room-load harness's endpoints: answered only when Diagnostics:Enabled is set.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DiagnosticsTests(PostgresFixture postgres)
{
    [Fact]
    public async Task The_diagnostics_endpoints_are_not_answered_unless_enabled()
    {
        await using var app = new AppFactory(await postgres.CreateDatabaseAsync("diagnostics_off"));
        using var client = app.NewClient();
        foreach (var path in new[] { DiagnosticsSetup.Path, DiagnosticsSetup.RuntimePath })
        {
            using var response = await client.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("gcTotalBytes", body);
            Assert.DoesNotContain("poolDelay", body);
        }
    }

    [Fact]
    public async Task When_enabled_the_runtime_endpoint_reports_what_happened_since_the_previous_read()
    {
        await using var app = new AppFactory(await postgres.CreateDatabaseAsync("diagnostics_on"), new Dictionary<string, string> { ["Diagnostics:Enabled"] = "true" });
        using var client = app.NewClient();
        await client.GetStringAsync(DiagnosticsSetup.RuntimePath); // starts a fresh account
        await Task.Delay(400); // the pool is probed every 50 ms
        GC.Collect(0);
        var kept = new byte[1 << 20]; // the test runs in the app's process: a megabyte it must count

        using var doc = JsonDocument.Parse(await client.GetStringAsync(DiagnosticsSetup.RuntimePath));
        var j = doc.RootElement;
        Assert.InRange(j.GetProperty("seconds").GetDouble(), 0.3, 60);
        Assert.True(j.GetProperty("poolDelay").GetProperty("count").GetInt32() >= 2, j.ToString());
        Assert.True(j.GetProperty("poolDelay").GetProperty("max").GetDouble() >= j.GetProperty("poolDelay").GetProperty("p50").GetDouble());
        Assert.Equal(0, j.GetProperty("commands").GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Object, j.GetProperty("steps").ValueKind);
        Assert.True(j.GetProperty("gen0").GetInt32() >= 1, j.ToString());
        Assert.True(j.GetProperty("poolThreads").GetInt32() >= 1);
        Assert.True(j.GetProperty("allocatedBytes").GetInt64() >= kept.Length, j.ToString());
    }

    [Fact]
    public async Task When_enabled_the_memory_endpoint_reads_after_a_full_collection_and_after_a_compacting_one()
    {
        await using var app = new AppFactory(await postgres.CreateDatabaseAsync("diagnostics_memory"), new Dictionary<string, string> { ["Diagnostics:Enabled"] = "true" });
        using var client = app.NewClient();
        foreach (var path in new[] { DiagnosticsSetup.Path, DiagnosticsSetup.Path + "?compact=true" })
        {
            var gen2 = GC.CollectionCount(2);
            using var doc = JsonDocument.Parse(await client.GetStringAsync(path));
            var j = doc.RootElement;
            Assert.True(GC.CollectionCount(2) > gen2, $"{path} did not collect");
            Assert.InRange(j.GetProperty("gcTotalBytes").GetInt64(), 1, j.GetProperty("gcCommittedBytes").GetInt64());
            Assert.True(j.GetProperty("workingSetBytes").GetInt64() > j.GetProperty("gcTotalBytes").GetInt64(), j.ToString());
            Assert.Equal(0, j.GetProperty("circuits").GetInt32());
        }
    }
}
