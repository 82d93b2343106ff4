using Strata.Core;
using Strata.Dockerfile.Graph;
using Strata.Dockerfile.Instructions;
using Strata.Dockerfile.Shell;

namespace Strata.Dockerfile.Expansion;

/// <summary>
/// ARG/ENV scoping and word expansion, as BuildKit's converter does it:
/// global ARGs (before the first FROM) are visible only to FROM lines, unless a stage
/// re-declares them with a bare <c>ARG NAME</c>; <c>--build-arg</c> overrides defaults; ENV wins
/// over ARG; the platform ARGs are predefined. Expanded: FROM (image, --platform), ENV and LABEL
/// keys and values, ADD/COPY sources, destination, --from, --chown, --chmod, --checksum and
/// --exclude, EXPOSE (may split into several ports), USER, WORKDIR, VOLUME, STOPSIGNAL, ARG
/// defaults and RUN --mount options. Not expanded: RUN/CMD/ENTRYPOINT commands (the shell does
/// that at run time), SHELL, HEALTHCHECK, MAINTAINER and ONBUILD.
/// </summary>
public static class BuildArgsScope
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>Scopes, expands, builds the stage graph and prunes to the target.</summary>
    public static ExpandedDockerfile Expand(DockerfileDefinition definition, BuildOptions? options = null, string fileName = "Dockerfile")
    {
        ArgumentNullException.ThrowIfNull(definition);
        options ??= new BuildOptions();
        var lexer = new ShellLexer(definition.Directives.EscapeToken);
        // Heredoc bodies are expanded like a shell would expand an unquoted heredoc: variables only, quotes kept.
        var heredocLexer = new ShellLexer('\\') { SkipProcessQuotes = true };
        var warnings = new List<DockerfileWarning>(definition.Warnings);
        var check = CheckOptions.Parse(definition.Directives.Check);
        var usedBuildArgs = new HashSet<string>(StringComparer.Ordinal);

        // Global scope: the predefined platform args, then the meta ARGs in order.
        var host = Platform.Host;
        var global = PredefinedArgs.Platform(options.TargetPlatform ?? host, options.BuildPlatform ?? host);
        foreach (var arg in definition.GlobalArgs)
        {
            foreach (var def in arg.Args)
            {
                var name = Word(lexer, def.Name, global, arg, fileName, null);
                if (options.BuildArgs.TryGetValue(name, out var v))
                {
                    global[name] = v;
                    usedBuildArgs.Add(name);
                }
                else if (def.Default is not null)
                {
                    global[name] = Word(lexer, def.Default, global, arg, fileName, null);
                }
            }
        }

        var expandedStages = new List<ExpandedStage>();
        var stagesByName = new Dictionary<string, int>(StringComparer.Ordinal);
        // Like BuildKit, a stage the target does not need may fail to expand without failing the
        // build: remember the error and raise it only if the stage turns out to be needed.
        var failures = new Dictionary<int, DockerfileException>();
        foreach (var stage in definition.Stages)
        {
            int warningsBefore = warnings.Count;
            try
            {
                var fromIns = stage.From;
                var fromResult = Process(lexer, fromIns.BaseName, global, fromIns, fileName);
                foreach (var missing in fromResult.Unmatched)
                    if (!IsSpecial(missing))
                        warnings.Add(new DockerfileWarning("UndefinedArgInFrom", $"FROM argument '{missing}' is not declared", fromIns.Range.StartLine));
                var baseName = fromResult.Result;
                if (baseName.Length == 0)
                    throw new DockerfileException($"base name ({fromIns.BaseName}) should not be blank", fileName, fromIns.Range.Start, fromIns.Original);
                string? platform = fromIns.Platform is null ? null : Word(lexer, fromIns.Platform, global, fromIns, fileName, null);
                // The platform's syntax is checked by whoever resolves it: BuildKit accepts more spellings
                // ("linux", "arm64", "linux/arm/v7") than a strict os/arch parser would.
                int? baseStage = stagesByName.TryGetValue(baseName.ToLowerInvariant(), out var b) && options.IsNamedContext?.Invoke(baseName) != true ? b : null;
                var env = new List<KeyValue>();
                if (baseStage is { } bi) env.AddRange(expandedStages[bi].Env);
                else if (options.BaseImageEnv?.Invoke(baseName) is { } imageEnv) env.AddRange(imageEnv);
                if (!env.Any(e => e.Key == "PATH") && baseStage is null) env.Add(new KeyValue("PATH", DefaultPath));

                var scope = new StageScope(env);
                var steps = new List<ExpandedStep>();
                var expanded = new List<Instruction>();
                foreach (var ins in stage.Instructions)
                {
                    var undefined = new List<string>();
                    string W(string w) => Word(lexer, w, scope.Merged, ins, fileName, undefined);
                    Instruction result;
                    IReadOnlyDictionary<string, string>? runEnv = null;
                    switch (ins)
                    {
                        case ArgInstruction a:
                        {
                            // Every name=default on one line is expanded with the scope from before the line, then applied.
                            var defs = new List<ArgDefinition>();
                            var values = new List<string?>();
                            foreach (var def in a.Args)
                            {
                                var name = W(def.Name);
                                string? value = null;
                                if (options.BuildArgs.TryGetValue(name, out var v))
                                {
                                    value = v;
                                    usedBuildArgs.Add(name);
                                }
                                else if (def.Default is not null) value = W(def.Default);
                                else if (global.TryGetValue(name, out var gv)) value = gv;
                                values.Add(value);
                                defs.Add(new ArgDefinition(name, def.Default is null ? null : value));
                            }
                            for (int i = 0; i < defs.Count; i++) scope.SetArg(defs[i].Name, values[i]);
                            result = a with { Args = defs };
                            break;
                        }
                        case EnvInstruction e:
                        {
                            var vars = new List<KeyValue>();
                            // As BuildKit: all pairs of one ENV see the environment from before the line.
                            foreach (var kv in e.Variables) vars.Add(new KeyValue(W(kv.Key), W(kv.Value)));
                            foreach (var kv in vars) scope.SetEnv(kv.Key, kv.Value);
                            result = e with { Variables = vars };
                            break;
                        }
                        case LabelInstruction l:
                            result = l with { Labels = l.Labels.Select(kv => new KeyValue(W(kv.Key), W(kv.Value))).ToList() };
                            break;
                        case CopyInstruction c:
                            result = c with
                            {
                                Sources = c.Sources.Select(W).ToList(),
                                Destination = W(c.Destination),
                                From = c.From is null ? null : W(c.From),
                                Chown = c.Chown is null ? null : W(c.Chown),
                                Chmod = c.Chmod is null ? null : ValidChmod(W(c.Chmod), ins, fileName),
                                Excludes = c.Excludes.Select(W).ToList(),
                                Contents = ExpandContents(heredocLexer, c.Contents, scope.Merged, ins, fileName),
                            };
                            CheckDestination((CopyInstruction)result, ins, fileName);
                            break;
                        case AddInstruction ad:
                            result = ad with
                            {
                                Sources = ad.Sources.Select(W).ToList(),
                                Destination = W(ad.Destination),
                                Chown = ad.Chown is null ? null : W(ad.Chown),
                                Chmod = ad.Chmod is null ? null : ValidChmod(W(ad.Chmod), ins, fileName),
                                Checksum = ad.Checksum is null ? null : W(ad.Checksum),
                                Excludes = ad.Excludes.Select(W).ToList(),
                                Contents = ExpandContents(heredocLexer, ad.Contents, scope.Merged, ins, fileName),
                            };
                            break;
                        case ExposeInstruction x:
                        {
                            var ports = new List<string>();
                            foreach (var p in x.Ports) ports.AddRange(Words(lexer, p, scope.Merged, ins, fileName, undefined));
                            result = x with { Ports = ports };
                            break;
                        }
                        case UserInstruction u:
                            result = u with { User = W(u.User) };
                            break;
                        case WorkdirInstruction wd:
                            result = wd with { Path = W(wd.Path) };
                            break;
                        case VolumeInstruction vo:
                            result = vo with { Volumes = vo.Volumes.Select(W).ToList() };
                            break;
                        case StopSignalInstruction ss:
                            result = ss with { Signal = W(ss.Signal) };
                            break;
                        case RunInstruction r:
                        {
                            int ssh = 0;
                            var mounts = new List<RunMount>();
                            foreach (var m in r.Mounts)
                            {
                                RunMount parsed;
                                try
                                {
                                    parsed = MountParser.Parse(m.Spec, W, ssh);
                                }
                                catch (DockerfileException ex)
                                {
                                    throw ex.At(fileName, ins.Range.Start, ins.Original);
                                }
                                if (parsed.Type == MountType.Ssh) ssh++;
                                mounts.Add(parsed);
                            }
                            result = r with { Mounts = mounts };
                            var envForRun = new Dictionary<string, string>(scope.Merged, StringComparer.Ordinal);
                            foreach (var (k, v) in options.BuildArgs)
                            {
                                if (PredefinedArgs.Proxy.Contains(k) && !envForRun.ContainsKey(k))
                                {
                                    envForRun[k] = v;
                                    usedBuildArgs.Add(k);
                                }
                            }
                            runEnv = envForRun;
                            break;
                        }
                        default:
                            result = ins;
                            break;
                    }
                    foreach (var name in undefined.Distinct(StringComparer.Ordinal))
                    {
                        // As BuildKit: an ARG declared in the stage (even without a value) is not "undefined".
                        if (scope.IsDeclaredArg(name)) continue;
                        var message = Suggest.With($"Usage of undefined variable '${name}'", name, scope.Merged.Keys.Concat(definition.GlobalArgs.SelectMany(g => g.Args.Select(a => a.Name))), "$");
                        warnings.Add(new DockerfileWarning("UndefinedVar", message, ins.Range.StartLine));
                    }
                    expanded.Add(result);
                    steps.Add(new ExpandedStep(result, runEnv));
                }

                var expandedFrom = fromIns with { BaseName = baseName, Platform = platform };
                var expandedStage = stage with { BaseName = baseName, Platform = platform, From = expandedFrom, Instructions = expanded };
                expandedStages.Add(new ExpandedStage(expandedStage, baseStage, steps, scope.Env.ToList()));
            }
            catch (DockerfileException ex)
            {
                failures[stage.Index] = ex;
                warnings.RemoveRange(warningsBefore, warnings.Count - warningsBefore);
                expandedStages.Add(new ExpandedStage(stage, null, stage.Instructions.Select(i => new ExpandedStep(i, null)).ToList(), []));
            }
            if (stage.Name is not null) stagesByName.TryAdd(stage.Name, stage.Index);
        }

        var graph = StageGraph.Build(expandedStages.Select(s => s.Stage).ToList(), options.Target, fileName);
        foreach (var s in graph.BuildOrder)
            if (failures.TryGetValue(s.Index, out var failure)) throw failure;
        var needed = graph.BuildOrder.Select(s => expandedStages[s.Index]).ToList();

        var unused = options.BuildArgs.Keys.Where(k => !usedBuildArgs.Contains(k) && !PredefinedArgs.Proxy.Contains(k) && k != "SOURCE_DATE_EPOCH").OrderBy(k => k, StringComparer.Ordinal).ToList();
        if (unused.Count > 0)
            warnings.Add(new DockerfileWarning("UnusedBuildArg", $"One or more build-args [{string.Join(' ', unused)}] were not consumed", 0));

        var reported = warnings.Where(w => check.Reports(w.Rule)).Distinct().ToList();
        return new ExpandedDockerfile(graph, needed, global, reported);
    }

    private static List<HeredocSource> ExpandContents(ShellLexer lexer, IReadOnlyList<HeredocSource> contents, IReadOnlyDictionary<string, string> env, Instruction at, string fileName) =>
        contents.Select(h => h.Expand ? h with { Content = Process(lexer, h.Content, env, at, fileName).Result } : h).ToList();

    private static string ValidChmod(string value, Instruction at, string fileName)
    {
        try
        {
            Chmod.Validate(value);
        }
        catch (DockerfileException ex)
        {
            throw ex.At(fileName, at.Range.Start, at.Original);
        }
        return value;
    }

    private static void CheckDestination(CopyInstruction c, Instruction at, string fileName)
    {
        if (c.Sources.Count + c.Contents.Count > 1 && !c.Destination.EndsWith('/'))
            throw new DockerfileException($"COPY with more than one source needs a destination ending in / (got \"{c.Destination}\")", fileName, at.Range.Start, at.Original);
    }

    private static bool IsSpecial(string name) => name.Length == 0 || char.IsAsciiDigit(name[0]) || name is "@" or "*" or "#" or "?" or "-" or "$" or "!";

    private static ShellWordResult Process(ShellLexer lexer, string word, IReadOnlyDictionary<string, string> env, Instruction at, string fileName, bool words = false)
    {
        try
        {
            return words ? lexer.Process(word, env) : lexer.ProcessSingle(word, env);
        }
        catch (DockerfileException ex)
        {
            throw ex.At(fileName, at.Range.Start, at.Original);
        }
    }

    private static string Word(ShellLexer lexer, string word, IReadOnlyDictionary<string, string> env, Instruction at, string fileName, List<string>? undefined)
    {
        // Fast path: most words have nothing to expand or unquote.
        if (word.AsSpan().IndexOfAny('$', '\'', '"') < 0 && word.IndexOf(lexer.EscapeToken, StringComparison.Ordinal) < 0) return word;
        var r = Process(lexer, word, env, at, fileName);
        if (undefined is not null) foreach (var u in r.Unmatched) if (!IsSpecial(u)) undefined.Add(u);
        return r.Result;
    }

    private static IReadOnlyList<string> Words(ShellLexer lexer, string word, IReadOnlyDictionary<string, string> env, Instruction at, string fileName, List<string> undefined)
    {
        var r = Process(lexer, word, env, at, fileName, words: true);
        foreach (var u in r.Unmatched) if (!IsSpecial(u)) undefined.Add(u);
        return r.Words;
    }
}
