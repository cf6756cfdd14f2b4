using System.Reflection;

namespace MentorCircles.Core.Agreements;

public sealed record AgreementTemplate(string Key, string Label);

/// <summary>The starting texts a facilitator or coordinator picks from: one for group, one for peer and one for one-to-one circles.</summary>
public static class AgreementTemplates
{
    public static IReadOnlyList<AgreementTemplate> All { get; } =
    [
        new("group", "Group mentoring circle"),
        new("peer", "Peer circle"),
        new("one_to_one", "One-to-one pairing"),
    ];

    /// <summary>The template that fits a circle format.</summary>
    public static string KeyFor(string format) => format switch
    {
        "group" => "group",
        "one_to_one" => "one_to_one",
        _ => "peer",   // peer, near_peer and facilitated_peer circles mentor each other
    };

    /// <summary>The Markdown of a template; throws for a key that is not one of <see cref="All"/>.</summary>
    public static string Text(string key)
    {
        if (All.All(t => t.Key != key)) throw new ArgumentOutOfRangeException(nameof(key), key, "No such agreement template.");
        using var stream = typeof(AgreementTemplates).Assembly.GetManifestResourceStream($"agreements/{key}.md")
            ?? throw new InvalidOperationException($"The agreement template {key} is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}.");
        using var reader = new StreamReader(stream);
        return AgreementRules.Normalize(reader.ReadToEnd());
    }
}
