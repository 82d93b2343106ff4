using Strata.Archive;
using Strata.Core;
using Strata.Images;
using Strata.Images.Archives;
using Strata.Images.Unpacking;

namespace Strata.Cli;

/// <summary>
/// <c>build --output</c>, as buildx spells it: <c>type=local,dest=DIR</c> (the final root
/// filesystem), <c>type=tar,dest=FILE</c> (that filesystem as one tar), <c>type=oci|docker,dest=FILE</c>
/// (an image archive; Strata's archive is both at once). <c>dest=-</c> writes a file to stdout.
/// The image stays in the store as well.
/// </summary>
internal sealed record BuildOutput(string Type, string Destination)
{
    public static BuildOutput Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var fields = spec.Split(',').Select(f => f.Split('=', 2)).ToDictionary(f => f[0].Trim(), f => f.Length > 1 ? f[1].Trim() : "", StringComparer.Ordinal);
        // A bare path means type=local, as in buildx.
        if (fields.Count == 1 && fields.Values.First().Length == 0 && !fields.ContainsKey("type")) return new BuildOutput("local", spec);
        if (!fields.TryGetValue("type", out var type)) throw new InvalidArgumentException($"--output \"{spec}\": type=local|tar|oci|docker is required");
        if (type is not ("local" or "tar" or "oci" or "docker")) throw new InvalidArgumentException($"--output \"{spec}\": unknown type \"{type}\" (local, tar, oci, docker)");
        if (!fields.TryGetValue("dest", out var dest) || dest.Length == 0) throw new InvalidArgumentException($"--output \"{spec}\": dest= is required");
        if (type == "local" && dest == "-") throw new InvalidArgumentException($"--output \"{spec}\": type=local needs a directory");
        return new BuildOutput(type, dest);
    }

    public async Task WriteAsync(ImageStore store, StoredImage image, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(image);
        switch (Type)
        {
            case "local":
                await ImageUnpacker.UnpackAsync(store, image, Destination, cancellationToken).ConfigureAwait(false);
                break;
            case "tar":
                await WriteFileAsync(async stream =>
                {
                    var scratch = Path.Combine(store.Layout.Root, "tmp", $"output-{Guid.NewGuid():N}");
                    try
                    {
                        await ImageUnpacker.UnpackAsync(store, image, scratch, cancellationToken).ConfigureAwait(false);
                        await LayerWriter.WriteTreeAsync(scratch, stream, LayerWriteOptions.Default with { Compression = LayerCompression.None }, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        if (Directory.Exists(scratch)) await Task.Run(() => DeleteTree(scratch), CancellationToken.None).ConfigureAwait(false);
                    }
                }).ConfigureAwait(false);
                break;
            default:
                var name = image.Tags.Count > 0 ? image.Tags[0] : null;
                await WriteFileAsync(stream => ImageSaver.SaveAsync(store, [(image, name)], stream, cancellationToken)).ConfigureAwait(false);
                break;
        }
    }

    private async Task WriteFileAsync(Func<Stream, Task> write)
    {
        if (Destination == "-")
        {
            if (!Console.IsOutputRedirected) throw new InvalidArgumentException("refusing to write an archive to a terminal: redirect stdout or give dest=FILE");
            await using var stdout = Console.OpenStandardOutput();
            await write(stdout).ConfigureAwait(false);
            return;
        }
        var full = Path.GetFullPath(Destination);
        var temp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await write(file).ConfigureAwait(false);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    // Unpacked trees may hold read-only directories; open them before deleting.
    private static void DeleteTree(string path)
    {
        foreach (var dir in Directory.EnumerateDirectories(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.Delete(path, recursive: true);
    }
}
