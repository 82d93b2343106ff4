using System.CommandLine;
using Spectre.Console;
using Strata.Core;
using Strata.Images;
using Strata.Registry.Pull;
using Strata.Registry.Push;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata push REF [--all-platforms] [--chunk-size SIZE] [--max-concurrent N] [-q]</c>: an image (or a multi-platform index) of the store
/// into its registry, with docker's lines: <c>The push refers to repository [REPO]</c>, one line
/// per layer (<c>Pushed</c>, <c>Layer already exists</c>, <c>Mounted from REPO</c>), then
/// <c>TAG: digest: DIGEST size: N</c>. On a terminal the layer lines are live progress bars
/// instead (<see cref="TransferBars"/>), the other lines the same.
/// </summary>
internal static class PushVerb
{
    public static Command Create(string name)
    {
        var reference = new Argument<string>("NAME[:TAG]");
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress verbose output" };
        var maxConcurrent = new Option<int>("--max-concurrent") { Description = "Layers uploaded at once", DefaultValueFactory = _ => 4 };
        var chunkSize = new Option<string?>("--chunk-size") { Description = "Upload blobs in chunks of SIZE bytes (k, m, g suffixes) instead of one request each" };
        var allPlatforms = new Option<bool>("--all-platforms") { Description = "Push every platform of a multi-platform image the store holds, and its index" };
        var command = new Command(name, "Upload an image to a registry") { reference, quiet, maxConcurrent, chunkSize, allPlatforms };
        command.SetAction(async (parse, ct) =>
        {
            var target = ImageReference.Parse(parse.GetValue(reference)!);
            var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var known = await new BlobSources(store.Layout.Root).ForRegistryAsync(target.Domain, ct).ConfigureAwait(false);
            var options = new PushOptions
            {
                KnownSource = digest => known.GetValueOrDefault(digest),
                MaxConcurrentUploads = parse.GetValue(maxConcurrent),
                ChunkSize = parse.GetValue(chunkSize) is { } size
                    ? ByteSize.TryParse(size, out var bytes) && bytes > 0 ? bytes : throw new InvalidArgumentException($"invalid --chunk-size \"{size}\": want a size such as 5m")
                    : null,
            };
            using var client = RegistryOpener.Open();
            bool silent = parse.GetValue(quiet);
            var bars = !silent && TransferBars.Wanted() ? new TransferBars(AnsiConsole.Console) : null;
            IPushProgress? progress = silent ? null : bars is null ? new PushLines(Console.Out) : new PushBars(bars);
            var index = await store.Indexes.TryFindAsync(target.ToString(), ct).ConfigureAwait(false);
            // docker's rule for an index: the whole of it when every platform is present (or
            // --all-platforms: the platforms present), else one platform's image on its own.
            StoredImage? image = null;
            if (index is not null && !parse.GetValue(allPlatforms) && index.Children.Any(c => !c.Present))
                image = await OnePlatformAsync(store, target, index, ct).ConfigureAwait(false);
            else if (index is null)
                image = await store.TryGetAsync(target.ToString(), ct).ConfigureAwait(false)
                    ?? throw new NotFoundException($"An image does not exist locally with the tag: {target.FamiliarRepository}");
            if (!silent) Console.Out.WriteLine($"The push refers to repository [{target.Repository}]");
            Descriptor manifest;
            bars?.Start();
            try
            {
                manifest = image is not null
                    ? await RegistryPush.PushImageAsync(store, client, target, image, options, progress, ct).ConfigureAwait(false)
                    : await RegistryPush.PushIndexAsync(store, client, target, index!, options, progress, ct).ConfigureAwait(false);
            }
            finally
            {
                // The last frame stays; an error or the final line goes under it.
                if (bars is not null) await bars.FinishAsync().ConfigureAwait(false);
            }
            Console.Out.WriteLine(silent
                ? target.ToString()
                : $"{target.Tag ?? manifest.Digest.ToString()}: digest: {manifest.Digest} size: {manifest.Size}");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The one image pushed for an index some of whose platforms the store lacks (docker pushes
    /// a single platform then): the host's, else the only one present.
    /// </summary>
    private static async Task<StoredImage> OnePlatformAsync(ImageStore store, ImageReference target, StoredIndex index, CancellationToken ct)
    {
        var present = index.Present.ToList();
        var child = index.Find(Platform.Host) ?? (present.Count == 1 ? present[0] : null)
            ?? throw new NotFoundException($"image {target.Familiar} has no {Platform.Host} platform present and several others (present: {index.PlatformsText(present: true)}): push them with --all-platforms");
        await Console.Error.WriteLineAsync($"Note: not every platform of {target.Familiar} is present: pushing only {child.Platform?.ToString() ?? "its image"} (--all-platforms pushes the index with every platform present)").ConfigureAwait(false);
        return await store.GetAsync(child.ImageId!.Value.ToString(), ct).ConfigureAwait(false);
    }

    /// <summary>The terminal's push: a live bar per layer.</summary>
    private sealed class PushBars(TransferBars bars) : IPushProgress
    {
        public void Layer(Descriptor layer, BlobPushState state, string? from) => bars.Complete(layer, state switch
        {
            BlobPushState.AlreadyExists => "Layer already exists",
            BlobPushState.Mounted => $"Mounted from {from}",
            _ => "Pushed",
        });

        public void Resumed(Descriptor blob, long offset) => bars.Update(blob, offset == 0 ? "Restarting upload" : $"Resuming at byte {offset}", offset);

        public void Uploading(Descriptor layer, long sent) => bars.Update(layer, "Pushing", sent);
    }

    /// <summary>docker's plain push lines; uploads report from several tasks, so writes are serialised.</summary>
    private sealed class PushLines(TextWriter output) : IPushProgress
    {
        private readonly Lock _gate = new();

        public void Layer(Descriptor layer, BlobPushState state, string? from)
        {
            var words = state switch
            {
                BlobPushState.AlreadyExists => "Layer already exists",
                BlobPushState.Mounted => $"Mounted from {from}",
                _ => "Pushed",
            };
            lock (_gate) output.WriteLine($"{layer.Digest.ShortHex}: {words}");
        }

        public void Resumed(Descriptor blob, long offset)
        {
            // 0: the registry lost the cut session, the blob goes again in a new one.
            var words = offset == 0 ? "Restarting upload" : $"Resuming upload at byte {offset}";
            lock (_gate) output.WriteLine($"{blob.Digest.ShortHex}: {words}");
        }
    }
}
