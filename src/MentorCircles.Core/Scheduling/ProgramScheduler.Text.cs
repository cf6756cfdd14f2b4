using System.Globalization;

namespace MentorCircles.Core.Scheduling;

public static partial class ProgramScheduler
{
    /// <summary>What people read: why a circle found no time, and what its proposal means for its members.</summary>
    private sealed partial class Run
    {
        /// <summary>Why a circle found no time: who had to be free, and what stood in the way of the times where they were.</summary>
        public string WhyNot(Plan plan)
        {
            var who = WhoMustBeFree(plan);
            if (plan.Candidates.Count == 0)
                return $"No weekly time where {who} free{(input.Booked.Count > 0 ? " and not already booked" : "")}.";
            var blockers = new SortedDictionary<string, int>(StringComparer.Ordinal);
            var bookedBefore = new SortedSet<string>(StringComparer.Ordinal);
            var over = new SortedSet<long>();
            foreach (var c in plan.Candidates)
            {
                var e = Evaluate(plan, c);
                if (e.Unavailable) continue;
                foreach (var b in e.Blockers) blockers[plans[b].Circle.Name] = blockers.GetValueOrDefault(plans[b].Circle.Name) + 1;
                bookedBefore.UnionWith(e.Booked);
                over.UnionWith(e.OverLimit);
            }
            var obstacles = new List<string>();
            if (blockers.Count > 0)
            {
                var names = blockers.OrderByDescending(b => b.Value).ThenBy(b => b.Key, StringComparer.Ordinal).Select(b => b.Key).ToList();
                obstacles.Add($"does not clash with {(names.Count == 1 ? "circle" : "circles")} {Names(names)}");
            }
            if (bookedBefore.Count > 0) obstacles.Add($"misses sessions already booked ({Names(bookedBefore.ToList())})");
            foreach (var lead in over)
                obstacles.Add($"keeps {Name(lead)} within {LimitOf(lead)} {(LimitOf(lead) == 1 ? "session" : "sessions")} a week");
            return obstacles.Count == 0
                ? $"No weekly time where {who} free at every session."
                : $"No time where {who} free that {string.Join(" and ", obstacles)}.";
        }

        private string WhoMustBeFree(Plan plan)
        {
            var parts = plan.Leads.Select(Name).ToList();
            if (plan.Members.Length > 0 && plan.Quorum > 0)
                parts.Add(plan.Quorum == plan.Members.Length
                    ? $"all {plan.Members.Length} members"
                    : $"{plan.Quorum} of {plan.Members.Length} members");
            if (parts.Count == 0) return "anyone is";
            var plural = parts.Count > 1 || plan.Quorum > 1;
            return $"{Names(parts)} {(plural ? "are" : "is")}";
        }

        private static string Names(IReadOnlyList<string> names)
        {
            var shown = names.Take(NamesInText).ToList();
            var more = names.Count - shown.Count;
            if (more > 0) return $"{string.Join(", ", shown)} and {more} more";
            return shown.Count <= 1 ? string.Concat(shown) : $"{string.Join(", ", shown[..^1])} and {shown[^1]}";
        }

        public CircleProposal Proposal(Plan plan)
        {
            var c = plan.Circle;
            if (plan.Placed is not { } e)
                return new CircleProposal(c.CircleId, c.Name, c.HomeTimeZoneId, c.LengthMinutes, false, null, null, [], [], false,
                    plan.Reason ?? "No time was found.");
            var sessions = e.Sessions.Select((s, k) => new ProposedSession(s.Number, s.LocalDate, s.LocalStart, s.StartUtc, s.EndUtc,
                e.Absent[k], s.TimeNote)).ToList();
            var misses = e.Absent.SelectMany(a => a).GroupBy(p => p)
                .Select(g => new ProposedAbsence(g.Key, Name(g.Key), g.Count(), sessions.Count))
                .OrderByDescending(a => a.Missed).ThenBy(a => a.PersonId).ToList();
            var peopleCount = plan.Leads.Length + plan.Members.Length;
            var text = misses.Count == 0
                ? (peopleCount == 1 ? "Free every week." : $"All {peopleCount} free every week.")
                : $"{peopleCount - misses.Count} of {peopleCount} free every week; "
                  + Names(misses.Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Name} misses {a.Missed} of {a.Of}")).ToList()) + ".";
            text += e.Candidate.InsideWakingHours ? " Inside everyone's waking hours." : " Outside waking hours for someone.";
            return new CircleProposal(c.CircleId, c.Name, c.HomeTimeZoneId, c.LengthMinutes, true, e.Candidate.LocalDay, e.Candidate.LocalTime,
                sessions, misses, e.Candidate.InsideWakingHours, text);
        }
    }
}
