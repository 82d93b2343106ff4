using System.CommandLine;
using System.Text;
using System.Text.Json;
using Strata.Cli.Formatting;
using Strata.Core;
using Strata.Images;
using Strata.Images.Views;

namespace Strata.Cli.Verbs;

/// <summary><c>strata inspect IMAGE...</c> / <c>image inspect</c>: docker's JSON, or <c>--format TEMPLATE</c> per image.</summary>
internal static class InspectVerb
{
    public static Command Create(string name)
    {
        var images = new Argument<string[]>("IMAGE") { Arity = ArgumentArity.OneOrMore };
        var format = new Option<string?>("--format", "-f") { Description = "Format output using a Go template" };
        var command = new Command(name, "Display detailed information on one or more images") { images, format };
        command.SetAction(async (parse, ct) =>
        {
            var store = await StoreOpener.OpenAsync(parse, ct).ConfigureAwait(false);
            var tags = await store.Metadata.ListTagsAsync(ct).ConfigureAwait(false);
            var results = new List<ImageInspect>();
            var missing = new List<string>();
            foreach (var name in parse.GetValue(images)!)
            {
                var image = await store.TryGetAsync(name, ct).ConfigureAwait(false);
                if (image is null) { missing.Add(name); continue; }
                var lastTag = tags.Where(t => t.ImageId == image.Id).Select(t => (DateTimeOffset?)t.UpdatedAt).Max();
                results.Add(ImageInspector.For(image, lastTag));
            }
            var template = parse.GetValue(format);
            if (template is null)
            {
                var json = JsonSerializer.Serialize(results, ImagesJsonContext.Docker.IReadOnlyListImageInspect);
                Console.Out.WriteLine(json);
            }
            else
            {
                var parsed = GoTemplate.Parse(template.Replace("\\t", "\t", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal));
                var sb = new StringBuilder();
                foreach (var r in results) sb.Append(parsed.Execute(JsonSerializer.SerializeToNode(r, ImagesJsonContext.Default.ImageInspect))).Append('\n');
                Console.Out.Write(sb.ToString());
            }
            if (missing.Count > 0) throw new NotFoundException($"No such image: {string.Join(", ", missing)}");
            return 0;
        });
        return command;
    }
}
