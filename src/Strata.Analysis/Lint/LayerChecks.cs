using Strata.Dockerfile.Instructions;

namespace Strata.Analysis.Lint;

/// <summary>Layer-order and layer-content rules: COPY . . before the install, secrets, consecutive RUNs, sed -i copy-ups, .dockerignore.</summary>
internal static class LayerChecks
{
    /// <summary>Consecutive RUNs from which lint speaks up (the chapter's "layer explosion" has five).</summary>
    internal const int ConsecutiveRunLimit = 3;

    /// <summary>A copied file at least this big makes <c>sed -i</c> a real copy-up; below it lint stays quiet when it knows the size.</summary>
    internal const long BigFile = 1024 * 1024;

    private static readonly string[] SecretNames = [".env", ".npmrc", ".pypirc", ".netrc", ".git-credentials", "id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "credentials", "credentials.json", ".htpasswd"];
    private static readonly string[] SecretExtensions = [".key", ".pem", ".p12", ".pfx", ".jks", ".keystore"];

    public static void Check(LintSession session)
    {
        foreach (var stage in session.Definition.Stages)
        {
            CopyBeforeInstall(session, stage);
            Secrets(session, stage);
            Consecutive(session, stage);
            SedInPlace(session, stage);
        }
        Dockerignore(session);
    }

    private static bool IsBroad(string source) => source is "." or "./" or "*" or "./*" or "./." ;

    private static void CopyBeforeInstall(LintSession session, Stage stage)
    {
        CopyInstruction? broad = null;
        foreach (var ins in stage.Instructions)
        {
            if (ins is CopyInstruction { From: null } copy && copy.Sources.Any(IsBroad)) broad ??= copy;
            if (broad is null || ins is not RunInstruction run) continue;
            if (session.Commands(run).FirstOrDefault(IsDependencyInstall) is { } install)
            {
                var source = broad.Sources.First(IsBroad);
                session.Add(LintRules.CopyAllBeforeInstall, broad, source,
                    $"COPY {source} on line {broad.Range.StartLine} comes before '{PackageChecks.Short(install.Text)}' on line {run.Range.StartLine}: every source change re-runs the install; copy the dependency manifests first");
                return;
            }
        }
    }

    private static bool IsDependencyInstall(ShellCommand c) =>
        c.IsPipInstall
        || (c.Program is "npm" or "pnpm" && c.Subcommand is "install" or "ci" or "i")
        || (c.Program == "yarn" && c.Subcommand is null or "install")
        || (c.Program is "bundle" or "composer" or "poetry" or "pipenv" && c.Subcommand == "install")
        || (c.Program == "go" && c.Subcommand == "mod")
        || (c.Program == "dotnet" && c.Subcommand == "restore")
        || (c.Program == "cargo" && c.Subcommand == "fetch");

    internal static bool LooksSecret(string path)
    {
        var name = Path.GetFileName(path.TrimEnd('/'));
        if (name.Length == 0) return false;
        return SecretNames.Contains(name, StringComparer.OrdinalIgnoreCase)
            || name.StartsWith(".env.", StringComparison.OrdinalIgnoreCase)
            || SecretExtensions.Any(e => name.EndsWith(e, StringComparison.OrdinalIgnoreCase))
            || name.Contains("secret", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".docker/config.json", StringComparison.Ordinal);
    }

    private static void Secrets(LintSession session, Stage stage)
    {
        var body = stage.Instructions;
        string workdir = "/";
        for (int i = 0; i < body.Count; i++)
        {
            if (body[i] is WorkdirInstruction wd) workdir = Resolve(workdir, wd.Path);
            var sources = body[i] switch
            {
                CopyInstruction c => c.Sources,
                AddInstruction a => a.Sources.Where(s => !s.Contains("://", StringComparison.Ordinal)).ToList(),
                _ => [],
            };
            foreach (var source in sources.Where(LooksSecret))
            {
                var name = Path.GetFileName(source.TrimEnd('/'));
                var removal = body.Skip(i + 1).OfType<RunInstruction>()
                    .FirstOrDefault(r => session.Commands(r).Any(c => c.Program == "rm" && c.Words.Skip(1).Any(w => Path.GetFileName(w) == name)));
                var message = removal is null
                    ? $"{source} is copied into the layer of line {body[i].Range.StartLine} and ships with the image: use RUN --mount=type=secret"
                    : $"{source} is copied on line {body[i].Range.StartLine} and removed on line {removal.Range.StartLine}, but stays in the layer of line {body[i].Range.StartLine}: use RUN --mount=type=secret";
                session.Add(LintRules.SecretFileInLayer, body[i], source, message, Target(body[i], sources, source, workdir));
            }
        }
    }

    private static void Consecutive(LintSession session, Stage stage)
    {
        var block = new List<RunInstruction>();
        void Flush()
        {
            if (block.Count >= ConsecutiveRunLimit)
                session.Add(LintRules.ConsecutiveRuns, block[0], null,
                    $"{block.Count} consecutive RUN instructions (lines {block[0].Range.StartLine}-{block[^1].Range.StartLine}) make {block.Count} layers: join them with &&");
            block.Clear();
        }
        foreach (var ins in stage.Instructions)
        {
            if (ins is RunInstruction run) block.Add(run);
            else Flush();
        }
        Flush();
    }

    private static void SedInPlace(LintSession session, Stage stage)
    {
        // Where each file copied from the context landed (absolute path), and from where.
        var copied = new Dictionary<string, (Instruction At, string Source)>(StringComparer.Ordinal);
        string workdir = "/";
        foreach (var ins in stage.Instructions)
        {
            switch (ins)
            {
                case WorkdirInstruction wd:
                    workdir = Resolve(workdir, wd.Path);
                    break;
                case CopyInstruction { From: null } copy:
                    Remember(copied, copy, copy.Sources, copy.Destination, workdir);
                    break;
                case AddInstruction add:
                    Remember(copied, add, add.Sources.Where(s => !s.Contains("://", StringComparison.Ordinal)).ToList(), add.Destination, workdir);
                    break;
                case RunInstruction run:
                    foreach (var c in session.Commands(run).Where(c => c.Program == "sed" && c.Words.Any(IsInPlace)))
                    {
                        foreach (var target in c.Words.Skip(1).Where(w => !w.StartsWith('-')).Select(w => Resolve(workdir, w)))
                        {
                            if (!copied.TryGetValue(target, out var origin)) continue;
                            long? size = session.Context?.SizeOf(origin.Source);
                            if (size < BigFile) continue;
                            var bytes = size is { } s ? $" ({s} bytes)" : "";
                            session.Add(LintRules.SedInPlaceOnCopiedFile, run, LintSession.Needle(c),
                                $"sed -i rewrites {target}{bytes}, copied on line {origin.At.Range.StartLine}: the whole file is stored again in this layer; transform it while writing it once");
                        }
                    }
                    break;
            }
        }
    }

    /// <summary>Where a COPY/ADD puts one source in the image (a directory source: the directory).</summary>
    private static string Target(Instruction at, IReadOnlyList<string> sources, string source, string workdir)
    {
        var destination = at is CopyInstruction c ? c.Destination : ((AddInstruction)at).Destination;
        var dest = Resolve(workdir, destination);
        bool intoDir = destination.EndsWith('/') || sources.Count > 1 || destination is "." or "./";
        return intoDir ? Resolve(dest, Path.GetFileName(source.TrimEnd('/'))) : dest;
    }

    private static bool IsInPlace(string w) => w == "--in-place" || w.StartsWith("--in-place=", StringComparison.Ordinal) || (w.StartsWith("-i", StringComparison.Ordinal) && !w.StartsWith("--", StringComparison.Ordinal)) || (w.StartsWith('-') && !w.StartsWith("--", StringComparison.Ordinal) && w.Contains('i', StringComparison.Ordinal) && w.Length <= 4);

    private static void Remember(Dictionary<string, (Instruction, string)> copied, Instruction at, IReadOnlyList<string> sources, string destination, string workdir)
    {
        var dest = Resolve(workdir, destination);
        bool intoDir = destination.EndsWith('/') || sources.Count > 1 || destination is "." or "./";
        foreach (var source in sources)
        {
            if (source.IndexOfAny(['*', '?', '[']) >= 0 || IsBroad(source)) continue;
            var target = intoDir ? Resolve(dest, Path.GetFileName(source.TrimEnd('/'))) : dest;
            copied[target] = (at, source);
        }
    }

    /// <summary>A container path made absolute against the working directory, without <c>.</c> segments.</summary>
    internal static string Resolve(string workdir, string path)
    {
        var full = path.StartsWith('/') ? path : workdir.TrimEnd('/') + "/" + path;
        var parts = new List<string>();
        foreach (var part in full.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }

    private static void Dockerignore(LintSession session)
    {
        if (session.Context is not { HasDockerignore: false, HeavyEntries.Count: > 0 } context) return;
        var first = session.Definition.Stages.SelectMany(s => s.Instructions)
            .FirstOrDefault(i => i is CopyInstruction { From: null } or AddInstruction);
        if (first is null) return;
        session.Add(LintRules.MissingDockerignore, first, null,
            $"the context holds {string.Join(", ", context.HeavyEntries)} and has no .dockerignore: COPY reads them into the build; list them in .dockerignore");
    }
}
