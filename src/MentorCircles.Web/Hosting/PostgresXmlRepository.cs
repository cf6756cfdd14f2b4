using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;

namespace MentorCircles.Web.Hosting;

/// <summary>Stores ASP.NET Data Protection keys in mentor.data_protection_key, shared by every node.</summary>
public sealed class PostgresXmlRepository(NpgsqlDataSource db) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var conn = db.OpenConnection();
        return conn.Query<string>(new CommandDefinition("SELECT xml FROM mentor.data_protection_key ORDER BY created_at"))
            .Select(x => XElement.Parse(x)).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var conn = db.OpenConnection();
        conn.Execute(new CommandDefinition("""
            INSERT INTO mentor.data_protection_key (friendly_name, xml) VALUES (@friendlyName, @xml)
            ON CONFLICT (friendly_name) DO UPDATE SET xml = EXCLUDED.xml
            """, new { friendlyName, xml = element.ToString(SaveOptions.DisableFormatting) }));
    }
}
