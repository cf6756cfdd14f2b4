namespace MentorCircles.Core.Circles;

/// <summary>How the stored codes read to a person.</summary>
public static class CircleLabels
{
    public static string Format(string code) => code switch
    {
        "group" => "Group mentoring",
        "peer" => "Peer mentoring",
        "near_peer" => "Near-peer mentoring",
        "facilitated_peer" => "Facilitated peer circle",
        "one_to_one" => "One-to-one",
        _ => code,
    };

    public static string Modality(string code) => code switch
    {
        "in_person" => "In person",
        "distance" => "Distance",
        "hybrid" => "Hybrid",
        _ => code,
    };

    public static string Cadence(string code) => code switch
    {
        "weekly" => "Weekly",
        "fortnightly" => "Every two weeks",
        "monthly" => "Monthly",
        _ => code,
    };

    public static string Role(string? code) => code switch
    {
        "facilitator" => "Facilitator",
        "mentor" => "Mentor",
        "mentee" => "Mentee",
        "peer" => "Peer",
        null => "",
        _ => code,
    };
}
