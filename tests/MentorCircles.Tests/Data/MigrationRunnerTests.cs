using System.Text.RegularExpressions;
using MentorCircles.Core.Data;

namespace MentorCircles.Tests.Data;

public sealed class MigrationRunnerTests
{
    private static readonly IReadOnlyList<Migration> embedded = MigrationRunner.Embedded();

    [Fact]
    public void The_scripts_are_embedded_in_name_order()
    {
        Assert.NotEmpty(embedded);
        Assert.Equal("0001_foundation.sql", embedded[0].Name);
        Assert.Equal(embedded.Select(m => m.Name).Order(StringComparer.Ordinal), embedded.Select(m => m.Name));
    }

    [Fact]
    public void Every_script_is_named_with_a_four_digit_number_of_its_own()
    {
        Assert.All(embedded, m => Assert.Matches(@"^\d{4}_.*\.sql$", m.Name));
        var numbers = embedded.Select(m => m.Name[..4]).ToList();
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
    }

    [Fact]
    public void Every_script_has_SQL_in_it()
    {
        Assert.All(embedded, m => Assert.False(string.IsNullOrWhiteSpace(m.Sql), m.Name));
        Assert.Contains("CREATE TABLE mentor.person", embedded[0].Sql);
    }

    [Fact]
    public void Every_script_in_the_sql_folder_is_embedded_unchanged()
    {
        var sqlFolder = RepositoryFiles.Path("sql");
        var files = Directory.GetFiles(sqlFolder, "*.sql").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(files.Select(Path.GetFileName), embedded.Select(m => m.Name));
        Assert.All(files, f => Assert.Equal(File.ReadAllText(f), Assert.Single(embedded, m => m.Name == Path.GetFileName(f)).Sql));
    }
}
