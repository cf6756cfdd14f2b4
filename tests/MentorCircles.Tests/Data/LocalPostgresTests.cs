using MentorCircles.Core.Data;

namespace MentorCircles.Tests.Data;

public sealed class LocalPostgresTests
{
    [Fact]
    public void FindBinDirectory_finds_the_server_binaries_on_this_machine()
    {
        var dir = LocalPostgres.FindBinDirectory();

        Assert.NotNull(dir);
        Assert.True(File.Exists(Path.Combine(dir, "initdb")), $"no initdb in {dir}");
        Assert.True(File.Exists(Path.Combine(dir, "pg_ctl")), $"no pg_ctl in {dir}");
        Assert.True(File.Exists(Path.Combine(dir, "postgres")), $"no postgres in {dir}");
    }

    [Fact]
    public void FindBinDirectory_returns_a_configured_folder_that_has_the_binaries()
    {
        var found = LocalPostgres.FindBinDirectory();
        Assert.NotNull(found);

        Assert.Equal(found, LocalPostgres.FindBinDirectory(found));
    }

    [Fact]
    public void FindBinDirectory_returns_null_for_a_configured_folder_without_initdb_rather_than_looking_elsewhere()
    {
        var empty = Directory.CreateTempSubdirectory("mentorcircles-no-initdb-");
        try
        {
            File.WriteAllText(Path.Combine(empty.FullName, "pg_ctl"), "");
            File.WriteAllText(Path.Combine(empty.FullName, "postgres"), "");

            Assert.Null(LocalPostgres.FindBinDirectory(empty.FullName));
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public void FindBinDirectory_returns_null_for_a_configured_folder_that_does_not_exist()
    {
        Assert.Null(LocalPostgres.FindBinDirectory("/nonexistent/postgresql/bin"));
    }

    [Fact]
    public void The_install_hint_names_the_apt_get_command_and_the_alternatives()
    {
        Assert.Contains("apt-get install -y postgresql", LocalPostgres.InstallHint);
        Assert.Contains("ConnectionStrings__MentorCircles", LocalPostgres.InstallHint);
        Assert.Contains("LocalDatabase__BinDirectory", LocalPostgres.InstallHint);
    }
}
