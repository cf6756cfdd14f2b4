using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace MentorCircles.Core.Audit;

/// <summary>Appends to mentor.audit_log inside the caller's transaction, so the record and the change land together.</summary>
public static class AuditLog
{
    public static Task WriteAsync(DbConnection conn, DbTransaction tx, long? actorId, string action, string subject, object? details, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO mentor.audit_log (actor_id, action, subject, details)
            VALUES (@actorId, @action, @subject, CAST(@details AS jsonb))
            """,
            new { actorId, action, subject, details = JsonSerializer.Serialize(details ?? new { }) }, tx, cancellationToken: ct));
}
