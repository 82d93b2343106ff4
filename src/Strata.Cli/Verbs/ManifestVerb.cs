using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Content;
using Strata.Core;
using Strata.Images;
using Strata.Images.Indexes;
using Strata.Registry.Pull;
using Strata.Registry.Push;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata manifest create|inspect|push</c>, docker's manifest commands over the store: create
/// assembles an OCI image index from images in the store (<see cref="IndexAssembler"/>), stored
/// and named as a pulled index is; inspect prints it as docker does; push sends its images and it.
/// </summary>
internal static class ManifestVerb
{
    // docker prints a manifest list indented with three spaces and an image manifest with tabs.
    // Relaxed escaping keeps a media type's '+' as it is stored.
    private static readonly JsonWriterOptions ListIndent = new() { Indented = true, IndentSize = 3, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions TabIndent = new() { Indented = true, IndentCharacter = '\t', IndentSize = 1, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var command = new Command("manifest", "Manage image manifests and manifest lists (image indexes)");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(Inspect());
        command.Subcommands.Add(Push());
        return command;
    }

    private static Command CreateList()
    {
        var list = new Argument<string>("MANIFEST_LIST");
        var images = new Argument<string[]>("MANIFEST") { Arity = ArgumentArity.OneOrMore, Description = "Images of the store (one per platform, each taken from its config)" };
        var amend = new Option<bool>("--amend", "-a") { Description = "Amend an existing manifest list" };
        var command = new Command("create", "Create a manifest list (an OCI image index) from images in the store") { list, images, amend };
        command.SetAction(async (parse, ct) =>
        {
            var name = ImageReference.Parse(parse.GetValue(list)!);
            var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            await IndexAssembler.CreateAsync(store, name, parse.GetValue(images)!, new IndexCreateOptions { Amend = parse.GetValue(amend) }, ct).ConfigureAwait(false);
            Console.Out.WriteLine($"Created manifest list {name}");
            return 0;
        });
        return command;
    }

    private static Command Inspect()
    {
        var reference = new Argument<string>("MANIFEST_LIST");
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Output additional info including layers and platform" };
        var command = new Command("inspect", "Display a manifest list (or an image's manifest) of the store") { reference, verbose };
        command.SetAction(async (parse, ct) =>
        {
            var asked = parse.GetValue(reference)!;
            var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            if (await store.Indexes.TryFindAsync(asked, ct).ConfigureAwait(false) is { } index)
            {
                if (!parse.GetValue(verbose))
                {
                    Console.Out.WriteLine(Indent(await ReadAsync(store, index.Digest, ct).ConfigureAwait(false), ListIndent));
                    return 0;
                }
                var entries = new JsonArray();
                foreach (var child in index.Children)
                    entries.Add((JsonNode)await VerboseAsync(store, Repository(asked, index), child.Manifest with { Platform = child.Platform }, child.ImageId is not null, ct).ConfigureAwait(false));
                Console.Out.WriteLine(Indent(entries, TabIndent));
                return 0;
            }
            var image = await store.TryGetAsync(asked, ct).ConfigureAwait(false) ?? throw new NotFoundException($"No such manifest: {asked}");
            if (!parse.GetValue(verbose))
            {
                Console.Out.WriteLine(Indent(await ReadAsync(store, image.Record.ManifestDigest, ct).ConfigureAwait(false), TabIndent));
                return 0;
            }
            var platform = image.Config.Platform;
            var self = image.ManifestDescriptor with { Platform = new Platform(platform.Os, platform.Architecture, platform.Variant) };
            var repository = image.Tags.Count > 0 ? image.Tags[0].Repository : null;
            Console.Out.WriteLine(Indent(await VerboseAsync(store, repository, self, present: true, ct).ConfigureAwait(false), TabIndent));
            return 0;
        });
        return command;
    }

    private static Command Push()
    {
        var list = new Argument<string>("MANIFEST_LIST");
        var target = new Argument<string?>("REF") { Arity = ArgumentArity.ZeroOrOne, Description = "Push under this reference instead of MANIFEST_LIST's" };
        var command = new Command("push", "Push a manifest list and every image it lists to a repository") { list, target };
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(list)!;
            var to = ImageReference.Parse(parse.GetValue(target) ?? name);
            var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var index = await store.Indexes.TryFindAsync(name, ct).ConfigureAwait(false)
                ?? throw new NotFoundException($"No such manifest list: {name}");
            var missing = index.Children.Where(c => !c.Present).ToList();
            if (missing.Count > 0)
                throw new NotFoundException($"manifest list {name} lists images the store lacks ({string.Join(", ", missing.Select(c => $"{c.Platform?.ToString() ?? "no platform"} {c.Manifest.Digest}"))}): pull them first");
            var known = await new BlobSources(store.Layout.Root).ForRegistryAsync(to.Domain, ct).ConfigureAwait(false);
            var options = new PushOptions { KnownSource = digest => known.GetValueOrDefault(digest) };
            using var client = RegistryOpener.Open();
            var pushed = await RegistryPush.PushIndexAsync(store, client, to, index, options, progress: null, ct).ConfigureAwait(false);
            // docker prints the digest the registry gave the list, alone.
            Console.Out.WriteLine(pushed.Digest.ToString());
            return 0;
        });
        return command;
    }

    /// <summary>docker's verbose entry: the image reference, its descriptor, and the manifest raw and parsed.</summary>
    private static async Task<JsonObject> VerboseAsync(ImageStore store, string? repository, Descriptor manifest, bool present, CancellationToken ct)
    {
        var descriptor = new JsonObject
        {
            ["mediaType"] = manifest.MediaType,
            ["digest"] = manifest.Digest.ToString(),
            ["size"] = manifest.Size,
        };
        if (manifest.Platform is { } p)
        {
            var platform = new JsonObject { ["architecture"] = p.Architecture, ["os"] = p.Os };
            if (p.Variant is { } variant) platform["variant"] = variant;
            descriptor["platform"] = platform;
        }
        var entry = new JsonObject
        {
            ["Ref"] = repository is null ? manifest.Digest.ToString() : $"{repository}@{manifest.Digest}",
            ["Descriptor"] = descriptor,
        };
        if (!present) return entry;
        var bytes = await store.Content.ReadAllBytesAsync(manifest.Digest, store.Options.MaxDocumentBytes, ct).ConfigureAwait(false);
        entry["Raw"] = Convert.ToBase64String(bytes);
        entry[manifest.MediaType == MediaTypes.DockerManifest ? "SchemaV2Manifest" : "OCIManifest"] = JsonNode.Parse(bytes);
        return entry;
    }

    /// <summary>The repository a verbose entry's <c>Ref</c> names: the one asked for, else the index's first name.</summary>
    private static string? Repository(string asked, StoredIndex index) =>
        ImageReference.TryParse(asked, out var reference) && index.Tags.Contains(reference) ? reference.Repository
        : index.Tags.Count > 0 ? index.Tags[0].Repository : null;

    private static async Task<JsonNode> ReadAsync(ImageStore store, Digest digest, CancellationToken ct) =>
        JsonNode.Parse(await store.Content.ReadAllBytesAsync(digest, store.Options.MaxDocumentBytes, ct).ConfigureAwait(false))
        ?? throw new InvalidArgumentException($"blob {digest} is JSON null, not a manifest");

    private static string Indent(JsonNode node, JsonWriterOptions options)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, options)) node.WriteTo(writer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
