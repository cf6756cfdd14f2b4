using System.Text.Json;
using System.Text.RegularExpressions;

namespace MentorCircles.Tests.Deployment;

/// <summary>
/// The environment the app starts with outside its configuration: glibc reads MALLOC_ARENA_MAX only when a process
/// starts, so the app cannot set it for itself. The image (Dockerfile) and `dotnet run` (the launch profile) both set it,
/// and the room-load harness starts the app with the launch profile's variables, so what it measures is what is deployed.
/// </summary>
public sealed class DeploymentEnvironmentTests
{
    [Fact]
    public void The_image_and_the_launch_profile_cap_glibcs_malloc_arenas_alike()
    {
        var image = ImageEnvironment();
        var profile = LaunchProfileEnvironment();

        Assert.Equal("2", image["MALLOC_ARENA_MAX"]);
        Assert.Equal("2", profile["MALLOC_ARENA_MAX"]);
        // Every variable of the launch profile but the environment's name is deployed as the image's too.
        Assert.All(profile.Where(kv => kv.Key != "ASPNETCORE_ENVIRONMENT"), kv => Assert.Equal(kv.Value, image.GetValueOrDefault(kv.Key)));
    }

    /// <summary>The ENV of the Dockerfile's last stage (the runtime image), continuation lines joined.</summary>
    private static Dictionary<string, string> ImageEnvironment()
    {
        var text = File.ReadAllText(RepositoryFiles.Path("src", "MentorCircles.Web", "Dockerfile"));
        var runtime = text[text.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
        var joined = Regex.Replace(runtime, @"\\\r?\n", " ");
        var env = new Dictionary<string, string>();
        foreach (Match line in Regex.Matches(joined, @"^ENV\s+(.*)$", RegexOptions.Multiline))
            foreach (Match pair in Regex.Matches(line.Groups[1].Value, @"([A-Za-z_][A-Za-z0-9_]*)=(\S*)"))
                env[pair.Groups[1].Value] = pair.Groups[2].Value;
        return env;
    }

    private static Dictionary<string, string> LaunchProfileEnvironment()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.Path("src", "MentorCircles.Web", "Properties", "launchSettings.json")));
        var profile = json.RootElement.GetProperty("profiles").EnumerateObject().First().Value;
        return profile.GetProperty("environmentVariables").EnumerateObject().ToDictionary(v => v.Name, v => v.Value.GetString() ?? "");
    }
}
