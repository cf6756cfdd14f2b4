namespace MentorCircles.Benchmarks.SchedulingLoad;

internal sealed record GenPerson(int Index, string Email, string Name, string Zone);
internal sealed record GenAway(int Person, DateOnly From, DateOnly To);
internal sealed record GenBusy(int Person, DateTime StartUtc, DateTime EndUtc, string Label);
internal sealed record GenMember(int Person, string Role)
{
    public bool IsLead => Role is "facilitator" or "mentor";
}
internal sealed record GenSession(int Circle, int Occurrence, DateTime StartUtc, DateTime EndUtc)
{
    public bool Cancelled { get; set; }
}
internal sealed record GenRsvp(int Circle, int Occurrence, int Person, string Answer);
internal sealed record GenAcceptance(int Circle, int Version, int Person);

internal sealed class GenCircle(int index, string format, string zone, DayOfWeek day, TimeOnly localStart, int minutes)
{
    public int Index { get; } = index;
    public string Name => $"Circle {Index + 1:000}";
    public string Format { get; } = format;
    public string Zone { get; } = zone;
    public DayOfWeek Day { get; } = day;
    public TimeOnly LocalStart { get; } = localStart;
    public int Minutes { get; } = minutes;
    public int? Quorum { get; set; }
    public int Size { get; set; }
    /// <summary>2 when the agreement was re-issued (a member joined) and has to be accepted again.</summary>
    public int AgreementVersion { get; set; } = 1;
    public List<GenMember> Members { get; } = [];
    public List<GenSession> Sessions { get; } = [];
    public string LeadRole => Format == "facilitated_peer" ? "facilitator" : "mentor";
    public string MemberRole => Format == "facilitated_peer" ? "peer" : "mentee";
    public bool Has(int person) => Members.Any(m => m.Person == person);
}

/// <summary>What the generator planted on purpose; the conflict scan should find each kind.</summary>
internal sealed class Planted
{
    public int ClashingSecondCircles { get; set; }
    public int MembersOutsideWindows { get; set; }
    public int CirclesWithTwoMembersOutside { get; set; }
    public int CirclesWithLeadsOutside { get; set; }
    public int BusyOnSession { get; set; }
    public int AwayPeriods { get; set; }
    public int OtherBusyBlocks { get; set; }
    public int RsvpNo { get; set; }
    public int Unaccepted { get; set; }
    public int UnacceptedWithinADay { get; set; }
    public int CancelledSessions { get; set; }
    public int SessionsOnBlackout { get; set; }
}

/// <summary>
/// A generated program (deterministic for a seed): people in six zones with weekly windows, away periods and busy
/// blocks; circles of 4–12 with a facilitator or mentor (sometimes two) leading, many people in two circles; a term of
/// weekly sessions from Monday 1 March 2027, which crosses the US, UK and Sydney clock changes. The circles' times
/// are inside their people's windows except where a problem is planted (see <see cref="Planted"/>).
/// </summary>
internal sealed class LoadProgram
{
    public static readonly DateOnly FirstDay = new(2027, 3, 1);
    /// <summary>The harness's clock: 06:00 UTC on the term's first day, so the first day's sessions are within a day (agreements are checked).</summary>
    public static readonly DateTimeOffset Now = new(2027, 3, 1, 6, 0, 0, TimeSpan.Zero);
    public const string ProgramZone = "Europe/London";

    private static readonly (string Zone, int Weight)[] Zones =
    [
        ("Europe/London", 25), ("Europe/Berlin", 15), ("America/New_York", 25),
        ("America/Los_Angeles", 10), ("Asia/Kolkata", 15), ("Australia/Sydney", 10),
    ];
    private static readonly (int Size, int Weight)[] Sizes = [(4, 1), (5, 1), (6, 2), (7, 2), (8, 3), (9, 3), (10, 4), (11, 4), (12, 4)];
    private static readonly TimeOnly[] Starts =
        [.. new[] { "08:00", "09:00", "10:00", "12:00", "12:30", "13:00", "16:00", "17:00", "17:30", "18:00", "18:30", "19:00", "19:30", "20:00" }.Select(s => TimeOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture))];

    public int Weeks { get; }
    public DateOnly LastDay => FirstDay.AddDays(Weeks * 7 - 1);
    public DateOnly Blackout { get; }
    public List<GenPerson> People { get; } = [];
    public WeekSet[] Windows { get; private set; } = [];
    public List<GenAway> Away { get; } = [];
    public List<GenBusy> Busy { get; } = [];
    public List<GenCircle> Circles { get; } = [];
    public List<GenRsvp> Rsvps { get; } = [];
    public List<GenAcceptance> Acceptances { get; } = [];
    public Planted Planted { get; } = new();

    private readonly Random rng;
    private readonly Dictionary<string, TimeZoneInfo> tz = [];
    private List<int>[] circlesOf = [];

    private LoadProgram(int weeks, int seed)
    {
        Weeks = weeks;
        rng = new Random(seed);
        // A Wednesday mid-term: a holiday declared after the term was planned, so its sessions are still there.
        Blackout = FirstDay.AddDays(7 * (weeks / 2) + 2);
    }

    public static LoadProgram Generate(int people, int circles, int weeks, int seed)
    {
        var p = new LoadProgram(weeks, seed);
        p.MakePeople(people);
        p.MakeCircles(circles);
        p.PlaceMembers();
        p.PlantClashes();
        p.MakeAvailability();
        p.MakeSessionsAnswered();
        return p;
    }

    private TimeZoneInfo Tz(string zone) => tz.TryGetValue(zone, out var z) ? z : tz[zone] = TimeZoneInfo.FindSystemTimeZoneById(zone);

    private T Weighted<T>((T Value, int Weight)[] options)
    {
        var r = rng.Next(options.Sum(o => o.Weight));
        foreach (var (value, weight) in options)
            if ((r -= weight) < 0) return value;
        return options[^1].Value;
    }

    private void MakePeople(int count)
    {
        // Person 0 is the program's coordinator and is in no circle.
        People.Add(new GenPerson(0, "coordinator@load.example.org", "Coordinator", ProgramZone));
        for (var i = 1; i < count; i++)
            People.Add(new GenPerson(i, $"person{i:00000}@load.example.org", $"Person {i:00000}", Weighted(Zones)));
        circlesOf = [.. Enumerable.Range(0, count).Select(_ => new List<int>())];
    }

    private void MakeCircles(int count)
    {
        var formats = new[] { ("group", 50), ("facilitated_peer", 35), ("near_peer", 15) };
        var days = new[] { (DayOfWeek.Monday, 20), (DayOfWeek.Tuesday, 20), (DayOfWeek.Wednesday, 20), (DayOfWeek.Thursday, 20), (DayOfWeek.Friday, 15), (DayOfWeek.Saturday, 5) };
        for (var c = 0; c < count; c++)
        {
            var circle = new GenCircle(c, Weighted(formats), Weighted(Zones), Weighted(days), Starts[rng.Next(Starts.Length)],
                Weighted(new[] { (60, 70), (90, 20), (45, 10) }));
            circle.Size = Weighted(Sizes);
            var zone = Tz(circle.Zone);
            var firstDate = FirstDay.AddDays((int)circle.Day - 1);
            for (var k = 0; k < Weeks; k++)
            {
                // 08:00–20:00 local is never in a clock change's gap, so the conversion is exact.
                var start = TimeZoneInfo.ConvertTimeToUtc(firstDate.AddDays(7 * k).ToDateTime(circle.LocalStart), zone);
                circle.Sessions.Add(new GenSession(c, k + 1, start, start.AddMinutes(circle.Minutes)));
            }
            Circles.Add(circle);
        }
    }

    private static bool Clash(GenCircle a, GenCircle b) =>
        a.Sessions.Any(x => b.Sessions.Any(y => x.StartUtc < y.EndUtc && y.StartUtc < x.EndUtc));

    private bool ClashesWithOwn(int person, GenCircle c) => circlesOf[person].Any(o => Clash(Circles[o], c));

    private void Join(GenCircle c, int person, string role)
    {
        c.Members.Add(new GenMember(person, role));
        circlesOf[person].Add(c.Index);
    }

    /// <summary>
    /// Leads first (a quarter of them already lead another circle), then members: mostly people from the circle's own
    /// zone, and about one in six already in another circle whose sessions do not overlap (as a coordinator would place them).
    /// </summary>
    private void PlaceMembers()
    {
        var fresh = Zones.ToDictionary(z => z.Zone, z => new Queue<int>(
            People.Skip(1).Where(p => p.Zone == z.Zone).Select(p => p.Index).OrderBy(_ => rng.Next())));
        var leadsOnce = new List<int>();
        var membersOnce = new List<int>();

        int? Fresh(string zone)
        {
            var pick = rng.Next(4) < 3 ? zone : Weighted(Zones);
            if (fresh[pick].Count == 0) pick = fresh.Where(f => f.Value.Count > 0).Select(f => f.Key).FirstOrDefault() ?? "";
            return pick.Length > 0 ? fresh[pick].Dequeue() : null;
        }

        int? Again(List<int> once, GenCircle c)
        {
            for (var attempt = 0; attempt < 30 && once.Count > 0; attempt++)
            {
                var i = rng.Next(once.Count);
                var person = once[i];
                if (c.Has(person) || ClashesWithOwn(person, c)) continue;
                once.RemoveAt(i);
                return person;
            }
            return null;
        }

        foreach (var c in Circles)
        {
            var leads = c.Size >= 9 && rng.Next(100) < 40 ? 2 : 1;
            for (var l = 0; l < leads; l++)
            {
                var person = (rng.Next(100) < 25 ? Again(leadsOnce, c) : null) ?? Fresh(c.Zone) ?? Again(leadsOnce, c);
                if (person is not { } p) continue;
                Join(c, p, c.LeadRole);
                if (circlesOf[p].Count == 1) leadsOnce.Add(p);
            }
            while (c.Members.Count < c.Size)
            {
                var person = (rng.Next(100) < 16 ? Again(membersOnce, c) : null) ?? Fresh(c.Zone) ?? Again(membersOnce, c);
                if (person is not { } p) break;
                Join(c, p, c.MemberRole);
                if (circlesOf[p].Count == 1) membersOnce.Add(p);
            }
            if (rng.Next(100) < 10) c.Quorum = Math.Max(1, c.Members.Count(m => !m.IsLead) / 2);
        }
    }

    /// <summary>A few people also join a circle that meets at the same time as theirs: double bookings every week.</summary>
    private void PlantClashes()
    {
        var want = Math.Max(2, Circles.Count / 25);
        for (var attempt = 0; attempt < want * 50 && Planted.ClashingSecondCircles < want; attempt++)
        {
            var a = Circles[rng.Next(Circles.Count)];
            var candidates = a.Members.Where(m => !m.IsLead && circlesOf[m.Person].Count == 1).ToList();
            if (candidates.Count == 0) continue;
            var person = candidates[rng.Next(candidates.Count)].Person;
            var offset = rng.Next(Circles.Count);
            var b = Enumerable.Range(0, Circles.Count).Select(i => Circles[(i + offset) % Circles.Count])
                .FirstOrDefault(x => x != a && x.Members.Count < 12 && !x.Has(person) && Clash(a, x));
            if (b is null) continue;
            Join(b, person, b.MemberRole);
            Planted.ClashingSecondCircles++;
        }
    }

    private int LocalMinute(DateTime utc, string zone) => WeekSet.MinuteOfWeek(TimeZoneInfo.ConvertTimeFromUtc(utc, Tz(zone)));

    /// <summary>One of four everyday patterns in the person's own zone, shifted by up to an hour.</summary>
    private WeekSet BasePattern()
    {
        var set = new WeekSet();
        var shift = rng.Next(-2, 3) * 30;
        void Add(DayOfWeek d, int fromHour, int fromMinute, int toHour, int toMinute) =>
            set.Add((int)d * 1440 + fromHour * 60 + fromMinute + shift, (int)d * 1440 + toHour * 60 + toMinute + shift);
        var weekdays = new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday };
        switch (rng.Next(4))
        {
            case 0: // office hours
                foreach (var d in weekdays) Add(d, 9, 0, 17, 0);
                break;
            case 1: // evenings and a weekend morning
                foreach (var d in weekdays[..4]) Add(d, 18, 0, 21, 30);
                Add(DayOfWeek.Saturday, 10, 0, 13, 0);
                break;
            case 2: // early mornings, lunch breaks, Sunday afternoon
                foreach (var d in weekdays[1..]) Add(d, 7, 0, 8, 30);
                foreach (var d in weekdays) Add(d, 12, 0, 13, 30);
                Add(DayOfWeek.Sunday, 14, 0, 17, 0);
                break;
            default: // part-time
                foreach (var d in new[] { DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday }) Add(d, 10, 0, 16, 0);
                Add(DayOfWeek.Tuesday, 19, 0, 21, 0);
                break;
        }
        return set;
    }

    /// <summary>
    /// Everyone's windows: their pattern plus each of their circles' times (half an hour either side, at every
    /// occurrence, so a clock change in either zone stays covered) — except the planted gaps. Then away periods and busy blocks.
    /// </summary>
    private void MakeAvailability()
    {
        var bases = People.Select(_ => BasePattern()).ToArray();
        bool BaseCovers(int person, GenCircle c) => c.Sessions.All(s =>
        {
            var m = LocalMinute(s.StartUtc, People[person].Zone);
            return bases[person].Covers(m, m + c.Minutes);
        });

        var gaps = new HashSet<(int Person, int Circle)>();
        bool Gap(GenCircle c, GenMember m)
        {
            if (gaps.Contains((m.Person, c.Index)) || BaseCovers(m.Person, c)) return false;
            gaps.Add((m.Person, c.Index));
            return true;
        }

        var members = Circles.SelectMany(c => c.Members.Where(m => !m.IsLead).Select(m => (Circle: c, Member: m))).ToList();
        var leadGaps = Math.Max(1, Circles.Count / 100);
        for (var attempt = 0; attempt < leadGaps * 50 && Planted.CirclesWithLeadsOutside < leadGaps; attempt++)
        {
            var c = Circles[rng.Next(Circles.Count)];
            var leads = c.Members.Where(m => m.IsLead).ToList();
            if (leads.Count == 0 || leads.Any(l => BaseCovers(l.Person, c))) continue;
            foreach (var l in leads) Gap(c, l);
            Planted.CirclesWithLeadsOutside++;
        }
        var pairGaps = Math.Max(1, Circles.Count / 100);
        for (var attempt = 0; attempt < pairGaps * 50 && Planted.CirclesWithTwoMembersOutside < pairGaps; attempt++)
        {
            var c = Circles[rng.Next(Circles.Count)];
            var two = c.Members.Where(m => !m.IsLead && !BaseCovers(m.Person, c)).Take(2).ToList();
            if (two.Count < 2 || c.Quorum is not null) continue;
            foreach (var m in two) Gap(c, m);
            Planted.CirclesWithTwoMembersOutside++;
        }
        var singleGaps = Math.Max(2, members.Count * 2 / 100);
        for (var attempt = 0; attempt < singleGaps * 50 && Planted.MembersOutsideWindows < singleGaps; attempt++)
        {
            var (c, m) = members[rng.Next(members.Count)];
            if (Gap(c, m)) Planted.MembersOutsideWindows++;
        }

        Windows = bases;
        foreach (var c in Circles)
            foreach (var m in c.Members.Where(m => !gaps.Contains((m.Person, c.Index))))
                foreach (var s in c.Sessions)
                {
                    var start = LocalMinute(s.StartUtc, People[m.Person].Zone);
                    Windows[m.Person].Add(start - 30, start + c.Minutes + 30);
                }

        var termDays = Weeks * 7;
        foreach (var p in People.Skip(1))
        {
            if (rng.Next(100) < 10)
            {
                var from = FirstDay.AddDays(rng.Next(termDays));
                Away.Add(new GenAway(p.Index, from, from.AddDays(rng.Next(2, 12))));
            }
            for (var b = rng.Next(4); b > 0; b--)
            {
                var local = FirstDay.AddDays(rng.Next(termDays)).ToDateTime(new TimeOnly(8, 0)).AddMinutes(15 * rng.Next(49));
                var start = TimeZoneInfo.ConvertTimeToUtc(local, Tz(p.Zone));
                Busy.Add(new GenBusy(p.Index, start, start.AddMinutes(30 * rng.Next(1, 7)), "Appointment"));
            }
        }
        Planted.AwayPeriods = Away.Count;
        Planted.OtherBusyBlocks = Busy.Count;
        var onSession = Math.Max(2, members.Count / 100);
        for (var i = 0; i < onSession; i++)
        {
            var (c, m) = members[rng.Next(members.Count)];
            var s = c.Sessions[rng.Next(c.Sessions.Count)];
            Busy.Add(new GenBusy(m.Person, s.StartUtc.AddMinutes(-15), s.StartUtc.AddMinutes(45), "Dentist"));
        }
        Planted.BusyOnSession = onSession;
    }

    /// <summary>A few cancelled occurrences, RSVPs (more for the coming weeks), and agreements mostly accepted.</summary>
    private void MakeSessionsAnswered()
    {
        foreach (var c in Circles)
        {
            foreach (var s in c.Sessions)
            {
                if (rng.Next(100) == 0) { s.Cancelled = true; Planted.CancelledSessions++; continue; }
                var answered = s.Occurrence <= 2 ? 70 : s.Occurrence <= 6 ? 40 : 15;
                foreach (var m in c.Members)
                {
                    if (rng.Next(100) >= answered) continue;
                    var r = rng.Next(100);
                    var answer = r < 5 ? "no" : r < 15 ? "maybe" : "yes";
                    if (answer == "no") Planted.RsvpNo++;
                    Rsvps.Add(new GenRsvp(c.Index, s.Occurrence, m.Person, answer));
                }
                if (LocalDate(s, c) == Blackout) Planted.SessionsOnBlackout++;
            }

            // One circle in twenty re-issued its agreement when someone joined; fewer have accepted that one yet.
            if (rng.Next(100) < 5) c.AgreementVersion = 2;
            foreach (var m in c.Members)
            {
                var acceptsCurrent = rng.Next(100) < (c.AgreementVersion == 2 ? 85 : 97);
                if (c.AgreementVersion == 2) Acceptances.Add(new GenAcceptance(c.Index, 1, m.Person));
                if (acceptsCurrent) Acceptances.Add(new GenAcceptance(c.Index, c.AgreementVersion, m.Person));
                else Planted.Unaccepted++;
            }
        }

        // The rule only looks a day ahead: make sure at least one member of a circle meeting in that day has not accepted.
        var soon = Circles.Where(c => c.Sessions.Any(s => !s.Cancelled && s.EndUtc > Now.UtcDateTime && s.StartUtc <= Now.UtcDateTime.AddDays(1))).ToList();
        bool Accepted(GenCircle c, int person) => Acceptances.Any(a => a.Circle == c.Index && a.Version == c.AgreementVersion && a.Person == person);
        Planted.UnacceptedWithinADay = soon.Sum(c => c.Members.Count(m => !Accepted(c, m.Person)));
        if (Planted.UnacceptedWithinADay == 0 && soon.FirstOrDefault(c => c.Members.Any(m => !m.IsLead)) is { } first)
        {
            var who = first.Members.First(m => !m.IsLead).Person;
            Acceptances.RemoveAll(a => a.Circle == first.Index && a.Version == first.AgreementVersion && a.Person == who);
            Planted.Unaccepted++;
            Planted.UnacceptedWithinADay++;
        }
    }

    private DateOnly LocalDate(GenSession s, GenCircle c) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(s.StartUtc, Tz(c.Zone)));

    public int Memberships => Circles.Sum(c => c.Members.Count);
    public int Sessions => Circles.Sum(c => c.Sessions.Count);
    public IReadOnlyList<int> CircleCounts => circlesOf.Skip(1).Select(l => l.Count).ToList();
}
