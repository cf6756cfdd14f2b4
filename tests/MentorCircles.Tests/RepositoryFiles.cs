using System.Runtime.CompilerServices;

namespace MentorCircles.Tests;

/// <summary>
/// Files of the checkout the tests run from (sql/, the Dockerfile...): found above the test's output folder, or, when
/// that is elsewhere (dotnet test --artifacts-path), above this source file.
/// </summary>
internal static class RepositoryFiles
{
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root(), .. parts]);

    private static string Root([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Path.GetDirectoryName(sourceFile) ?? "" })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "MentorCircles.sln"))) return dir.FullName;
        throw new InvalidOperationException($"No MentorCircles.sln above {AppContext.BaseDirectory} or {sourceFile}");
    }
}
