using System.Data;
using Dapper;
using Npgsql;

namespace MentorCircles.Core.Data;

/// <summary>Builds the one NpgsqlDataSource the app uses, and sets Dapper up once.</summary>
public static class Database
{
    private static int configured;

    public static void ConfigureDapper()
    {
        if (Interlocked.Exchange(ref configured, 1) == 1) return;
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new DateOnlyHandler());
    }

    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        ConfigureDapper();
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.ConnectionStringBuilder.ApplicationName ??= "MentorCircles";
        return builder.Build();
    }

    private sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            parameter.DbType = DbType.Date;
            parameter.Value = value;
        }

        public override DateOnly Parse(object value) => value switch
        {
            DateOnly d => d,
            DateTime dt => DateOnly.FromDateTime(dt),
            _ => throw new DataException($"Cannot read {value.GetType().Name} as a date."),
        };
    }
}
