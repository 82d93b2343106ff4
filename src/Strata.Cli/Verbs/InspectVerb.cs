using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Cli.Formatting;
using Strata.Core;
using Strata.Images;
using Strata.Images.Views;

namespace Strata.Cli.Verbs;

/// <summary>
/// <c>strata inspect [--platform P] IMAGE...</c> / <c>image inspect</c>: docker's JSON (its field order, its
/// escaping), or <c>--format TEMPLATE</c> per image as docker runs it: over the typed struct, then
/// over the decoded JSON if that fails; an image whose template fails prints nothing and its error
/// goes to stderr, the other images still print, and the exit code is 1.
/// </summary>
internal static class InspectVerb
{
    public static Command Create(string name)
    {
        var images = new Argument<string[]>("IMAGE") { Arity = ArgumentArity.OneOrMore };
        var format = new Option<string?>("--format", "-f") { Description = "Format output using a Go template" };
        var platform = new Option<string?>("--platform") { Description = "Inspect this platform's image of a multi-platform image (os/arch[/variant]; default: the host's)" };
        var command = new Command(name, "Display detailed information on one or more images") { images, format, platform };
        command.SetAction(async (parse, ct) =>
        {
            var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var tags = await store.Metadata.ListTagsAsync(ct).ConfigureAwait(false);
            var template = parse.GetValue(format) is { } text
                ? GoTemplate.Parse(text.Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal))
                : null;
            var results = new List<JsonNode>();
            var output = new StringBuilder();
            var errors = new List<string>();
            var missing = new List<string>();
            var wantedPlatform = parse.GetValue(platform) is { } p ? Platform.Parse(p) : null;
            foreach (var name in parse.GetValue(images)!)
            {
                var image = await store.TryGetAsync(name, wantedPlatform, ct).ConfigureAwait(false);
                if (image is null)
                {
                    missing.Add(name);
                    errors.Add($"Error: No such image: {name}");
                    continue;
                }
                var lastTag = tags.Where(t => t.ImageId == image.Id).Select(t => (DateTimeOffset?)t.UpdatedAt).Max();
                var view = ImageInspector.For(image, lastTag);
                // A multi-platform image is its index, as docker's containerd store shows it: the
                // index digest as Id, its names; the rest is the chosen platform's image.
                if (await store.ResolveImageIdAsync(name, ct).ConfigureAwait(false) is null && await store.Indexes.TryFindAsync(name, ct).ConfigureAwait(false) is { } index)
                    view = view with { Id = index.Digest.Value, RepoTags = [.. index.Tags.Select(t => t.Familiar)], RepoDigests = [.. index.Tags.Select(t => $"{t.FamiliarRepository}@{index.Digest}")] };
                var node = DockerNode(view);
                if (template is null) { results.Add(node); continue; }
                try
                {
                    output.Append(Execute(template, node)).Append('\n');
                }
                catch (TemplateExecutionException ex)
                {
                    errors.Add("template parsing error: " + ex.Message);
                }
            }
            if (template is null)
            {
                var all = "[" + string.Join(',', results.Select(r => GoJson.Encode(new TypedValue(r, DockerShapes.ImageInspect), escapeHtml: false))) + "]";
                await Console.Out.WriteLineAsync(GoJson.Indent(all, "    ")).ConfigureAwait(false);
                if (missing.Count > 0) throw new NotFoundException($"No such image: {string.Join(", ", missing)}");
                return 0;
            }
            // As docker's TemplateInspector.Flush: an empty line when no image printed.
            await Console.Out.WriteAsync(output.Length == 0 ? "\n" : output.ToString()).ConfigureAwait(false);
            if (errors.Count == 0) return 0;
            foreach (var error in errors) await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
            return ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>docker's two tries: the typed struct, then the JSON decoded into maps (whose error is the one reported).</summary>
    private static string Execute(GoTemplate template, JsonNode node)
    {
        try
        {
            return template.Execute(new TypedValue(node, DockerShapes.ImageInspect));
        }
        catch (TemplateExecutionException)
        {
            var raw = JsonNode.Parse(GoJson.Encode(new TypedValue(node, DockerShapes.ImageInspect), escapeHtml: false));
            return template.Execute(raw);
        }
    }

    /// <summary>The view as docker's daemon fills it: VirtualSize equals Size, ContainerConfig is an empty config.</summary>
    private static JsonNode DockerNode(ImageInspect view)
    {
        var node = JsonSerializer.SerializeToNode(view, ImagesJsonContext.Default.ImageInspect)!.AsObject();
        node["VirtualSize"] = view.Size;
        node["ContainerConfig"] ??= new JsonObject();
        return node;
    }
}
