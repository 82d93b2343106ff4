using Strata.Build.Output;
using Strata.Core;
using Strata.Images;
using Strata.Registry.Pull;
using Strata.Registry.Push;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>build --push</c>, <c>--output type=registry</c> and <c>type=image,push=true</c>, as buildx
/// does them: after the build, the image goes to the registry of each name (the output's
/// <c>name=</c>, else every <c>-t</c>) through <c>strata push</c>'s pusher, and the pushed
/// manifest digest is printed as BuildKit prints it (<c>pushing manifest for NAME@DIGEST done</c>).
/// </summary>
internal static class BuildPushes
{
    /// <summary>The names to push, checked before anything is built.</summary>
    public static IReadOnlyList<ImageReference> Plan(IReadOnlyList<BuildOutput> outputs, IReadOnlyList<ImageReference> tags)
    {
        var names = new List<ImageReference>();
        foreach (var output in outputs.Where(o => o.Push))
        {
            var these = output.Names.Count > 0 ? output.Names : tags;
            if (these.Count == 0) throw new InvalidArgumentException($"--output type={output.Type}: a name is needed to push: tag the image with -t NAME or give name=NAME");
            names.AddRange(these);
        }
        return [.. names.Distinct()];
    }

    /// <summary><c>--push</c> of a multi-platform build: the index and every child it holds, to each name.</summary>
    /// <param name="log">Where the result lines go (stderr), or null for none.</param>
    public static async Task PushIndexAsync(ImageStore store, StoredIndex index, IReadOnlyList<ImageReference> names, TextWriter? log, CancellationToken cancellationToken)
    {
        if (names.Count == 0) return;
        using var client = RegistryOpener.Open();
        foreach (var name in names)
        {
            var known = await new BlobSources(store.Layout.Root).ForRegistryAsync(name.Domain, cancellationToken).ConfigureAwait(false);
            var options = new PushOptions { KnownSource = digest => known.GetValueOrDefault(digest) };
            var pushed = await RegistryPush.PushIndexAsync(store, client, name, index, options, null, cancellationToken).ConfigureAwait(false);
            if (log is not null) await log.WriteLineAsync($"pushing manifest list for {name}@{pushed.Digest} done").ConfigureAwait(false);
        }
    }

    /// <param name="log">Where the result lines go (stderr), or null for none.</param>
    public static async Task PushAsync(ImageStore store, StoredImage image, IReadOnlyList<ImageReference> names, TextWriter? log, CancellationToken cancellationToken)
    {
        if (names.Count == 0) return;
        using var client = RegistryOpener.Open();
        foreach (var name in names)
        {
            var known = await new BlobSources(store.Layout.Root).ForRegistryAsync(name.Domain, cancellationToken).ConfigureAwait(false);
            var options = new PushOptions { KnownSource = digest => known.GetValueOrDefault(digest) };
            var manifest = await RegistryPush.PushImageAsync(store, client, name, image, options, null, cancellationToken).ConfigureAwait(false);
            if (log is not null) await log.WriteLineAsync($"pushing manifest for {name}@{manifest.Digest} done").ConfigureAwait(false);
        }
    }
}
