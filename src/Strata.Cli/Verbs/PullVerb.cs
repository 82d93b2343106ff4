using System.CommandLine;
using Spectre.Console;
using Strata.Core;
using Strata.Registry.Pull;
using Strata.Registry.Transport;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata pull REF [--platform os/arch[/variant] | --all-platforms] [--max-concurrent N] [-q]</c>:
/// an image from a registry into the store, resolved to one platform (the host's by default; with
/// --all-platforms an index is kept with every platform), with docker's
/// lines: <c>TAG: Pulling from REPO</c>, one line per layer state, <c>Digest:</c>,
/// <c>Status:</c>, then the full reference (the only line with -q). On a terminal the layer
/// lines are live progress bars instead (<see cref="TransferBars"/>), the other lines the same.
/// Layers bigger than <c>--range-threshold</c> are fetched as parallel range requests.
/// </summary>
internal static class PullVerb
{
    public static Command Create(string name)
    {
        var reference = new Argument<string>("NAME[:TAG|@DIGEST]");
        var platform = new Option<string?>("--platform") { Description = "Set platform if server is multi-platform capable (os/arch[/variant])" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress verbose output" };
        var maxConcurrent = new Option<int>("--max-concurrent") { Description = "Layers downloaded at once", DefaultValueFactory = _ => 4 };
        var rangeThreshold = new Option<string?>("--range-threshold") { Description = "Fetch layers bigger than SIZE (k, m, g suffixes) as parallel range requests (default 64m)" };
        var allPlatforms = new Option<bool>("--all-platforms") { Description = "Pull every platform of a multi-platform image and keep its index" };
        var command = new Command(name, "Download an image from a registry") { reference, platform, quiet, maxConcurrent, rangeThreshold, allPlatforms };
        command.SetAction(async (parse, ct) =>
        {
            var target = ImageReference.Parse(parse.GetValue(reference)!);
            var options = new PullOptions
            {
                Platform = parse.GetValue(platform) is { } p ? Platform.Parse(p) : Platform.Host,
                MaxConcurrentDownloads = parse.GetValue(maxConcurrent),
                ParallelRangeThreshold = parse.GetValue(rangeThreshold) is { } size
                    ? ByteSize.TryParse(size, out var bytes) && bytes > 0 ? bytes : throw new InvalidArgumentException($"invalid --range-threshold \"{size}\": want a size such as 64m")
                    : ParallelRanges.DefaultThreshold,
            };
            var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            using var client = RegistryOpener.Open();
            bool silent = parse.GetValue(quiet);
            if (parse.GetValue(allPlatforms) && parse.GetValue(platform) is not null) throw new InvalidArgumentException("--platform and --all-platforms cannot be used together");
            var bars = !silent && TransferBars.Wanted() ? new TransferBars(AnsiConsole.Console) : null;
            IPullProgress? progress = silent ? null : bars is null ? new PullLines(Console.Out) : new PullBars(Console.Out, bars);
            PullResult result;
            try
            {
                result = parse.GetValue(allPlatforms)
                    ? await IndexPuller.PullAsync(store, client, target, options, progress, ct).ConfigureAwait(false)
                    : await ImagePuller.PullAsync(store, client, target, options, progress, ct).ConfigureAwait(false);
            }
            finally
            {
                // The last frame stays; an error or the final lines go under it.
                if (bars is not null) await bars.FinishAsync().ConfigureAwait(false);
            }
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

    /// <summary>The terminal's pull: the first line as plain, then a live bar per layer.</summary>
    private sealed class PullBars(TextWriter output, TransferBars bars) : IPullProgress
    {
        public void Resolved(ImageReference reference, Descriptor root, Descriptor manifest)
        {
            output.WriteLine($"{reference.Tag ?? reference.Digest?.ToString()}: Pulling from {reference.Path}");
            output.Flush();
            bars.Start();
        }

        public void Layer(Descriptor layer, LayerPullState state)
        {
            switch (state)
            {
                case LayerPullState.AlreadyExists:
                    bars.Complete(layer, "Already exists");
                    break;
                case LayerPullState.PullingFsLayer:
                    bars.Update(layer, "Pulling fs layer", 0);
                    break;
                default:
                    bars.Complete(layer, "Pull complete");
                    break;
            }
        }

        public void Downloading(Descriptor layer, long received) => bars.Update(layer, "Downloading", received);
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
