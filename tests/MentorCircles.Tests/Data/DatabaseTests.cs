using MentorCircles.Core.Data;
using Npgsql;

namespace MentorCircles.Tests.Data;

public sealed class DatabaseTests
{
    private static NpgsqlConnectionStringBuilder SettingsOf(string connectionString)
    {
        using var source = Database.CreateDataSource(connectionString);
        return new NpgsqlConnectionStringBuilder(source.ConnectionString);
    }

    [Fact]
    public void Statements_are_prepared_automatically_after_their_second_use()
    {
        var settings = SettingsOf("Host=localhost;Database=mc;Username=mc");

        Assert.Equal(64, settings.MaxAutoPrepare);
        Assert.Equal(2, settings.AutoPrepareMinUsages);
        Assert.Equal("MentorCircles", settings.ApplicationName);
    }

    [Fact]
    public void A_connection_string_that_sets_automatic_preparation_keeps_its_own_setting()
    {
        Assert.Equal(0, SettingsOf("Host=localhost;Database=mc;Username=mc;Max Auto Prepare=0").MaxAutoPrepare);
        var own = SettingsOf("Host=localhost;Database=mc;Username=mc;Max Auto Prepare=10;Auto Prepare Min Usages=5;Application Name=ops");
        Assert.Equal((10, 5, "ops"), (own.MaxAutoPrepare, own.AutoPrepareMinUsages, own.ApplicationName));
    }
}
