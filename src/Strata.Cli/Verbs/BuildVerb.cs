using System.CommandLine;
using Strata.Build;
using Strata.Build.Engine;
using Strata.Build.Logs;
using Strata.Build.Progress;
using Strata.Build.Output;
using Strata.Core;
using Strata.Images.Transfer;
using Strata.Rootfs;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata build [-t TAG]... [-f Dockerfile] [--target S] [--build-arg K=V]... CONTEXT</c>:
/// RUN in runc over overlay snapshots, COPY/ADD from the context, multi-stage in parallel.
/// Progress goes to stderr (a live view on a terminal, BuildKit's plain lines otherwise) and every
/// step's full output to <c>&lt;store&gt;/builds/</c> for <c>strata builder logs</c>; the image ID to stdout with -q.
/// </summary>
internal static class BuildVerb
{
    public static Command Create()
    {
        var context = new Argument<string>("PATH") { Description = "Build context directory" };
        var tags = new Option<string[]>("--tag", "-t") { Description = "Name and optionally a tag (name:tag)" };
        var file = new Option<string?>("--file", "-f") { Description = "Name of the Dockerfile (default: PATH/Dockerfile; - for stdin)" };
        var target = new Option<string?>("--target") { Description = "Set the target build stage to build" };
        var buildArgs = new Option<string[]>("--build-arg") { Description = "Set build-time variables (KEY=VALUE, or KEY to take it from the environment)" };
        var labels = new Option<string[]>("--label") { Description = "Set metadata for an image (KEY=VALUE)" };
        var network = new Option<string>("--network") { Description = "Networking mode for RUN: default (a network of its own with outbound access, also called bridge), none or host", DefaultValueFactory = _ => "default" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress the build output and print the image ID on success" };
        var progress = new Option<string>("--progress") { Description = "auto, plain, tty, rawjson or quiet", DefaultValueFactory = _ => "auto" };
        var iidfile = new Option<string?>("--iidfile") { Description = "Write the image ID to the file" };
        var platform = new Option<string?>("--platform") { Description = "Target platform (os/arch[/variant]); several, comma-separated, build one image index of them in one run; RUN for a foreign one needs its binfmt_misc handler (qemu-user-static)" };
        var runtime = new Option<string>("--runtime") { Description = "OCI runtime for RUN: runc (default), crun or an absolute path", DefaultValueFactory = _ => "runc" };
        var compression = new Option<string>("--compression") { Description = "Layer compression of --output type=oci|docker: gzip (default), zstd or uncompressed (layers are stored uncompressed and compressed once, on export)", DefaultValueFactory = _ => "gzip" };
        var compressionLevel = new Option<int?>("--compression-level") { Description = "gzip 0-9 (default 6) or zstd 1-22 (default 3)" };
        var output = new Option<string[]>("--output", "-o") { Description = "Also write the result: type=local,dest=DIR | type=tar,dest=FILE | type=oci|docker,dest=FILE (dest=- for stdout) | type=image[,name=NAME][,push=true] | type=registry[,name=NAME]" };
        var push = new Option<bool>("--push") { Description = "Push the image to its registry after the build (--output type=registry)" };
        var snapshotter = new Option<string>("--snapshotter") { Description = "overlay, fuse-overlayfs, copy or auto (default: $STRATA_SNAPSHOTTER, else auto)", DefaultValueFactory = _ => GlobalOptions.Snapshotter };
        var noCache = new Option<bool>("--no-cache") { Description = "Do not use cache when building the image" };
        var explain = new Option<bool>("--explain") { Description = "Print the full input diff of every cache miss" };
        var secrets = new Option<string[]>("--secret") { Description = "Secret for RUN --mount=type=secret: id=ID[,src=FILE|,env=VAR] (type=file|env as in buildx)" };
        var ssh = new Option<string[]>("--ssh") { Description = "SSH agent for RUN --mount=type=ssh: default (uses $SSH_AUTH_SOCK) or ID=SOCKET" };
        var cacheTo = new Option<string[]>("--cache-to") { Description = "Export the build cache: type=local,dest=DIR or type=registry,ref=REF (one OCI image manifest) [,mode=min|max][,mounts=true][,compression=gzip|zstd|uncompressed], or type=inline (step keys in the image's config)" };
        var cacheFrom = new Option<string[]>("--cache-from") { Description = "Import a build cache first (repeatable): type=local,src=DIR (a directory --cache-to wrote), type=registry,ref=REF (layers downloaded only for steps that hit) or IMAGE (built with --cache-to type=inline)" };
        var noCacheFilter = new Option<string[]>("--no-cache-filter") { Description = "Do not use cache for the named stages (STAGE[,STAGE])" };
        var pull = new Option<bool>("--pull") { Description = "Always check the registry for a newer base image (a stored base the registry cannot answer for is used as it is, with a warning)" };
        var buildContexts = new Option<string[]>("--build-context") { Description = "Additional build context NAME=VALUE: a directory, docker-image://REF, oci-layout://PATH[:TAG|@DIGEST] or a git URL; FROM NAME, COPY --from=NAME and RUN --mount=from=NAME use it" };
        var addHosts = new Option<string[]>("--add-host") { Description = "Add a custom host-to-IP mapping (HOST:IP; IP may be host-gateway, the host's loopback) to RUN's /etc/hosts" };
        var shmSize = new Option<string?>("--shm-size") { Description = "Size of /dev/shm for RUN (bytes, or with k, m, g; default 64m)" };
        var ulimits = new Option<string[]>("--ulimit") { Description = "Resource limit for RUN: NAME=SOFT[:HARD], e.g. nofile=1024:2048" };
        // As docker build --check (buildx): check only, never build; a docker user runs the build after it.
        var check = new Option<bool>("--check") { Description = "Only check the Dockerfile and context (BuildKit's checks and strata lint's rules), as docker build --check: nothing is built; exit 1 on a warning or error (notes do not fail)" };
        var metadataFile = new Option<string?>("--metadata-file") { Description = "Write build result metadata (digests, image name) to the file, as buildx does" };
        var command = new Command("build", "Build an image from a Dockerfile") { context, tags, file, target, buildArgs, labels, network, quiet, progress, iidfile, platform, compression, compressionLevel, output, snapshotter, noCache, explain, cacheTo, cacheFrom, noCacheFilter, pull, push, runtime, secrets, ssh, buildContexts, addHosts, shmSize, ulimits, metadataFile, check, BuildLogsVerb.Create(oldSpelling: true) };
        command.SetAction(async (parse, ct) =>
        {
            var contextDir = Path.GetFullPath(parse.GetValue(context)!);
            if (!Directory.Exists(contextDir)) throw new NotFoundException($"unable to prepare context: path \"{parse.GetValue(context)}\" not found");
            var fileArg = parse.GetValue(file);
            string? dockerfilePath = fileArg == "-" ? null : Path.GetFullPath(fileArg ?? Path.Combine(contextDir, "Dockerfile"));
            string text;
            if (dockerfilePath is null) text = await Console.In.ReadToEndAsync(ct).ConfigureAwait(false);
            else if (!File.Exists(dockerfilePath)) throw new NotFoundException($"failed to read dockerfile: open {dockerfilePath}: no such file or directory");
            else text = await File.ReadAllTextAsync(dockerfilePath, ct).ConfigureAwait(false);
            if (parse.GetValue(check)) return await LintVerb.BuildCheckAsync(text, dockerfilePath, contextDir).ConfigureAwait(false);

            using var registryCache = new RegistryBuildCache(Console.Error);
            var platforms = ParsePlatforms(parse.GetValue(platform));
            var networkMode = NetworkFlag.Parse(parse.GetValue(network));
            var request = new BuildRequest
            {
                ContextDirectory = contextDir,
                DockerfileText = text,
                DockerfilePath = dockerfilePath,
                Tags = [.. (parse.GetValue(tags) ?? []).Select(ImageReference.Parse)],
                Target = parse.GetValue(target),
                BuildArgs = KeyValues(parse.GetValue(buildArgs) ?? [], "--build-arg", fromEnvironment: true),
                Labels = KeyValues(parse.GetValue(labels) ?? [], "--label", fromEnvironment: false),
                Network = networkMode,
                SourceDateEpoch = SourceDateEpoch.FromEnvironment(),
                Platform = platforms.Count == 1 ? platforms[0] : Platform.Host,
                Platforms = platforms.Count > 1 ? platforms : [],
                BinfmtMiscRoot = Environment.GetEnvironmentVariable(BinfmtMiscVariable) is { Length: > 0 } binfmt ? binfmt : BuildRequest.DefaultBinfmtMiscRoot,
                Cache = new Strata.Build.Cache.BuildCacheOptions
                {
                    NoCache = parse.GetValue(noCache),
                    Explain = parse.GetValue(explain),
                    NoCacheStages = [.. (parse.GetValue(noCacheFilter) ?? []).SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                    Pull = parse.GetValue(pull),
                    Inline = (parse.GetValue(cacheTo) ?? []).Any(Strata.Build.Cache.CacheExportSpec.IsInline),
                    ExportTo = (parse.GetValue(cacheTo) ?? []).Where(t => !Strata.Build.Cache.CacheExportSpec.IsInline(t)).Select(Strata.Build.Cache.CacheExportSpec.Parse).ToList() switch
                    {
                        [] => null,
                        [var one] => one,
                        _ => throw new InvalidArgumentException("--cache-to: give at most one type=local or type=registry export"),
                    },
                    ImportFrom = [.. (parse.GetValue(cacheFrom) ?? []).Select(Strata.Build.Cache.CacheImportSpec.Parse)],
                    Registry = registryCache,
                },
                Export = ExportCompression.Parse(parse.GetValue(compression), parse.GetValue(compressionLevel), "--compression"),
                Secrets = BuildSecretOptions.Secrets(parse.GetValue(secrets) ?? []),
                SshAgents = BuildSecretOptions.SshAgents(parse.GetValue(ssh) ?? []),
                NamedContexts = [.. (parse.GetValue(buildContexts) ?? []).Select(c => Strata.Build.Context.NamedContext.Parse(c, Environment.CurrentDirectory))],
                Run = RunOptions.FromFlags(parse.GetValue(addHosts) ?? [], parse.GetValue(shmSize), parse.GetValue(ulimits) ?? []),
            };
            var metadataPath = parse.GetValue(metadataFile) is { } m ? Metadata.BuildMetadataFile.Target(m) : null;

            var outputs = (parse.GetValue(output) ?? []).Select(BuildOutput.Parse).ToList();
            if (parse.GetValue(push)) outputs.Add(BuildOutput.Registry);
            var pushes = BuildPushes.Plan(outputs, request.Tags);
            // Names of image outputs are the image's names in the store too, as buildx gives them.
            request = request with { Tags = [.. request.Tags.Concat(outputs.SelectMany(o => o.Names)).Distinct()] };
            var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var workspace = SnapshotWorkspace.Open(store, parse.GetValue(snapshotter)!);
            if (parse.GetValue(GlobalOptions.Debug)) await Console.Error.WriteLineAsync("debug: snapshotter " + InfoVerb.SnapshotterName(workspace.Snapshotter.Name)).ConfigureAwait(false);
            // The runtime is located now (a missing one is named before any step) but started
            // for its version only at the first RUN, so a fully cached build starts no process.
            using var puller = new RegistryBasePuller(store);
            var engine = new BuildEngine(store, workspace, new RuncStepRunner(RuntimeOpener.Deferred(store.Layout.Root, parse.GetValue(runtime)!)), puller);
            bool silent = parse.GetValue(quiet) || parse.GetValue(progress) == "quiet";
            using var renderer = Renderer(parse.GetValue(progress)!, silent);
            using var recorder = new RecordingBuildProgress(renderer.Progress, new BuildLogStore(store.Layout.Root), TimeProvider.System);
            // buildx prints the front end's warnings once its display closes: after the result
            // lines of a success, before the error of a failure; never with -q or rawjson.
            bool showWarnings = !silent && parse.GetValue(progress) != "rawjson";
            var warningSummary = () => showWarnings ? BuildWarningSummary.Render(recorder.Warnings, parse.GetValue(GlobalOptions.Debug)) : "";
            BuildResult? result = null;
            try
            {
                result = await engine.BuildAsync(request, recorder, ct).ConfigureAwait(false);
                recorder.Finish(succeeded: true);
            }
            finally
            {
                recorder.Finish(succeeded: false);
                renderer.Tty?.Finish();
                if (result is null) await Console.Error.WriteAsync(warningSummary()).ConfigureAwait(false);
            }
            foreach (var o in outputs.Where(o => !o.IsImage)) await WriteOutputAsync(o, store, result, request.Export, ct).ConfigureAwait(false);
            // A multi-platform build's ID is its index's digest (docker's containerd store shows an index so).
            var id = result.Index?.Digest.Value ?? result.Image.Id.Value;
            if (parse.GetValue(iidfile) is { } iid) await File.WriteAllTextAsync(iid, id, ct).ConfigureAwait(false);
            if (silent)
            {
                Console.Out.WriteLine(id);
            }
            else if (parse.GetValue(progress) != "rawjson")
            {
                if (result.Index is not null)
                {
                    // As buildx's image exporter: each platform's manifest, then the list naming them.
                    foreach (var image in result.Images) await Console.Error.WriteLineAsync($"exporting manifest {image.Record.ManifestDigest} for {image.Config.Platform} done").ConfigureAwait(false);
                    await Console.Error.WriteLineAsync($"exporting manifest list {id} done").ConfigureAwait(false);
                }
                else
                {
                    await Console.Error.WriteLineAsync($"writing image {result.Image.Id} done").ConfigureAwait(false);
                }
                foreach (var tag in request.Tags) await Console.Error.WriteLineAsync($"naming to {tag} done").ConfigureAwait(false);
            }
            var pushLog = silent || parse.GetValue(progress) == "rawjson" ? null : Console.Error;
            // The metadata file is written after the push: with --push its digest is the pushed manifest's, as buildx writes it.
            if (result.Index is { } index)
            {
                await BuildPushes.PushIndexAsync(store, index, pushes, pushLog, ct).ConfigureAwait(false);
                if (metadataPath is not null) await Metadata.BuildMetadataFile.WriteAsync(metadataPath, Metadata.BuildMetadataFile.Describe(index, request.Tags), ct).ConfigureAwait(false);
            }
            else
            {
                var pushed = await BuildPushes.PushAsync(store, result.Image, pushes, pushLog, ct).ConfigureAwait(false);
                if (metadataPath is not null) await Metadata.BuildMetadataFile.WriteAsync(metadataPath, Metadata.BuildMetadataFile.Describe(result.Image, request.Tags, pushed), ct).ConfigureAwait(false);
            }
            await Console.Error.WriteAsync(warningSummary()).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The renderer <c>--progress</c> asks for: <c>auto</c> is the live view when stderr is a
    /// terminal (progress goes to stderr) and plain lines otherwise.
    /// </summary>
    /// <summary>One <c>--output</c>; <c>dest=-</c> is stdout, never a terminal.</summary>
    private static async Task WriteOutputAsync(BuildOutput output, Images.ImageStore store, BuildResult result, ExportCompression compression, CancellationToken ct)
    {
        Task WriteAsync(Stream? stream) => result.Index is { } index
            ? output.WriteIndexAsync(store, index, result.Images, stream, compression, ct)
            : output.WriteAsync(store, result.Image, stream, compression, ct);
        if (!output.ToStream)
        {
            await WriteAsync(null).ConfigureAwait(false);
            return;
        }
        if (!Console.IsOutputRedirected) throw new InvalidArgumentException("refusing to write an archive to a terminal: redirect stdout or give dest=FILE");
        await using var stdout = Console.OpenStandardOutput();
        await WriteAsync(stdout).ConfigureAwait(false);
    }

    /// <summary>Where binfmt_misc handlers are looked up, when not the kernel's mount (tests point it at a directory without a handler).</summary>
    private const string BinfmtMiscVariable = "STRATA_BINFMT_MISC";

    /// <summary><c>--platform a[,b...]</c>: each <c>os/arch[/variant]</c>, a repeated one once, in the order given; none: the host's.</summary>
    private static List<Platform> ParsePlatforms(string? text)
    {
        if (text is null) return [];
        var list = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Platform.Parse).Distinct().ToList();
        return list.Count > 0 ? list : throw new InvalidArgumentException($"--platform \"{text}\": want os/arch[/variant][,...]");
    }

    private static ProgressRenderer Renderer(string mode, bool silent)
    {
        if (silent) return new ProgressRenderer(NullBuildProgress.Instance, null);
        if (mode == "rawjson") return new ProgressRenderer(new RawJsonBuildProgress(Console.Error, TimeProvider.System), null);
        bool tty = mode switch
        {
            "tty" => true,
            "plain" => false,
            "auto" => !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is not (null or "" or "dumb"),
            _ => throw new InvalidArgumentException($"unknown progress mode \"{mode}\": use auto, plain, tty, rawjson or quiet"),
        };
        if (!tty) return new ProgressRenderer(new PlainBuildProgress(Console.Error), null);
        var live = TtyBuildProgress.ForConsole();
        return new ProgressRenderer(live, live);
    }

    private static Dictionary<string, string> KeyValues(IEnumerable<string> items, string flag, bool fromEnvironment)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            int eq = item.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) result[item[..eq]] = item[(eq + 1)..];
            else if (fromEnvironment && eq < 0 && Environment.GetEnvironmentVariable(item) is { } v) result[item] = v;
            else if (eq != 0 && fromEnvironment) continue;
            else throw new InvalidArgumentException($"{flag} \"{item}\": want KEY=VALUE");
        }
        return result;
    }
}
