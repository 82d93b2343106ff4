using System.CommandLine;
using Strata.Core;
using Strata.Registry.Pull;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata pull REF [--platform os/arch[/variant] | --all-platforms] [--max-concurrent N] [-q]</c>:
/// an image from a registry into the store, resolved to one platform (the host's by default; with
/// --all-platforms an index is kept with every platform), with docker's
/// lines: <c>TAG: Pulling from REPO</c>, one line per layer state, <c>Digest:</c>,
/// <c>Status:</c>, then the full reference (the only line with -q).
/// </summary>
internal static class PullVerb
{
    public static Command Create(string name)
    {
        var reference = new Argument<string>("NAME[:TAG|@DIGEST]");
        var platform = new Option<string?>("--platform") { Description = "Set platform if server is multi-platform capable (os/arch[/variant])" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress verbose output" };
        var maxConcurrent = new Option<int>("--max-concurrent") { Description = "Layers downloaded at once", DefaultValueFactory = _ => 4 };
        var allPlatforms = new Option<bool>("--all-platforms") { Description = "Pull every platform of a multi-platform image and keep its index" };
        var command = new Command(name, "Download an image from a registry") { reference, platform, quiet, maxConcurrent, allPlatforms };
        command.SetAction(async (parse, ct) =>
        {
            var target = ImageReference.Parse(parse.GetValue(reference)!);
            var options = new PullOptions
            {
                Platform = parse.GetValue(platform) is { } p ? Platform.Parse(p) : Platform.Host,
                MaxConcurrentDownloads = parse.GetValue(maxConcurrent),
            };
            var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            using var client = RegistryOpener.Open();
            bool silent = parse.GetValue(quiet);
            var progress = silent ? null : new PullLines(Console.Out);
            if (parse.GetValue(allPlatforms) && parse.GetValue(platform) is not null) throw new InvalidArgumentException("--platform and --all-platforms cannot be used together");
            var result = parse.GetValue(allPlatforms)
                ? await IndexPuller.PullAsync(store, client, target, options, progress, ct).ConfigureAwait(false)
                : await ImagePuller.PullAsync(store, client, target, options, progress, ct).ConfigureAwait(false);
            if (!silent)
            {
                Console.Out.WriteLine($"Digest: {result.RootDigest}");
                Console.Out.WriteLine(result.Downloaded
                    ? $"Status: Downloaded newer image for {target.Familiar}"
                    : $"Status: Image is up to date for {target.Familiar}");
            }
            Console.Out.WriteLine(target.ToString());
            return 0;
        });
        return command;
    }

    /// <summary>docker's plain (not a terminal) pull lines. Layers report from several tasks, so writes are serialised.</summary>
    private sealed class PullLines(TextWriter output) : IPullProgress
    {
        private readonly Lock _gate = new();

        public void Resolved(ImageReference reference, Descriptor root, Descriptor manifest)
        {
            lock (_gate) output.WriteLine($"{reference.Tag ?? reference.Digest?.ToString()}: Pulling from {reference.Path}");
        }

        public void Layer(Descriptor layer, LayerPullState state)
        {
            var words = state switch
            {
                LayerPullState.AlreadyExists => "Already exists",
                LayerPullState.PullingFsLayer => "Pulling fs layer",
                _ => "Pull complete",
            };
            lock (_gate) output.WriteLine($"{layer.Digest.ShortHex}: {words}");
        }
    }
}
