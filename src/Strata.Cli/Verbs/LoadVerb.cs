using System.CommandLine;
using Strata.Core;
using Strata.Images.Archives;

namespace Strata.Cli.Verbs;

/// <summary><c>strata load [-i FILE] [-q]</c>: docker-archive (legacy and 25+) or OCI layout archives, plain or compressed.</summary>
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
            IReadOnlyList<LoadedImage> loaded;
            if (path is null)
            {
                if (!Console.IsInputRedirected) throw new InvalidArgumentException("requested load from stdin, but stdin is empty");
                await using var stdin = Console.OpenStandardInput();
                loaded = await ImageLoader.LoadAsync(store, stdin, "stdin", ct).ConfigureAwait(false);
            }
            else
            {
                if (!File.Exists(path)) throw new NotFoundException($"open {path}: no such file or directory");
                await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
                loaded = await ImageLoader.LoadAsync(store, file, path, ct).ConfigureAwait(false);
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
