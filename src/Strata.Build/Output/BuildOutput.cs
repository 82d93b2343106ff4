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
/// <c>type=image[,name=R][,push=true]</c> and <c>type=registry[,name=R]</c> (what
/// <c>--push</c> means) name the image in the store and, with push, send it to its registry:
/// the caller pushes (<see cref="Push"/>, <see cref="Names"/>); they have no dest.
/// </summary>
public sealed record BuildOutput(string Type, string Destination)
{
    /// <summary><c>name=</c> of an image or registry output (empty: the build's <c>-t</c> names).</summary>
    public IReadOnlyList<ImageReference> Names { get; init; } = [];

    /// <summary>An image output to push to its registry (<c>type=registry</c>, <c>push=true</c>).</summary>
    public bool Push { get; init; }

    /// <summary>True for <c>type=image</c> and <c>type=registry</c>, which write nothing to a path.</summary>
    public bool IsImage => Type is "image" or "registry";

    /// <summary>The <c>dest=</c> that means the caller's stream.</summary>
    public const string StandardOutput = "-";

    public static BuildOutput Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var fields = spec.Split(',').Select(f => f.Split('=', 2)).ToDictionary(f => f[0].Trim(), f => f.Length > 1 ? f[1].Trim() : "", StringComparer.Ordinal);
        // A bare path means type=local, as in buildx.
        if (fields.Count == 1 && fields.Values.First().Length == 0 && !fields.ContainsKey("type")) return new BuildOutput("local", spec);
        if (!fields.TryGetValue("type", out var type)) throw new InvalidArgumentException($"--output \"{spec}\": type=local|tar|oci|docker|image|registry is required");
        if (type is "image" or "registry") return ParseImage(spec, type, fields);
        if (type is not ("local" or "tar" or "oci" or "docker")) throw new InvalidArgumentException($"--output \"{spec}\": unknown type \"{type}\" (local, tar, oci, docker, image, registry)");
        if (!fields.TryGetValue("dest", out var dest) || dest.Length == 0) throw new InvalidArgumentException($"--output \"{spec}\": dest= is required");
        if (type == "local" && dest == StandardOutput) throw new InvalidArgumentException($"--output \"{spec}\": type=local needs a directory");
        return new BuildOutput(type, dest);
    }

    /// <summary>The --push shorthand: <c>type=registry</c> under the build's names.</summary>
    public static BuildOutput Registry { get; } = new("registry", "") { Push = true };

    private static BuildOutput ParseImage(string spec, string type, Dictionary<string, string> fields)
    {
        foreach (var key in fields.Keys.Where(k => k is not ("type" or "name" or "push")))
            throw new InvalidArgumentException($"--output \"{spec}\": type={type} does not take {key}=");
        bool push = type == "registry";
        if (fields.TryGetValue("push", out var pushText))
        {
            if (!bool.TryParse(pushText, out push)) throw new InvalidArgumentException($"--output \"{spec}\": push= wants true or false, not \"{pushText}\"");
            if (type == "registry" && !push) throw new InvalidArgumentException($"--output \"{spec}\": type=registry always pushes");
        }
        var names = fields.TryGetValue("name", out var name) && name.Length > 0
            ? ImageReference.TryParse(name, out var reference) ? [reference] : throw new InvalidArgumentException($"--output \"{spec}\": invalid name \"{name}\"")
            : Array.Empty<ImageReference>();
        return new BuildOutput(type, "") { Names = names, Push = push };
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
        if (IsImage) throw new InvalidOperationException($"--output type={Type} is written by the caller: the image is named at commit and pushed by a registry client");
        switch (Type)
        {
            case "local":
                await WriteRootfsAsync(store, image, Destination, cancellationToken).ConfigureAwait(false);
                break;
            case "tar":
                await WriteTarAsync(store, stream, scratch => WriteRootfsAsync(store, image, scratch, cancellationToken), cancellationToken).ConfigureAwait(false);
                break;
            default:
                var name = image.Tags.Count > 0 ? image.Tags[0] : null;
                await WriteFileAsync(stream, output => ImageSaver.SaveAsync(store, [(image, name)], output, compression, cancellationToken), cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary><c>type=tar</c>: the tree(s) <paramref name="fill"/> writes into a scratch directory of the store, as one uncompressed tar.</summary>
    private async Task WriteTarAsync(ImageStore store, Stream? stream, Func<string, Task> fill, CancellationToken cancellationToken) =>
        await WriteFileAsync(stream, async output =>
        {
            var scratch = Path.Combine(store.Layout.Root, "tmp", $"output-{Guid.NewGuid():N}");
            try
            {
                await fill(scratch).ConfigureAwait(false);
                await LayerWriter.WriteTreeAsync(scratch, output, LayerWriteOptions.Default with { Compression = LayerCompression.None }, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (Directory.Exists(scratch)) await Task.Run(() => DeleteTree(scratch), CancellationToken.None).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Writes a multi-platform build's result: <c>type=local</c> one directory per platform
    /// under dest (<c>linux_amd64/</c>, <c>linux_arm_v7/</c>, as buildx names them),
    /// <c>type=tar</c> those directories in one tar, <c>type=oci|docker</c> an archive holding
    /// the index as stored (its children's layers as the store keeps them, so the index keeps its
    /// digest) under the build's first name.
    /// </summary>
    /// <param name="images">The index's per-platform images, in its order.</param>
    /// <param name="stream">Where <c>dest=-</c> writes (stdout); unused otherwise.</param>
    public async Task WriteIndexAsync(ImageStore store, StoredIndex index, IReadOnlyList<StoredImage> images, Stream? stream, ExportCompression compression, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(images);
        if (IsImage) throw new InvalidOperationException($"--output type={Type} is written by the caller: the index is named at commit and pushed by a registry client");
        switch (Type)
        {
            case "local":
                await AtomicDirectoryAsync(Destination, dir => WritePlatformTreesAsync(store, images, dir, cancellationToken)).ConfigureAwait(false);
                break;
            case "tar":
                await WriteTarAsync(store, stream, scratch => WritePlatformTreesAsync(store, images, scratch, cancellationToken), cancellationToken).ConfigureAwait(false);
                break;
            default:
                var name = index.Tags.Count > 0 ? index.Tags[0] : null;
                await WriteFileAsync(stream, output => ImageSaver.SaveAsync(store, [], [(index, name)], PlatformSelection.All, output, compression, cancellationToken), cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>buildx's directory name for a platform: its parts joined by <c>_</c>.</summary>
    public static string PlatformDirectory(Platform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        return platform.ToString().Replace('/', '_');
    }

    private static async Task WritePlatformTreesAsync(ImageStore store, IReadOnlyList<StoredImage> images, string root, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(root);
        foreach (var image in images)
            await WriteRootfsAsync(store, image, Path.Combine(root, PlatformDirectory(image.Config.Platform)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A directory of several trees appears whole: written beside dest, then renamed into
    /// place (over an empty dest; a non-empty one is refused rather than mixed into).
    /// </summary>
    private static async Task AtomicDirectoryAsync(string destination, Func<string, Task> write)
    {
        var full = Path.GetFullPath(destination);
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
            throw new AlreadyExistsException($"--output type=local,dest={destination}: the directory is not empty");
        var parent = Path.GetDirectoryName(full) ?? "/";
        Directory.CreateDirectory(parent);
        var scratch = Path.Combine(parent, $".{Path.GetFileName(full)}.strata-{Guid.NewGuid():N}");
        try
        {
            await write(scratch).ConfigureAwait(false);
            if (Directory.Exists(full)) Directory.Delete(full);
            Directory.Move(scratch, full);
        }
        finally
        {
            if (Directory.Exists(scratch)) await Task.Run(() => DeleteTree(scratch), CancellationToken.None).ConfigureAwait(false);
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
