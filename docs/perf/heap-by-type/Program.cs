// Heap by type per page between two gcdumps (README.md here): args before.gcdump after.gcdump pages rows.
using Graphs;
var a = Sizes(args[0]); var b = Sizes(args[1]); var n = double.Parse(args[2]);
double total = b.Values.Sum(v => v.Bytes) - a.Values.Sum(v => v.Bytes);
Console.WriteLine($"total {total / 1024 / n:0.0} KB per page");
foreach (var (k, s, c) in b.Keys.Union(a.Keys).Select(k => (k, (b.GetValueOrDefault(k).Bytes - a.GetValueOrDefault(k).Bytes) / 1024 / n, (b.GetValueOrDefault(k).Count - a.GetValueOrDefault(k).Count) / n)).OrderByDescending(x => x.Item2).Take(int.Parse(args[3])))
    Console.WriteLine($"{s,8:0.00} KB {c,7:0.0} obj  {k}");
static Dictionary<string, (double Bytes, double Count)> Sizes(string path)
{
    var dump = new GCHeapDump(path);
    var g = dump.MemoryGraph;
    var d = new Dictionary<string, (double, double)>();
    var storage = g.AllocNodeStorage(); var ts = g.AllocTypeNodeStorage();
    for (NodeIndex i = 0; i < g.NodeIndexLimit; i++)
    {
        var node = g.GetNode(i, storage);
        var type = node.GetType(ts);
        var name = type.Name;
        var (bb, cc) = d.GetValueOrDefault(name);
        d[name] = (bb + node.Size, cc + 1);
    }
    return d;
}
