using System.Globalization;

namespace MentorCircles.Benchmarks.RoomLoad;

/// <summary>
/// A process's resident memory by where it lives, from /proc/PID/smaps: what VmRSS cannot say. The kinds are told
/// apart by the shape of their mappings, not by anything the process reports:
/// <list type="bullet">
/// <item>GC: inside the GC's reservation, the anonymous range of many gigabytes (regions reserve it up front and commit
/// parts of it, from its low end), up to the end of its untouched remainder;</item>
/// <item>malloc: glibc's main heap ([heap]) and its arenas (anonymous mappings starting on a 64 MB boundary);</item>
/// <item>thread stacks: [stack], and read-write anonymous mappings right above a small no-access guard mapping;</item>
/// <item>JIT code: .NET's double-mapped executable memory (/memfd:doublemapper);</item>
/// <item>files: assemblies, native libraries and other mapped files;</item>
/// <item>other anonymous: everything else (the runtime's loader heaps, native allocations mmap'd on their own).</item>
/// </list>
/// </summary>
internal static class MemoryMap
{
    public static readonly string[] Kinds = ["GC", "malloc", "thread stacks", "JIT code", "files", "other anonymous"];

    private sealed record Mapping(ulong Start, ulong End, string Perms, string Name)
    {
        public long Rss;
        public ulong Size => End - Start;
    }

    /// <summary>Resident bytes per kind (every kind present, zero if none), and a copy of the smaps text written to <paramref name="saveAs"/>.</summary>
    public static IReadOnlyDictionary<string, long> Read(int pid, string saveAs)
    {
        var text = File.ReadAllText($"/proc/{pid}/smaps");
        File.WriteAllText(saveAs, text);
        return Classify(Parse(text));
    }

    private static List<Mapping> Parse(string smaps)
    {
        var maps = new List<Mapping>();
        foreach (var line in smaps.Split('\n'))
        {
            if (line.Length == 0) continue;
            var first = line.AsSpan(0, Math.Max(0, line.IndexOf(' ')));
            var dash = first.IndexOf('-');
            if (dash > 0 && IsHex(first[..dash]) && IsHex(first[(dash + 1)..]))
            {
                // "start-end perms offset dev inode [name]"
                var parts = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
                var range = parts[0].Split('-');
                maps.Add(new Mapping(ulong.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    ulong.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture), parts[1], parts.Length > 5 ? parts[5].Trim() : ""));
            }
            else if (line.StartsWith("Rss:", StringComparison.Ordinal) && maps.Count > 0)
            {
                var kb = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
                maps[^1].Rss = long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }
        return maps;
    }

    private static bool IsHex(ReadOnlySpan<char> s)
    {
        foreach (var c in s) if (!char.IsAsciiHexDigit(c)) return false;
        return s.Length > 0;
    }

    private static Dictionary<string, long> Classify(List<Mapping> maps)
    {
        const ulong ArenaSize = 64UL << 20;
        // The GC's reservation: its untouched remainder is the largest single unnamed mapping, and the regions it has
        // committed lie right below it, adjacent. glibc's arenas may follow right above it, adjacent too, so the range
        // ends where that mapping ends (before 2026-12-03 evening the whole run was taken, arenas counted as the GC's).
        var unnamed = maps.Where(m => m.Name.Length == 0).ToList();
        (ulong Start, ulong End) gc = (0, 0);
        if (unnamed.Count > 0)
        {
            var largest = unnamed.IndexOf(unnamed.MaxBy(m => m.Size)!);
            var first = largest;
            while (first > 0 && unnamed[first - 1].End == unnamed[first].Start) first--;
            gc = (unnamed[first].Start, unnamed[largest].End);
        }
        if (gc.End - gc.Start < 1UL << 32) gc = (0, 0);

        var result = Kinds.ToDictionary(k => k, _ => 0L);
        for (var i = 0; i < maps.Count; i++)
        {
            var m = maps[i];
            if (m.Rss == 0) continue;
            string kind;
            if (m.Name == "[heap]") kind = "malloc";
            else if (m.Name == "[stack]") kind = "thread stacks";
            else if (m.Name.StartsWith("/memfd:doublemapper", StringComparison.Ordinal)) kind = "JIT code";
            else if (m.Name.StartsWith('/')) kind = "files";
            else if (m.Name.Length > 0) kind = "other anonymous"; // [vdso], [vvar], other memfds
            else if (m.Start >= gc.Start && m.End <= gc.End && gc.End > 0) kind = "GC";
            else if (m.Start % ArenaSize == 0 && m.Size <= ArenaSize && m.Perms.StartsWith("rw", StringComparison.Ordinal)) kind = "malloc";
            else if (i > 0 && maps[i - 1].End == m.Start && maps[i - 1].Perms.StartsWith("---", StringComparison.Ordinal)
                     && maps[i - 1].Size <= 64 * 1024 && m.Perms.StartsWith("rw", StringComparison.Ordinal) && maps[i - 1].Name.Length == 0) kind = "thread stacks";
            else kind = "other anonymous";
            result[kind] += m.Rss;
        }
        return result;
    }
}
