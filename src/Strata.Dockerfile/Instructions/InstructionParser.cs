using System.Globalization;
using System.Text.RegularExpressions;
using Strata.Dockerfile.Syntax;

namespace Strata.Dockerfile.Instructions;

/// <summary>
/// Syntax tree to typed instructions and stages, with BuildKit's validation: flags per instruction,
/// argument counts, JSON-only SHELL, HEALTHCHECK types and durations, COPY/ADD destinations,
/// ONBUILD triggers, stage names. Values are not expanded here (see <see cref="Expansion.BuildArgsScope"/>).
/// </summary>
public static partial class InstructionParser
{
    /// <summary>Every keyword, upper case, for suggestions.</summary>
    public static IReadOnlyList<string> Keywords { get; } =
        ["ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"];

    private static readonly Dictionary<string, FlagKind> NoFlags = [];
    private static readonly Dictionary<string, FlagKind> FromFlags = new() { ["platform"] = FlagKind.String };
    private static readonly Dictionary<string, FlagKind> RunFlags = new() { ["mount"] = FlagKind.List, ["network"] = FlagKind.String, ["security"] = FlagKind.String };
    private static readonly Dictionary<string, FlagKind> CopyFlags = new()
    {
        ["from"] = FlagKind.String, ["chown"] = FlagKind.String, ["chmod"] = FlagKind.String, ["link"] = FlagKind.Bool,
        ["parents"] = FlagKind.Bool, ["exclude"] = FlagKind.List,
    };
    private static readonly Dictionary<string, FlagKind> AddFlags = new()
    {
        ["chown"] = FlagKind.String, ["chmod"] = FlagKind.String, ["link"] = FlagKind.Bool, ["keep-git-dir"] = FlagKind.Bool,
        ["checksum"] = FlagKind.String, ["exclude"] = FlagKind.List,
    };
    private static readonly Dictionary<string, FlagKind> HealthFlags = new()
    {
        ["interval"] = FlagKind.String, ["timeout"] = FlagKind.String, ["start-period"] = FlagKind.String,
        ["start-interval"] = FlagKind.String, ["retries"] = FlagKind.String,
    };

    [GeneratedRegex("^[a-z][a-z0-9-_.]*$", RegexOptions.CultureInvariant)]
    private static partial Regex StageNamePattern();

    /// <summary>Parses text all the way to typed stages.</summary>
    public static DockerfileDefinition Parse(string text, string fileName = "Dockerfile") => Parse(DockerfileParser.Parse(text, fileName));

    /// <summary>Turns a syntax tree into typed stages; throws <see cref="DockerfileException"/> at the first error.</summary>
    public static DockerfileDefinition Parse(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var warnings = new List<DockerfileWarning>(parsed.Warnings);
        var globalArgs = new List<ArgInstruction>();
        var stages = new List<Stage>();
        FromInstruction? from = null;
        List<Instruction>? body = null;
        var seenSingles = new Dictionary<string, int>(StringComparer.Ordinal);
        bool sawWorkdir = false;
        CheckOptions check;
        try
        {
            check = CheckOptions.Parse(parsed.Directives.Check);
        }
        catch (DockerfileException ex)
        {
            throw new DockerfileException(ex.Reason, parsed.FileName, new SourcePosition(1, 1), parsed.LineText(1));
        }

        if (parsed.Directives.Syntax is { } syntax && !parsed.Directives.SyntaxIsBuiltinFrontend)
            warnings.Add(new DockerfileWarning("UnsupportedFrontend", $"syntax directive requests the frontend image \"{syntax}\"; Strata always uses its own Dockerfile frontend and does not pull it", 1));

        void Close()
        {
            if (from is not null) stages.Add(new Stage(stages.Count, from.StageName, from.BaseName, from.Platform, from, body!));
        }

        foreach (var node in parsed.Root.Children)
        {
            Instruction instruction;
            try
            {
                instruction = ParseNode(node, warnings);
            }
            catch (DockerfileException ex)
            {
                throw ex.At(parsed.FileName, new SourcePosition(node.StartLine, node.StartColumn), parsed.LineText(node.StartLine));
            }
            switch (instruction)
            {
                case FromInstruction f:
                    Close();
                    from = f;
                    body = [];
                    seenSingles.Clear();
                    sawWorkdir = false;
                    break;
                case ArgInstruction a when from is null:
                    globalArgs.Add(a);
                    break;
                default:
                    if (from is null)
                        throw parsed.ErrorAt(node, $"{instruction.Keyword} comes before the first FROM; only ARG may appear there");
                    if (instruction.Keyword is "CMD" or "ENTRYPOINT" or "HEALTHCHECK")
                    {
                        if (seenSingles.TryGetValue(instruction.Keyword, out var earlier))
                            warnings.Add(new DockerfileWarning("MultipleInstructionsDisallowed", $"Multiple {instruction.Keyword} instructions should not be used in the same stage because only the last one will be used (the earlier one is on line {earlier})", node.StartLine));
                        seenSingles[instruction.Keyword] = node.StartLine;
                    }
                    if (instruction is WorkdirInstruction wd)
                    {
                        if (!sawWorkdir && !wd.Path.StartsWith('/') && !wd.Path.StartsWith('$') && !(wd.Path.Length > 1 && wd.Path[1] == ':'))
                            warnings.Add(new DockerfileWarning("WorkdirRelativePath", $"Relative workdir \"{wd.Path}\" can have unexpected results if the base image changes", node.StartLine));
                        sawWorkdir = true;
                    }
                    body!.Add(instruction);
                    break;
            }
        }
        Close();
        CheckCasing(parsed, warnings);
        if (stages.Count == 0)
            throw new DockerfileException("the Dockerfile has no FROM instruction, so there is no stage to build", parsed.FileName, new SourcePosition(parsed.Root.StartLine, 1), parsed.LineText(parsed.Root.StartLine));

        var reported = warnings.Where(w => check.Reports(w.Rule)).ToList();
        if (check.Error && reported.Count > 0)
        {
            var first = reported[0];
            throw new DockerfileException($"lint rule {first.Rule} failed (check=error=true): {first.Message}", parsed.FileName, new SourcePosition(first.Line, 1), parsed.LineText(first.Line));
        }
        return new DockerfileDefinition(globalArgs, stages, parsed.Directives, reported);
    }

    // BuildKit's ConsistentInstructionCasing: keywords should all share the majority's case.
    private static void CheckCasing(ParseResult parsed, List<DockerfileWarning> warnings)
    {
        int upper = 0, lower = 0;
        var keywords = new List<(string Text, int Line)>();
        foreach (var node in parsed.Root.Children)
        {
            var k = FirstToken(node.Original);
            keywords.Add((k, node.StartLine));
            if (IsAllUpper(k)) upper++;
            else if (IsAllLower(k)) lower++;
        }
        var majorityUpper = upper >= lower;
        foreach (var (k, line) in keywords)
        {
            if (majorityUpper ? IsAllUpper(k) : IsAllLower(k)) continue;
            warnings.Add(new DockerfileWarning("ConsistentInstructionCasing", $"Command '{k}' should match the case of the command majority ({(majorityUpper ? "uppercase" : "lowercase")})", line));
        }
    }

    [GeneratedRegex(@"(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)", RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(?i)(?:_|^)public(?:_|$)", RegexOptions.CultureInvariant)]
    private static partial Regex PublicName();

    private static void CheckSecretName(string keyword, string name, int line, List<DockerfileWarning> warnings)
    {
        if (SecretName().IsMatch(name) && !PublicName().IsMatch(name))
            warnings.Add(new DockerfileWarning("SecretsUsedInArgOrEnv", $"Do not use ARG or ENV instructions for sensitive data ({keyword} \"{name}\"): the value stays in the image history; use RUN --mount=type=secret", line));
    }

    /// <summary>Types one instruction node (also used for ONBUILD triggers).</summary>
    internal static Instruction ParseNode(Node node, List<DockerfileWarning> warnings)
    {
        var range = new SourceRange(node.StartLine, node.StartColumn, node.EndLine);
        var args = NodeArgs(node);
        var keywordAsWritten = FirstToken(node.Original);
        Instruction result = node.Value switch
        {
            "from" => ParseFrom(node, args, keywordAsWritten, warnings),
            "run" => ParseRun(node, args),
            "cmd" => new CmdInstruction(CommandFrom(node, args, "CMD", warnings, emptyAsEmpty: false)) { },
            "entrypoint" => new EntrypointInstruction(CommandFrom(node, args, "ENTRYPOINT", warnings, emptyAsEmpty: true)),
            "shell" => ParseShell(node, args),
            "label" => ParseKeyValues(node, args, "LABEL", warnings),
            "env" => ParseKeyValues(node, args, "ENV", warnings),
            "maintainer" => ParseMaintainer(node, args, warnings),
            "expose" => ParseExpose(node, args, warnings),
            "add" => ParseAdd(node, args),
            "copy" => ParseCopy(node, args),
            "volume" => ParseVolume(node, args),
            "user" => new UserInstruction(ExactlyOne(node, args, "USER")),
            "workdir" => new WorkdirInstruction(ExactlyOne(node, args, "WORKDIR")),
            "stopsignal" => new StopSignalInstruction(ExactlyOne(node, args, "STOPSIGNAL")),
            "arg" => ParseArg(node, args, warnings),
            "onbuild" => ParseOnbuild(node, warnings),
            "healthcheck" => ParseHealthcheck(node, args),
            _ when keywordAsWritten.Length == 0 => throw new DockerfileException("empty instruction: a line continuation is followed by nothing"),
            _ => throw new DockerfileException(Suggest.With($"unknown instruction: {keywordAsWritten}", keywordAsWritten.ToUpperInvariant(), Keywords)),
        };
        return result with { Range = range, Original = node.Original.Trim() };
    }

    private static string FirstToken(string original)
    {
        var t = original.Trim();
        int i = 0;
        while (i < t.Length && !LineParsers.IsSplitSpace(t[i])) i++;
        return t[..i];
    }

    private static List<string> NodeArgs(Node node)
    {
        var result = new List<string>();
        for (var n = node.Next; n is not null; n = n.Next)
        {
            if (n.Children.Count == 0) result.Add(n.Value);
            else if (n.Children.Count == 1)
            {
                result.Add(n.Children[0].Value);
                result.AddRange(NodeArgs(n.Children[0]));
            }
        }
        return result;
    }

    private static FlagSet Flags(Node node, string keyword, IReadOnlyDictionary<string, FlagKind> allowed) => FlagSet.Parse(keyword, node.Flags, allowed);

    private static string ExactlyOne(Node node, List<string> args, string keyword)
    {
        Flags(node, keyword, NoFlags);
        if (args.Count != 1) throw new DockerfileException($"{keyword} requires exactly one argument");
        return args[0];
    }

    private static FromInstruction ParseFrom(Node node, List<string> args, string keywordAsWritten, List<DockerfileWarning> warnings)
    {
        var flags = Flags(node, "FROM", FromFlags);
        string? stageName = null;
        if (args.Count == 3 && args[1].Equals("as", StringComparison.OrdinalIgnoreCase))
        {
            stageName = args[2].ToLowerInvariant();
            if (!StageNamePattern().IsMatch(stageName))
                throw new DockerfileException($"invalid name for build stage: \"{args[2]}\", name can't start with a number or contain symbols");
            if (args[2] != stageName)
                warnings.Add(new DockerfileWarning("StageNameCasing", $"Stage name '{args[2]}' should be lowercase", node.StartLine));
            // Mixed-case keywords say nothing about intent; only upper FROM with lower as (or the reverse) is flagged.
            if ((IsAllUpper(keywordAsWritten) && IsAllLower(args[1])) || (IsAllLower(keywordAsWritten) && IsAllUpper(args[1])))
                warnings.Add(new DockerfileWarning("FromAsCasing", $"'{args[1]}' and '{keywordAsWritten}' keywords' casing do not match", node.StartLine));
            if (stageName is "scratch" or "context")
                warnings.Add(new DockerfileWarning("ReservedStageName", $"'{stageName}' is reserved and should not be used as a stage name", node.StartLine));
        }
        else if (args.Count != 1)
        {
            throw new DockerfileException(args.Count == 0 ? "FROM requires a base image" : "FROM requires either one or three arguments (FROM image [AS name])");
        }
        var platform = flags.String("platform");
        if (platform is { Length: 0 }) throw new DockerfileException("--platform requires a value");
        if (platform is "$TARGETPLATFORM" or "${TARGETPLATFORM}")
            warnings.Add(new DockerfileWarning("RedundantTargetPlatform", $"Setting platform to predefined {platform} in FROM is redundant as this is the default behavior", node.StartLine));
        else if (platform is not null && !platform.Contains('$', StringComparison.Ordinal))
            warnings.Add(new DockerfileWarning("FromPlatformFlagConstDisallowed", $"FROM --platform flag should not use constant value \"{platform}\"", node.StartLine));
        return new FromInstruction(args[0], stageName, platform);
    }

    private static bool IsAllUpper(string s) => s.Length > 0 && !s.Any(char.IsLower);

    private static bool IsAllLower(string s) => s.Length > 0 && !s.Any(char.IsUpper);

    private static List<string> JsonOrShell(Node node, List<string> args) => node.IsJson ? args : args.Count == 0 ? [] : [string.Join(' ', args)];

    private static CommandLine CommandFrom(Node node, List<string> args, string keyword, List<DockerfileWarning> warnings, bool emptyAsEmpty)
    {
        Flags(node, keyword, NoFlags);
        _ = emptyAsEmpty;
        if (!node.IsJson && args.Count > 0)
            warnings.Add(new DockerfileWarning("JSONArgsRecommended", $"JSON arguments recommended for {keyword} to prevent unintended behavior related to OS signals", node.StartLine));
        return new CommandLine(JsonOrShell(node, args), !node.IsJson);
    }

    private static RunInstruction ParseRun(Node node, List<string> args)
    {
        var flags = Flags(node, "RUN", RunFlags);
        var mounts = new List<RunMount>();
        int ssh = 0;
        foreach (var spec in flags.List("mount"))
        {
            var mount = MountParser.Parse(spec, null, ssh);
            if (mount.Type == MountType.Ssh) ssh++;
            mounts.Add(mount);
        }
        var network = flags.String("network") switch
        {
            null or "default" => RunNetwork.Default,
            "none" => RunNetwork.None,
            "host" => RunNetwork.Host,
            var other => throw new DockerfileException(Suggest.With($"unsupported network mode \"{other}\" for RUN --network (use default, none or host)", other, ["default", "none", "host"])),
        };
        var security = flags.String("security") switch
        {
            null or "sandbox" => RunSecurity.Sandbox,
            "insecure" => RunSecurity.Insecure,
            var other => throw new DockerfileException($"unsupported security mode \"{other}\" for RUN --security (use sandbox or insecure)"),
        };
        var cmd = JsonOrShell(node, args);
        if (cmd.Count == 0 && !node.IsJson) throw new DockerfileException("RUN requires a command");
        var heredocs = node.Heredocs.Select(h => new HeredocSource(h.Name, h.EffectiveContent, h.Expand, h.Chomp, h.FileDescriptor)).ToList();
        return new RunInstruction(new CommandLine(cmd, !node.IsJson), heredocs, mounts, network, security);
    }

    private static ShellInstruction ParseShell(Node node, List<string> args)
    {
        Flags(node, "SHELL", NoFlags);
        if (!node.IsJson)
        {
            if (args.Count == 0) throw new DockerfileException("SHELL requires at least one argument");
            throw new DockerfileException("SHELL requires the arguments to be in JSON form, e.g. SHELL [\"/bin/sh\", \"-c\"]");
        }
        if (args.Count == 0) throw new DockerfileException("SHELL requires at least one argument");
        return new ShellInstruction(args);
    }

    private static Instruction ParseKeyValues(Node node, List<string> args, string keyword, List<DockerfileWarning> warnings)
    {
        Flags(node, keyword, NoFlags);
        if (args.Count == 0) throw new DockerfileException($"{keyword} requires at least one argument");
        if (args.Count % 3 != 0) throw new DockerfileException($"Bad input to {keyword}, too many arguments");
        var pairs = new List<KeyValue>();
        bool legacy = false;
        for (int i = 0; i < args.Count; i += 3)
        {
            if (args[i].Length == 0) throw new DockerfileException($"{keyword} names can not be blank");
            pairs.Add(new KeyValue(args[i], args[i + 1]));
            legacy |= args[i + 2].Length == 0;
        }
        if (keyword == "ENV")
            foreach (var kv in pairs) CheckSecretName("ENV", kv.Key, node.StartLine, warnings);
        if (legacy)
            warnings.Add(new DockerfileWarning("LegacyKeyValueFormat", $"\"{keyword} key=value\" should be used instead of legacy \"{keyword} key value\" format", node.StartLine));
        return keyword == "ENV" ? new EnvInstruction(pairs, legacy) : new LabelInstruction(pairs, legacy);
    }

    private static MaintainerInstruction ParseMaintainer(Node node, List<string> args, List<DockerfileWarning> warnings)
    {
        var name = ExactlyOne(node, args, "MAINTAINER");
        warnings.Add(new DockerfileWarning("MaintainerDeprecated", "Maintainer instruction is deprecated in favor of using label", node.StartLine));
        return new MaintainerInstruction(name);
    }

    private static ExposeInstruction ParseExpose(Node node, List<string> args, List<DockerfileWarning> warnings)
    {
        Flags(node, "EXPOSE", NoFlags);
        if (args.Count == 0) throw new DockerfileException("EXPOSE requires at least one argument");
        foreach (var p in args)
        {
            int slash = p.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0 && p[(slash + 1)..].Any(char.IsUpper))
                warnings.Add(new DockerfileWarning("ExposeProtoCasing", $"Defined protocol '{p}' in EXPOSE instruction should be lowercase", node.StartLine));
        }
        var ports = args.ToList();
        ports.Sort(StringComparer.Ordinal);
        return new ExposeInstruction(ports);
    }

    private static VolumeInstruction ParseVolume(Node node, List<string> args)
    {
        Flags(node, "VOLUME", NoFlags);
        if (args.Count == 0) throw new DockerfileException("VOLUME requires at least one argument");
        var volumes = new List<string>();
        foreach (var v in args)
        {
            var t = v.Trim();
            if (t.Length == 0) throw new DockerfileException("VOLUME specified can not be an empty string");
            volumes.Add(t);
        }
        return new VolumeInstruction(volumes);
    }

    private static ArgInstruction ParseArg(Node node, List<string> args, List<DockerfileWarning> warnings)
    {
        Flags(node, "ARG", NoFlags);
        if (args.Count == 0) throw new DockerfileException("ARG requires at least one argument");
        var defs = new List<ArgDefinition>();
        foreach (var arg in args)
        {
            int eq = arg.IndexOf('=', StringComparison.Ordinal);
            if (eq == 0) throw new DockerfileException("ARG names can not be blank");
            defs.Add(eq < 0 ? new ArgDefinition(arg, null) : new ArgDefinition(arg[..eq], arg[(eq + 1)..]));
            CheckSecretName("ARG", defs[^1].Name, node.StartLine, warnings);
        }
        return new ArgInstruction(defs);
    }

    private static (List<string> Sources, List<HeredocSource> Contents, string Dest) SourcesAndDest(Node node, List<string> args, string keyword)
    {
        if (args.Count < 2)
        {
            if (args.Count == 1 && DockerfileParser.ParseHeredoc(args[0]) is not null)
                throw new DockerfileException($"{keyword} with a heredoc source needs a destination ({keyword} <<EOF /path)");
            throw new DockerfileException($"{keyword} requires at least two arguments, but only one was provided. Destination could not be determined");
        }
        var dest = args[^1];
        if (DockerfileParser.ParseHeredoc(dest) is not null) throw new DockerfileException($"{keyword} cannot accept a heredoc as a destination");
        var lookup = new Dictionary<string, Heredoc>(StringComparer.Ordinal);
        foreach (var h in node.Heredocs) lookup[h.Name] = h;
        var sources = new List<string>();
        var contents = new List<HeredocSource>();
        foreach (var src in args.Take(args.Count - 1))
        {
            var h = DockerfileParser.ParseHeredoc(src);
            if (h is not null && lookup.TryGetValue(h.Name, out var body))
                contents.Add(new HeredocSource(h.Name, body.EffectiveContent, h.Expand, h.Chomp, h.FileDescriptor));
            else sources.Add(src);
        }
        if (sources.Count + contents.Count > 1 && !dest.EndsWith('/') && !dest.Contains('$', StringComparison.Ordinal))
            throw new DockerfileException($"{keyword} with more than one source needs a destination ending in / (got \"{dest}\")");
        return (sources, contents, dest);
    }

    private static CopyInstruction ParseCopy(Node node, List<string> args)
    {
        var flags = Flags(node, "COPY", CopyFlags);
        var (sources, contents, dest) = SourcesAndDest(node, args, "COPY");
        var chmod = flags.String("chmod");
        if (chmod is not null) Chmod.Validate(chmod);
        var from = flags.String("from");
        if (from is { Length: 0 }) throw new DockerfileException("COPY --from requires a stage name, stage index or image");
        return new CopyInstruction(sources, contents, dest, from, flags.String("chown"), chmod, flags.Bool("link"), flags.Bool("parents"), flags.List("exclude"));
    }

    private static AddInstruction ParseAdd(Node node, List<string> args)
    {
        var flags = Flags(node, "ADD", AddFlags);
        var (sources, contents, dest) = SourcesAndDest(node, args, "ADD");
        var chmod = flags.String("chmod");
        if (chmod is not null) Chmod.Validate(chmod);
        var checksum = flags.String("checksum");
        if (checksum is not null && !checksum.Contains('$', StringComparison.Ordinal))
        {
            if (sources.Count != 1) throw new DockerfileException("ADD --checksum needs exactly one source");
            if (!IsRemote(sources[0]) && !sources[0].Contains('$', StringComparison.Ordinal))
                throw new DockerfileException($"ADD --checksum can only verify an HTTP(S) or git source, not \"{sources[0]}\"");
            if (!checksum.StartsWith("sha256:", StringComparison.Ordinal) && !checksum.StartsWith("sha384:", StringComparison.Ordinal) && !checksum.StartsWith("sha512:", StringComparison.Ordinal) && !IsHex(checksum))
                throw new DockerfileException($"invalid ADD --checksum \"{checksum}\": expected sha256:<hex> (or a git commit for git sources)");
        }
        return new AddInstruction(sources, contents, dest, flags.String("chown"), chmod, flags.Bool("link"), flags.Bool("keep-git-dir"), checksum, flags.List("exclude"));
    }

    private static bool IsRemote(string source) =>
        source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || source.StartsWith("git@", StringComparison.Ordinal) || source.Contains(".git", StringComparison.Ordinal) || source.StartsWith("git://", StringComparison.Ordinal);

    private static bool IsHex(string s) => s.Length >= 7 && s.All(char.IsAsciiHexDigit);

    private static OnbuildInstruction ParseOnbuild(Node node, List<DockerfileWarning> warnings)
    {
        Flags(node, "ONBUILD", NoFlags);
        if (node.Next is null || node.Next.Children.Count == 0) throw new DockerfileException("ONBUILD requires at least one argument");
        var child = node.Next.Children[0];
        var trigger = FirstToken(child.Original).ToUpperInvariant();
        switch (trigger)
        {
            case "ONBUILD":
                throw new DockerfileException("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "MAINTAINER" or "FROM":
                throw new DockerfileException($"{trigger} isn't allowed as an ONBUILD trigger");
        }
        var inner = ParseNode(child, []);
        _ = warnings;
        var expression = OnbuildPrefix().Replace(node.Original, "");
        foreach (var h in node.Heredocs) expression += "\n" + h.Content + h.Name;
        return new OnbuildInstruction(expression, inner);
    }

    [GeneratedRegex(@"(?i)^\s*ONBUILD\s*", RegexOptions.CultureInvariant)]
    private static partial Regex OnbuildPrefix();

    private static HealthcheckInstruction ParseHealthcheck(Node node, List<string> args)
    {
        if (args.Count == 0) throw new DockerfileException("HEALTHCHECK requires at least one argument (CMD ... or NONE)");
        var type = args[0].ToUpperInvariant();
        var rest = args.Skip(1).ToList();
        if (type == "NONE")
        {
            if (rest.Count != 0) throw new DockerfileException("HEALTHCHECK NONE takes no arguments");
            if (node.Flags.Count != 0) throw new DockerfileException("HEALTHCHECK NONE takes no flags");
            return new HealthcheckInstruction(new HealthcheckConfig(["NONE"], TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, 0));
        }
        var flags = Flags(node, "HEALTHCHECK", HealthFlags);
        if (type != "CMD") throw new DockerfileException($"Unknown type \"{args[0]}\" in HEALTHCHECK (try CMD)");
        var cmd = JsonOrShell(node, rest);
        if (cmd.Count == 0) throw new DockerfileException("Missing command after HEALTHCHECK CMD");
        var test = new List<string> { node.IsJson ? "CMD" : "CMD-SHELL" };
        test.AddRange(cmd);
        int retries = 0;
        if (flags.String("retries") is { } r)
        {
            if (!int.TryParse(r, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out retries))
                throw new DockerfileException($"invalid --retries value \"{r}\": expected a whole number");
            if (retries < 0) throw new DockerfileException($"--retries cannot be negative ({retries})");
        }
        return new HealthcheckInstruction(new HealthcheckConfig(test,
            Interval(flags, "interval"), Interval(flags, "timeout"), Interval(flags, "start-period"), Interval(flags, "start-interval"), retries));
    }

    private static TimeSpan Interval(FlagSet flags, string name)
    {
        var s = flags.String(name);
        if (string.IsNullOrEmpty(s)) return TimeSpan.Zero;
        var d = GoDuration.Parse(s, name);
        if (d == TimeSpan.Zero) return d;
        if (d < TimeSpan.FromMilliseconds(1)) throw new DockerfileException($"Interval \"{name}\" cannot be less than 1ms");
        return d;
    }
}
