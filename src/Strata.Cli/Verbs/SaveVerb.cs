using System.CommandLine;
using Strata.Core;
using Strata.Images;
using Strata.Images.Archives;
using Strata.Images.Transfer;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata save [-o FILE] [--platform P] IMAGE...</c>: the Docker 25+ archive (OCI layout +
/// manifest.json); a multi-platform image as its index with its present children.
/// With -o the archive is written beside the target and renamed into place, so a failed save
/// (a corrupt blob among them: each is verified as it streams) never leaves a file under the
/// name asked for. On a terminal each layer is a bar while it is written (on stderr when the
/// archive goes to stdout).
/// </summary>
internal static class SaveVerb
{
    public static Command Create(string name)
    {
        var images = new Argument<string[]>("IMAGE") { Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--output", "-o") { Description = "Write to a file, instead of STDOUT" };
        var platform = new Option<string?>("--platform") { Description = "Save only the given platforms of a multi-platform image (os/arch[/variant], comma-separated)" };
        var compression = new Option<string>("--compression") { Description = "Layer compression: gzip (default), zstd or uncompressed; layers already compressed are saved as they are", DefaultValueFactory = _ => "gzip" };
        var compressionLevel = new Option<int?>("--compression-level") { Description = "gzip 0-9 (default 6, as docker push) or zstd 1-22 (default 3)" };
        var command = new Command(name, "Save one or more images to a tar archive (streamed to STDOUT by default)") { images, output, platform, compression, compressionLevel };
        command.SetAction(async (parse, ct) =>
        {
            var export = ExportCompression.Parse(parse.GetValue(compression), parse.GetValue(compressionLevel), "--compression");
            var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var selection = parse.GetValue(platform) is { } text ? PlatformSelection.Parse(text) : PlatformSelection.All;
            var requests = new List<(StoredImage, ImageReference?)>();
            var indexes = new List<(StoredIndex, ImageReference?)>();
            foreach (var n in parse.GetValue(images)!)
            {
                // A multi-platform image is saved as its index with its present children (those --platform picks).
                if (await store.ResolveImageIdAsync(n, ct).ConfigureAwait(false) is null && await store.Indexes.TryFindAsync(n, ct).ConfigureAwait(false) is { } index)
                {
                    ImageReference? named = ImageReference.TryParse(n, out var r1) && index.Tags.Contains(r1) ? r1 : null;
                    indexes.Add((index, named));
                    if (named is null) indexes.AddRange(index.Tags.Select(t => (index, (ImageReference?)t)));
                    continue;
                }
                var image = await store.GetAsync(n, selection.Platforms is [var one] ? one : null, ct).ConfigureAwait(false);
                ImageReference? asked = ImageReference.TryParse(n, out var r) && image.Tags.Contains(r) ? r : null;
                requests.Add((image, asked));
                if (asked is null) requests.AddRange(image.Tags.Select(t => (image, (ImageReference?)t)));
            }
            var path = parse.GetValue(output);
            if (path is null && !Console.IsOutputRedirected) throw new InvalidArgumentException("cowardly refusing to save to a terminal. Use the -o flag or redirect");
            // On a terminal, a bar per layer as it is written: on stdout with -o, else on stderr
            // (stdout is the archive); nothing when neither is a terminal.
            var bars = path is not null ? (TransferBars.Wanted() ? TransferBars.ForBytes(onError: false) : null)
                : TransferBars.WantedOnError() ? TransferBars.ForBytes(onError: true) : null;
            var progress = bars?.Watch(item => $"{item}: Saving layer");
            try
            {
                if (path is null)
                {
                    await using var stdout = Console.OpenStandardOutput();
                    await ImageSaver.SaveAsync(store, requests, indexes, selection, stdout, export, progress, ct).ConfigureAwait(false);
                }
                else
                {
                    await AtomicOutput.WriteAsync(path, file => ImageSaver.SaveAsync(store, requests, indexes, selection, file, export, progress, ct), ct).ConfigureAwait(false);
                }
            }
            finally
            {
                if (bars is not null) await bars.FinishAsync().ConfigureAwait(false);
            }
            return 0;
        });
        return command;
    }
}
