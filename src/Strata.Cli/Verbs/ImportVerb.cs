using System.CommandLine;
using Strata.Archive;
using Strata.Build.Config;
using Strata.Core;
using Strata.Images.Import;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata import SOURCE [REPOSITORY[:TAG]]</c>: a root filesystem (directory, tar, tar.gz,
/// tar.zst, or <c>-</c> for stdin) becomes a one-layer image; <c>--change</c> applies Dockerfile
/// instructions to its config as docker import does. The layer is stored uncompressed, as a
/// build step's or <c>commit</c>'s is, and compressed once, when it leaves the machine
/// (<c>save</c>, <c>push</c>); <c>--zstd</c> stores it zstd-compressed instead.
/// On a terminal, bars show the source's bytes read and the layer's written; piped, only the
/// image ID is printed.
/// </summary>
internal static class ImportVerb
{
    public static Command Create(string name)
    {
        var source = new Argument<string>("SOURCE") { Description = "A directory, a tar archive (optionally compressed), or - for STDIN" };
        var reference = new Argument<string?>("REPOSITORY[:TAG]") { Arity = ArgumentArity.ZeroOrOne };
        var change = new Option<string[]>("--change", "-c") { Description = "Apply Dockerfile instruction to the created image", AllowMultipleArgumentsPerToken = false };
        var message = new Option<string?>("--message", "-m") { Description = "Set commit message for imported image" };
        var platform = new Option<string?>("--platform") { Description = "Set platform (os/arch[/variant])" };
        var zstd = new Option<bool>("--zstd") { Description = "Store the layer zstd-compressed (default: uncompressed, compressed once on save or push)" };
        var maxSize = new Option<string?>("--max-layer-size") { Description = "Refuse a tar that expands to more than SIZE bytes (k, m, g suffixes; default $STRATA_MAX_LAYER_SIZE, else 512g)" };
        var command = new Command(name, "Import the contents from a tarball or directory to create a filesystem image") { source, reference, change, message, platform, zstd, maxSize };
        command.SetAction(async (parse, ct) =>
        {
            var tag = parse.GetValue(reference) is { } r ? ImageReference.Parse(r) : null;
            var options = new ImportOptions
            {
                Tag = tag,
                Message = parse.GetValue(message),
                Config = ConfigChanges.Apply(parse.GetValue(change) ?? []),
                SourceDateEpoch = SourceDateEpoch.FromEnvironment(),
                Compression = parse.GetValue(zstd) ? LayerCompression.Zstd : LayerCompression.None,
                Platform = parse.GetValue(platform) is { } p ? Platform.Parse(p) : Platform.Host,
            };
            if ((parse.GetValue(maxSize) ?? Environment.GetEnvironmentVariable("STRATA_MAX_LAYER_SIZE")) is { Length: > 0 } cap)
                options = options with { MaxUncompressedBytes = ByteSize.TryParse(cap, out var bytes) && bytes > 0 ? bytes : throw new InvalidArgumentException($"--max-layer-size \"{cap}\": want a size such as 512m or 2g") };
            var src = parse.GetValue(source)!;
            var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            bool directory = src != "-" && Directory.Exists(src);
            if (src != "-" && !directory && !File.Exists(src)) throw new NotFoundException($"import source {src}: no such file or directory");
            // On a terminal: the source's bytes read, then the layer's bytes written; piped, only the ID.
            var bars = TransferBars.Wanted() ? TransferBars.ForBytes(onError: false) : null;
            var progress = bars?.Watch(item => item == RootfsImporter.LayerItem ? "Writing layer" : $"Importing {item}");
            Images.StoredImage image;
            try
            {
                if (directory)
                {
                    image = await RootfsImporter.ImportDirectoryAsync(store, Path.GetFullPath(src), src, options, progress, ct).ConfigureAwait(false);
                }
                else
                {
                    await using var stream = src == "-"
                        ? Console.OpenStandardInput()
                        : new FileStream(src, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
                    image = await RootfsImporter.ImportTarAsync(store, stream, src, options, progress, ct).ConfigureAwait(false);
                }
            }
            finally
            {
                if (bars is not null) await bars.FinishAsync().ConfigureAwait(false);
            }
            Console.Out.WriteLine(image.Id.Value);
            return 0;
        });
        return command;
    }
}
