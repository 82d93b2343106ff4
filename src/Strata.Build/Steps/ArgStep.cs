using Strata.Build.Engine;
using Strata.Build.History;
using Strata.Dockerfile.Expansion;
using Strata.Dockerfile.Instructions;

namespace Strata.Build.Steps;

/// <summary>
/// ARG: the declared names with their values join the stage's ARGs (<see cref="StageState.Args"/>,
/// which RUN's history lists) and an <c>empty_layer</c> history entry shows the written defaults.
/// </summary>
internal sealed class ArgStep : IStepExecutor
{
    private readonly ArgInstruction _arg;

    public ArgStep(ArgInstruction arg) => _arg = arg;

    public Task<StageState> ExecuteAsync(StageState state, StepScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(scope);
        var build = scope.Build;
        var args = state.Args.ToList();
        foreach (var def in _arg.Args)
        {
            var value = build.Request.BuildArgs.TryGetValue(def.Name, out var v) ? v
                : def.Default ?? (build.Dockerfile.GlobalArgs.TryGetValue(def.Name, out var g) ? g : null);
            // BuildKit's RUN history lists every ARG in scope in declaration order, one without a
            // value as "NAME=", and a redeclared one keeps its first place with the new value.
            // Proxy settings stay out of history (they often carry credentials).
            if (PredefinedArgs.IsExcludedFromHistory(def.Name)) continue;
            var entry = new KeyValuePair<string, string>(def.Name, value ?? "");
            int at = args.FindIndex(a => a.Key == def.Name);
            if (at >= 0) args[at] = entry; else args.Add(entry);
        }
        var next = state with { Args = args };
        return Task.FromResult(next.AddHistory(scope.History(HistoryText.ForMetadata(WrittenDefaults(build), state.Container), empty: true)));
    }

    /// <summary>
    /// BuildKit's ARG history shows the Dockerfile's default (<c>ARG V=1.0</c>) even when
    /// <c>--build-arg V=2</c> overrides it, but expansion already put the build arg's value in
    /// <see cref="ArgDefinition.Default"/>. A written default without <c>$</c> is shown as
    /// written; one that expands keeps the expanded value (exact only when no build arg overrides it).
    /// </summary>
    private ArgInstruction WrittenDefaults(BuildContext build)
    {
        if (!build.WrittenArgs.TryGetValue(_arg.Range.StartLine, out var written) || written.Args.Count != _arg.Args.Count) return _arg;
        return _arg with
        {
            Args = [.. _arg.Args.Select((a, i) => written.Args[i].Default is { } d && !d.Contains('$', StringComparison.Ordinal) ? a with { Default = d } : a)],
        };
    }
}
