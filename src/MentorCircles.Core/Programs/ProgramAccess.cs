using System.Data.Common;
using Dapper;

namespace MentorCircles.Core.Programs;

/// <summary>The one program-level access question: does this person coordinate this program? (Circle questions go to CircleAccess.)</summary>
public static class ProgramAccess
{
    public static Task<bool> IsCoordinatorAsync(DbConnection conn, DbTransaction? tx, long programId, long personId, CancellationToken ct) =>
        conn.ExecuteScalarAsync<bool>(new CommandDefinition("""
            SELECT EXISTS (SELECT 1 FROM mentor.program_person WHERE program_id = @programId AND person_id = @personId AND role = 'coordinator')
            """, new { programId, personId }, tx, cancellationToken: ct));
}
