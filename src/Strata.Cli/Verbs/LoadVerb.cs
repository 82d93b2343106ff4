using System.CommandLine;
using Strata.Core;
using Strata.Images.Archives;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata load [-i FILE] [-q]</c>: docker-archive (legacy and 25+) or OCI layout archives, plain
/// or compressed. On a terminal each layer is a live bar while it is stored, as <c>docker load</c>
/// draws them (<see cref="TransferBars"/>); piped, or with -q, only the loaded names.
/// </summary>
internal static class LoadVerb
{
    public static Command Create(string name)
    {
        var input = new Option<string?>("--input", "-i") { Description = "Read from tar archive file, instead of STDIN" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Suppress the load output" };
        var command = new Command(name, "Load images from a tar archive or STDIN") { input, quiet };
        command.SetAction(async (parse, ct) =>
        {
            var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var path = parse.GetValue(input);
            if (path is null && !Console.IsInputRedirected) throw new InvalidArgumentException("requested load from stdin, but stdin is empty");
            if (path is not null && !File.Exists(path)) throw new NotFoundException($"open {path}: no such file or directory");
            var name = path ?? "stdin";
            // On a terminal, docker's "Loading layer" bars (and the archive's while a pipe or a compressed one is read first).
            var bars = !parse.GetValue(quiet) && TransferBars.Wanted() ? TransferBars.ForBytes(onError: false) : null;
            var progress = bars?.Watch(item => item == name ? $"Reading {name}" : $"{item}: Loading layer");
            IReadOnlyList<LoadedImage> loaded;
            try
            {
                await using var stream = path is null
                    ? Console.OpenStandardInput()
                    : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
                loaded = await ImageLoader.LoadAsync(store, stream, name, progress, ct).ConfigureAwait(false);
            }
            finally
            {
                // The last frame stays; an error or the loaded names go under it.
                if (bars is not null) await bars.FinishAsync().ConfigureAwait(false);
            }
            if (!parse.GetValue(quiet))
            {
                foreach (var image in loaded)
                {
                    if (image.Names.Count == 0) Console.Out.WriteLine($"Loaded image ID: {image.Id}");
                    foreach (var n in image.Names) Console.Out.WriteLine($"Loaded image: {n.Familiar}");
                }
            }
            return 0;
        });
        return command;
    }
}
