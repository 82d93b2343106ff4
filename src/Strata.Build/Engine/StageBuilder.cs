using System.Diagnostics;
using Strata.Build.Cache;
using Strata.Build.History;
using Strata.Build.Steps;
using Strata.Core;
using Strata.Dockerfile;
using Strata.Dockerfile.Expansion;
using Strata.Dockerfile.Instructions;
using Strata.Oci;

namespace Strata.Build.Engine;

/// <summary>
/// Runs one stage's steps in order, each through the cache: the step's inputs are read, the
/// cache session decides (hit, miss with its reason, or rebase of a --link layer), and a step
/// that is not reused runs through its executor (<see cref="StepExecutors"/>). Any failure names
/// the Dockerfile line. The stage's cache chain rides in its state, so a stage built FROM this
/// one chains its keys on the final state's.
/// </summary>
internal sealed class StageBuilder
{
    private const string DefaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private readonly BuildContext _build;
    private readonly ExpandedStage _stage;
    private readonly RemoteSources _sources;
    private readonly StepInputsReader _inputs;
    private readonly StageBase _base;

    public StageBuilder(BuildContext build, ExpandedStage stage)
    {
        _build = build;
        _stage = stage;
        _sources = new RemoteSources(build.Store);
        _inputs = new StepInputsReader(build, stage, _sources);
        _base = new StageBase(build, stage);
    }

    private string FileName => _build.Request.DockerfileName;

    public async Task<StageState> BuildAsync(CancellationToken cancellationToken)
    {
        var state = await BaseAsync(cancellationToken).ConfigureAwait(false);
        state = await RunTriggersAsync(state, cancellationToken).ConfigureAwait(false);
        int index = 0;
        foreach (var step in _stage.Steps)
        {
            index++;
            int before = state.History.Count;
            state = (await StepAsync(state, step, $"[{_build.PlatformLabel(_stage)}{_stage.Stage.DisplayName} {index}/{_stage.Steps.Count}]", cancellationToken).ConfigureAwait(false))
                .MarkLines(before, step.Instruction.Range.StartLine);
        }
        return state;
    }

    private async Task<StageState> BaseAsync(CancellationToken cancellationToken)
    {
        var from = _stage.Stage.From;
        int id = _build.NextStepId();
        var sw = Stopwatch.StartNew();
        _build.Progress.StepStarted(id, $"[{_build.PlatformLabel(_stage)}{_stage.Stage.DisplayName}] FROM {_stage.Stage.BaseName}");
        StageState state;
        try
        {
            state = await _base.StateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (StrataException ex)
        {
            _build.Progress.StepFailed(id, ex.Message);
            throw new BuildStepException($"{FileName}:{from.Range.StartLine}: {from.Original}: {ex.Message}", ex);
        }
        var chain = await _base.ChainAsync(state, cancellationToken).ConfigureAwait(false);
        // Images without PATH get docker's default, as BuildKit adds it.
        var container = state.Container;
        if (!(container.Env ?? []).Any(e => e.StartsWith("PATH=", StringComparison.Ordinal)))
            container = container with { Env = [DefaultPath, .. container.Env ?? []] };
        _build.Progress.StepCompleted(id, sw.Elapsed, cached: true);
        // A stage's ARGs are its own: those of a base stage do not reach its RUN history.
        return state.WithContainer(container) with { CmdSet = false, Args = [], Cache = chain, BaseLayers = state.Layers.Count };
    }

    /// <summary>ONBUILD triggers of the base run first, then are cleared (they do not pass to grandchildren).</summary>
    private async Task<StageState> RunTriggersAsync(StageState state, CancellationToken cancellationToken)
    {
        var triggers = state.Container.OnBuild;
        if (triggers is null || triggers.Count == 0) return state;
        state = state.WithContainer(state.Container with { OnBuild = null });
        foreach (var trigger in triggers)
        {
            var env = (state.Container.Env ?? []).Select(e => e.Split('=', 2)).Select(p => new KeyValue(p[0], p.Length > 1 ? p[1] : "")).ToList();
            var expanded = DockerfileFrontend.ParseAndExpand("FROM scratch\n" + trigger, new BuildOptions { BuildArgs = _build.Request.BuildArgs, BaseImageEnv = _ => env }, "ONBUILD");
            foreach (var step in expanded.Stages[0].Steps)
                state = await StepAsync(state, step, $"[{_build.PlatformLabel(_stage)}{_stage.Stage.DisplayName} ONBUILD]", cancellationToken).ConfigureAwait(false);
        }
        return state;
    }

    /// <summary>
    /// One step: the cache decides; a filesystem step it reuses is not run (its layer and
    /// history are placed as they were), any other step runs through its executor, and a step
    /// that ran is recorded. The state after the step carries the chain the decision made.
    /// </summary>
    private async Task<StageState> StepAsync(StageState state, ExpandedStep step, string label, CancellationToken cancellationToken)
    {
        var instruction = step.Instruction;
        int id = _build.NextStepId();
        var sw = Stopwatch.StartNew();
        _build.Progress.StepStarted(id, $"{label} {instruction.Original}");
        var scope = new StepScope(_build, _stage, _sources, id);
        IDisposable? turn = null;
        try
        {
            var chain = state.Cache!;
            var inputs = await _inputs.ReadAsync(state, step, chain, chain.Step + 1, cancellationToken).ConfigureAwait(false);
            // Another platform of this build with the same step runs it first; this one then hits.
            if (_build.Shared is { } shared) turn = await shared.Turns.TakeAsync(inputs.Key(), cancellationToken).ConfigureAwait(false);
            var decision = await DecideAsync(state, step, scope, inputs, cancellationToken).ConfigureAwait(false);
            if (decision.Reused && StepExecutors.MakesLayer(instruction))
            {
                _build.Progress.StepCompleted(id, sw.Elapsed, cached: true);
                return ApplyCached(state, instruction, decision, scope) with { Cache = decision.Next };
            }
            var next = await StepExecutors.For(step).ExecuteAsync(state, scope, cancellationToken).ConfigureAwait(false);
            next = await AfterStepAsync(state, next, decision, cancellationToken).ConfigureAwait(false);
            _build.Progress.StepCompleted(id, sw.Elapsed, cached: decision.Reused);
            return next with { Cache = decision.Next };
        }
        catch (BuildStepException ex)
        {
            _build.Progress.StepFailed(id, ex.Message);
            throw;
        }
        catch (StrataException ex)
        {
            _build.Progress.StepFailed(id, ex.Message);
            // "COPY failed: ..." already names the instruction: say it once.
            var keyword = ex.Message.StartsWith(instruction.Keyword + " ", StringComparison.Ordinal) ? "" : instruction.Keyword + ": ";
            throw new BuildStepException($"{FileName}:{instruction.Range.StartLine}: {keyword}{ex.Message}", ex);
        }
        catch (IOException ex)
        {
            _build.Progress.StepFailed(id, ex.Message);
            throw new BuildStepException($"{FileName}:{instruction.Range.StartLine}: {instruction.Keyword}: {ex.Message}", ex);
        }
        finally
        {
            turn?.Dispose();
        }
    }

    /// <summary>The step's inputs and keys, the session's decision on them, and the progress lines a miss or rebase shows.</summary>
    private async Task<CacheDecision> DecideAsync(StageState state, ExpandedStep step, StepScope scope, StepInputs inputs, CancellationToken cancellationToken)
    {
        var cache = _build.Cache;
        var chain = state.Cache!;
        int number = chain.Step + 1;
        var link = await StepInputsReader.ReadLinkAsync(state, step.Instruction, scope, cancellationToken).ConfigureAwait(false) is { } linked ? inputs.LinkKey(linked) : (CacheKey?)null;
        var slot = CacheSession.Slot(_stage.Stage.Index, number);
        var decision = await cache.DecideAsync(new CacheQuery(slot, chain, inputs)
        {
            LinkKey = link,
            NoCacheFilter = NoCacheFilter(cache.Options),
            ParentSnapshot = state.Snapshot,
            ParentDiffIds = state.DiffIds,
        }, cancellationToken).ConfigureAwait(false);
        if (decision.Outcome == CacheOutcome.Rebase) _build.Progress.StepCacheRebased(scope.Id, decision.Reason!);
        if (decision.Outcome == CacheOutcome.Miss)
        {
            // A multi-platform build says whose miss it is: the same step misses once per platform.
            _build.Progress.StepCacheMiss(scope.Id, _build.Shared is null ? decision.Reason! : $"{_build.PlatformOf(_stage)}: {decision.Reason}");
            if (cache.Options.Explain)
                foreach (var line in await cache.ExplainAsync(slot, inputs, cancellationToken).ConfigureAwait(false)) _build.Progress.StepCacheExplained(scope.Id, line);
        }
        return decision;
    }

    /// <summary>The <c>--no-cache-filter</c> entry naming this stage (by name or index), or null.</summary>
    private string? NoCacheFilter(BuildCacheOptions options)
    {
        var stage = _stage.Stage;
        return options.NoCacheStages.FirstOrDefault(f =>
            (stage.Name is not null && string.Equals(f, stage.Name, StringComparison.OrdinalIgnoreCase))
            || f == stage.Index.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A filesystem step's cached result: its layer (if it made one) and its history entry, as when it ran.</summary>
    private StageState ApplyCached(StageState state, Instruction instruction, CacheDecision decision, StepScope scope)
    {
        var record = decision.Record!;
        if (instruction is WorkdirInstruction workdir) state = WorkdirStep.Configure(state, workdir);
        var entry = new HistoryEntry
        {
            Created = _build.Request.SourceDateEpoch ?? record.HistoryCreated ?? scope.Now,
            CreatedBy = record.CreatedBy,
            Comment = HistoryText.Comment,
            EmptyLayer = decision.Layer is null,
        };
        var next = decision.Layer is null ? state.AddHistory(entry) : state.AddLayer(decision.Layer, record.Snapshot!).AddHistory(entry);
        _build.Cache.Place(decision.Key, next.History.Count - 1, decision.Layer is null ? -1 : next.Layers.Count - 1);
        return next;
    }

    /// <summary>After a step ran (or a metadata step was re-applied on a hit): records a miss's result, or restores a hit's history time.</summary>
    private async Task<StageState> AfterStepAsync(StageState before, StageState next, CacheDecision decision, CancellationToken cancellationToken)
    {
        var history = next.History.Count > before.History.Count ? next.History[^1] : null;
        _build.Cache.Place(decision.Key, history is null ? -1 : next.History.Count - 1, next.Layers.Count > before.Layers.Count ? next.Layers.Count - 1 : -1);
        if (decision.Reused)
        {
            // Same history time as the build that made the record, so the image ID is the same.
            if (history is not null && _build.Request.SourceDateEpoch is null && decision.Record!.HistoryCreated is { } created)
                next = next with { History = [.. next.History.Take(next.History.Count - 1), history with { Created = created }] };
            return next;
        }
        var layer = next.Layers.Count > before.Layers.Count ? next.Layers[^1] : null;
        await _build.Cache.RecordAsync(decision, layer, next.Snapshot, history, cancellationToken).ConfigureAwait(false);
        return next;
    }
}
