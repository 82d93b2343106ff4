using System.Text.RegularExpressions;
using Strata.Analysis.Image;
using Strata.Analysis.Image.Html;
using Strata.Images.Transfer;
using static Strata.Analysis.Tests.Image.CraftedImage;

namespace Strata.Analysis.Tests.Image.Html;

/// <summary>The HTML report as text: kept changes, escaping of everything from the image, the cap note, nothing fetched.</summary>
public sealed partial class AnalysisHtmlReportTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-analyze-html-");

    public void Dispose() => _tempDir.Dispose();

    private async Task<ImageAnalysis> AnalyzeAsync(CraftedImage image, int keep, string name = "crafted")
    {
        var root = Path.Combine(_tempDir.Path, "layout");
        var manifest = image.WriteLayout(root);
        await using var source = new OciLayoutSource(root, "layout", 1 << 20);
        return await ImageAnalyzer.AnalyzeAsync(source, manifest, name, ImageAnalysisOptions.Default with { KeepChanges = keep }, CancellationToken.None);
    }

    [Fact]
    public async Task Each_layer_keeps_its_added_modified_and_removed_paths()
    {
        var image = new CraftedImage()
            .Layer("ADD base", w => { Dir(w, "app"); File(w, "app/data", 1000); File(w, "app/old", 10); Dir(w, "tree"); File(w, "tree/a", 1); File(w, "tree/b", 2); })
            .Layer("RUN change", w => { File(w, "app/data", 2000, (byte)'b'); File(w, "app/new", 5); Whiteout(w, "app/old"); Whiteout(w, "tree"); });
        var a = await AnalyzeAsync(image, keep: 100);

        Assert.Equal(2, a.Changes.Count);
        Assert.Equal([("/app/data", LayerChangeKind.Added, 1000L), ("/app/old", LayerChangeKind.Added, 10), ("/tree/a", LayerChangeKind.Added, 1), ("/tree/b", LayerChangeKind.Added, 2)],
            a.Changes[0].Kept.Select(c => (c.Path, c.Kind, c.Size)));
        Assert.Equal([("/app/data", LayerChangeKind.Modified, 2000L), ("/app/new", LayerChangeKind.Added, 5), ("/app/old", LayerChangeKind.Removed, 10), ("/tree/a", LayerChangeKind.Removed, 1), ("/tree/b", LayerChangeKind.Removed, 2)],
            a.Changes[1].Kept.Select(c => (c.Path, c.Kind, c.Size)));
        Assert.Equal((5, false), (a.Changes[1].Total, a.Changes[1].Capped));
        Assert.Equal((1, 1, 3), (a.Layers[1].Added, a.Layers[1].Modified, a.Layers[1].Removed));

        var plain = await AnalyzeAsync(image, keep: 0);
        Assert.Empty(plain.Changes);
    }

    [Fact]
    public async Task A_layer_over_the_cap_keeps_its_biggest_changes_and_the_page_says_so()
    {
        var image = new CraftedImage().Layer("RUN many", w =>
        {
            for (int i = 1; i <= 5; i++) File(w, $"f{i}", i * 10);
        });
        var a = await AnalyzeAsync(image, keep: 3);
        Assert.Equal(["/f3", "/f4", "/f5"], a.Changes[0].Kept.Select(c => c.Path));
        Assert.Equal((5, true), (a.Changes[0].Total, a.Changes[0].Capped));

        var html = AnalysisHtmlReport.Render(a);
        Assert.Contains("<p class=\"note capped\">Showing the 3 biggest of 5 changed paths of this layer (the page keeps at most 3 per layer).</p>", html, StringComparison.Ordinal);
        Assert.Equal(3, FileItem().Count(html));
    }

    [Fact]
    public async Task Paths_instructions_and_the_name_from_the_image_are_escaped()
    {
        var a = await AnalyzeAsync(HostileImage.Create(), keep: 100, name: "evil\"<b>name</b>");
        var html = AnalysisHtmlReport.Render(a);

        // The one script element is the page's own; nothing from the image opens an element.
        Assert.Single(ScriptTag().Matches(html));
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg onload", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>name", html, StringComparison.Ordinal);
        Assert.DoesNotContain("window.pwned=4</script>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"name\">&lt;img src=x onerror=&quot;window.pwned=1&quot;&gt;</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"name\">&#39;&quot;&gt;&lt;svg onload=window.pwned=2&gt;</span>", html, StringComparison.Ordinal);
        Assert.Contains("<summary>&lt;script&gt;window.pwned=3&lt;/ <span class=\"size\">5 B</span></summary>", html, StringComparison.Ordinal);
        Assert.Contains("<pre>RUN /bin/sh -c echo &quot;&lt;/script&gt;&lt;script&gt;window.pwned=4&lt;/script&gt;&quot; &gt; &#39;/a&amp;b&#39;</pre>", html, StringComparison.Ordinal);
        Assert.Contains("<title>strata analyze: evil&quot;&lt;b&gt;name&lt;/b&gt;</title>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_references_nothing_outside_itself_and_pins_its_script_and_style_by_hash()
    {
        var html = AnalysisHtmlReport.Render(await AnalyzeAsync(HostileImage.Create(), keep: 100));
        Assert.DoesNotContain(" src=\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.DoesNotContain("url(", html, StringComparison.Ordinal);
        Assert.Matches("content=\"default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]{44}'; script-src 'sha256-[A-Za-z0-9+/=]{44}'; img-src data:; base-uri 'none'; form-action 'none'\"", html);
        // Every href is an anchor in the page.
        Assert.All(Href().Matches(html), m => Assert.StartsWith("#", m.Groups[1].Value, StringComparison.Ordinal));
    }

    [GeneratedRegex("<li class=\"file ")]
    private static partial Regex FileItem();

    [GeneratedRegex("<script")]
    private static partial Regex ScriptTag();

    [GeneratedRegex("href=\"([^\"]*)\"")]
    private static partial Regex Href();
}
