using System.Globalization;
using Strata.Dockerfile.Instructions;

namespace Strata.Dockerfile.Graph;

/// <summary>
/// The dependencies between stages (FROM a stage, COPY --from, RUN --mount from=), checked for
/// unknown targets, out-of-range indexes, likely-misspelt stage names and cycles, and pruned to
/// what <c>--target</c> needs. <see cref="BuildOrder"/> lists the needed stages dependencies
/// first; stages with no path between them can be built in parallel.
/// </summary>
public sealed class StageGraph
{
    private readonly List<StageEdge> _edges;
    private readonly bool[] _required;

    private StageGraph(IReadOnlyList<Stage> stages, Stage target, List<StageEdge> edges, bool[] required, List<Stage> order)
    {
        Stages = stages;
        Target = target;
        _edges = edges;
        _required = required;
        BuildOrder = order;
    }

    /// <summary>Every stage of the Dockerfile, by index.</summary>
    public IReadOnlyList<Stage> Stages { get; }

    /// <summary>The stage being built.</summary>
    public Stage Target { get; }

    /// <summary>Every edge between stages (also of stages that are pruned).</summary>
    public IReadOnlyList<StageEdge> Edges => _edges;

    /// <summary>The stages the target needs (itself included), dependencies before dependants.</summary>
    public IReadOnlyList<Stage> BuildOrder { get; }

    /// <summary>True when the stage with this index is needed for the target.</summary>
    public bool IsRequired(int index) => index >= 0 && index < _required.Length && _required[index];

    /// <summary>The stages <paramref name="stage"/> directly depends on.</summary>
    public IEnumerable<Stage> DependenciesOf(Stage stage)
    {
        ArgumentNullException.ThrowIfNull(stage);
        return _edges.Where(e => e.From == stage.Index).Select(e => e.To).Distinct().Select(i => Stages[i]);
    }

    /// <summary>
    /// Builds the graph. Stage references are resolved by name (case-insensitive) or, for
    /// <c>--from</c>, by index; other names are images. <paramref name="target"/> null means the last stage.
    /// </summary>
    public static StageGraph Build(IReadOnlyList<Stage> stages, string? target = null, string fileName = "Dockerfile")
    {
        ArgumentNullException.ThrowIfNull(stages);
        if (stages.Count == 0) throw new DockerfileException("the Dockerfile has no stages");
        var byName = new Dictionary<string, Stage>(StringComparer.Ordinal);
        foreach (var s in stages)
        {
            if (s.Name is null) continue;
            if (!byName.TryAdd(s.Name, s))
                throw Error(fileName, s.From, $"duplicate stage name \"{s.Name}\": it is already used by the stage on line {byName[s.Name].From.Range.StartLine}");
        }
        var names = byName.Keys.ToList();
        var edges = new List<StageEdge>();
        foreach (var s in stages)
        {
            // FROM sees only stages defined above it; a later name is an image.
            if (byName.TryGetValue(s.BaseName.ToLowerInvariant(), out var baseStage) && baseStage.Index < s.Index)
                edges.Add(new StageEdge(s.Index, baseStage.Index, StageEdgeKind.Base, s.From.Range.StartLine));
            else if (byName.TryGetValue(s.BaseName.ToLowerInvariant(), out var self) && self.Index == s.Index)
                throw Error(fileName, s.From, $"circular dependency detected on stage: {s.Name} is built FROM itself");
            foreach (var ins in s.Instructions)
            {
                switch (ins)
                {
                    case CopyInstruction { From: { } from }:
                        AddReference(s, ins, from, StageEdgeKind.Copy, "COPY --from=");
                        break;
                    case RunInstruction run:
                        foreach (var m in run.Mounts)
                            if (m.From is { } mf) AddReference(s, ins, mf, StageEdgeKind.Mount, "RUN --mount from=");
                        break;
                }
            }
        }

        void AddReference(Stage s, Instruction ins, string reference, StageEdgeKind kind, string what)
        {
            if (byName.TryGetValue(reference.ToLowerInvariant(), out var named))
            {
                if (named.Index == s.Index) throw Error(fileName, ins, $"circular dependency detected on stage: {s.DisplayName} ({what}{reference} refers to its own stage)");
                edges.Add(new StageEdge(s.Index, named.Index, kind, ins.Range.StartLine));
                return;
            }
            if (reference.Length > 0 && reference.All(char.IsAsciiDigit))
            {
                if (!int.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= stages.Count)
                    throw Error(fileName, ins, $"{what}{reference} refers to stage {reference}, but there are only {stages.Count} stages (0 to {stages.Count - 1})");
                if (index == s.Index) throw Error(fileName, ins, $"circular dependency detected on stage: {s.DisplayName} ({what}{reference} refers to its own stage)");
                edges.Add(new StageEdge(s.Index, index, kind, ins.Range.StartLine));
                return;
            }
            // Anything else is an image reference; a bare word one typo away from a stage name is almost surely a mistake.
            if (reference.IndexOfAny(['/', ':', '@', '.', '$']) < 0 && Suggest.Closest(reference, names) is { } guess && Suggest.Distance(reference.ToLowerInvariant(), guess) <= 2)
                throw Error(fileName, ins, $"{what}{reference}: no stage named \"{reference}\" (did you mean {guess}?)");
        }

        Stage targetStage;
        if (target is null) targetStage = stages[^1];
        else if (byName.TryGetValue(target.ToLowerInvariant(), out var t)) targetStage = t;
        else
        {
            var message = Suggest.With($"target stage \"{target}\" could not be found", target, names);
            throw new DockerfileException(message);
        }

        // Depth-first from the target: finds what is needed, an order, and cycles.
        var state = new int[stages.Count]; // 0 new, 1 on stack, 2 done
        var required = new bool[stages.Count];
        var order = new List<Stage>();
        var adjacency = stages.Select(_ => new List<StageEdge>()).ToArray();
        foreach (var e in edges) adjacency[e.From].Add(e);
        var path = new List<int>();
        void Visit(int i)
        {
            if (state[i] == 2) return;
            if (state[i] == 1)
            {
                var cycle = path.SkipWhile(p => p != i).Append(i).Select(p => stages[p].DisplayName);
                var at = stages[path[^1]];
                throw Error(fileName, at.From, $"circular dependency detected on stage: {string.Join(" -> ", cycle)}");
            }
            state[i] = 1;
            path.Add(i);
            foreach (var e in adjacency[i]) Visit(e.To);
            path.RemoveAt(path.Count - 1);
            state[i] = 2;
            required[i] = true;
            order.Add(stages[i]);
        }
        Visit(targetStage.Index);
        // Cycles among stages the target does not need are still errors.
        for (int i = 0; i < stages.Count; i++)
        {
            if (state[i] != 0) continue;
            var saved = required.ToArray();
            var savedOrder = order.Count;
            Visit(i);
            Array.Copy(saved, required, saved.Length);
            order.RemoveRange(savedOrder, order.Count - savedOrder);
        }
        return new StageGraph(stages, targetStage, edges, required, order);
    }

    private static DockerfileException Error(string fileName, Instruction at, string reason) =>
        new(reason, fileName, at.Range.Start, at.Original);
}
