using Strata.Archive;
using Strata.Core;
using Strata.Images;
using Strata.Images.Archives;
using Strata.Images.Transfer;

namespace Strata.Build.Output;

/// <summary>
/// <c>build --output</c>, as buildx spells it: <c>type=local,dest=DIR</c> (the final root
/// filesystem, through a <see cref="RootfsSink"/>), <c>type=tar,dest=FILE</c> (that filesystem as
/// one tar), <c>type=oci|docker,dest=FILE</c> (an image archive through a
/// <see cref="DockerArchiveSink"/>; Strata's archive is both at once). <c>dest=-</c> writes a file
/// to the stream the caller gives (stdout). The image stays in the store as well. A file appears
/// whole or not at all: a corrupt blob or any other failure leaves no file at dest.
/// </summary>
public sealed record BuildOutput(string Type, string Destination)
{
    /// <summary>The <c>dest=</c> that means the caller's stream.</summary>
    public const string StandardOutput = "-";

    public static BuildOutput Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var fields = spec.Split(',').Select(f => f.Split('=', 2)).ToDictionary(f => f[0].Trim(), f => f.Length > 1 ? f[1].Trim() : "", StringComparer.Ordinal);
        // A bare path means type=local, as in buildx.
        if (fields.Count == 1 && fields.Values.First().Length == 0 && !fields.ContainsKey("type")) return new BuildOutput("local", spec);
        if (!fields.TryGetValue("type", out var type)) throw new InvalidArgumentException($"--output \"{spec}\": type=local|tar|oci|docker is required");
        if (type is not ("local" or "tar" or "oci" or "docker")) throw new InvalidArgumentException($"--output \"{spec}\": unknown type \"{type}\" (local, tar, oci, docker)");
        if (!fields.TryGetValue("dest", out var dest) || dest.Length == 0) throw new InvalidArgumentException($"--output \"{spec}\": dest= is required");
        if (type == "local" && dest == StandardOutput) throw new InvalidArgumentException($"--output \"{spec}\": type=local needs a directory");
        return new BuildOutput(type, dest);
    }

    /// <summary>True when the output goes to the caller's stream rather than a path.</summary>
    public bool ToStream => Destination == StandardOutput;

    /// <param name="stream">Where <c>dest=-</c> writes (stdout); unused otherwise.</param>
    public Task WriteAsync(ImageStore store, StoredImage image, Stream? stream, CancellationToken cancellationToken) =>
        WriteAsync(store, image, stream, ExportCompression.Default, cancellationToken);

    /// <param name="compression">How an image archive (<c>type=oci|docker</c>) writes uncompressed layers.</param>
    public async Task WriteAsync(ImageStore store, StoredImage image, Stream? stream, ExportCompression compression, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(compression);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(image);
        switch (Type)
        {
            case "local":
                await WriteRootfsAsync(store, image, Destination, cancellationToken).ConfigureAwait(false);
                break;
            case "tar":
                await WriteFileAsync(stream, async output =>
                {
                    var scratch = Path.Combine(store.Layout.Root, "tmp", $"output-{Guid.NewGuid():N}");
                    try
                    {
                        await WriteRootfsAsync(store, image, scratch, cancellationToken).ConfigureAwait(false);
                        await LayerWriter.WriteTreeAsync(scratch, output, LayerWriteOptions.Default with { Compression = LayerCompression.None }, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        if (Directory.Exists(scratch)) await Task.Run(() => DeleteTree(scratch), CancellationToken.None).ConfigureAwait(false);
                    }
                }, cancellationToken).ConfigureAwait(false);
                break;
            default:
                var name = image.Tags.Count > 0 ? image.Tags[0] : null;
                await WriteFileAsync(stream, output => ImageSaver.SaveAsync(store, [(image, name)], output, compression, cancellationToken), cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private static async Task WriteRootfsAsync(ImageStore store, StoredImage image, string target, CancellationToken cancellationToken)
    {
        var source = StoreSource.ForImages(store, [(image, null)], "--output");
        await using (source.ConfigureAwait(false))
        {
            var sink = new RootfsSink(target, "--output");
            await using (sink.ConfigureAwait(false))
            {
                await ImageCopier.CopyAsync(source, image.ManifestDescriptor, [], sink, cancellationToken).ConfigureAwait(false);
                await sink.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task WriteFileAsync(Stream? stream, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        if (ToStream)
        {
            await write(stream ?? throw new InvalidArgumentException($"--output type={Type},dest=-: no stream to write to")).ConfigureAwait(false);
            return;
        }
        await AtomicOutput.WriteAsync(Destination, write, cancellationToken).ConfigureAwait(false);
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
