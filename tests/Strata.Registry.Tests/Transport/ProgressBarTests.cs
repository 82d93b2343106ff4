using Strata.Registry.Tests.Fixtures;

namespace Strata.Registry.Tests.Transport;

/// <summary>
/// On a terminal (tmux), pull and push draw one progress bar per layer and keep docker's other
/// lines; piped output is the plain lines the other tests read.
/// </summary>
[Collection(RegistryGroup.Name)]
public sealed class ProgressBarTests(RegistryServer registry) : IDisposable
{
    private readonly TempDir _scratch = new("strata-registry-tests-");

    private string Store => _scratch.PathOf("store");

    public void Dispose() => _scratch.Dispose();

    private OciLayoutBuilder.Built Layout(string name)
    {
        var builder = new OciLayoutBuilder(_scratch.PathOf(name));
        var image = builder.Image("amd64", [new Dictionary<string, string> { ["etc/one"] = "one " + name + "\n" }, new Dictionary<string, string> { ["etc/two"] = "two " + name + "\n" }]);
        builder.Tag("v1", "application/vnd.oci.image.manifest.v1+json", image.ManifestDigest, image.ManifestSize);
        return image;
    }

    /// <summary>The screen line of <paramref name="digest"/>'s bar: its short digest and state, a full bar, 100%.</summary>
    private static void AssertFullBar(string screen, string digest, string state)
    {
        var line = Assert.Single(screen.Split('\n'), l => l.StartsWith($"{digest[7..19]}: {state} ", StringComparison.Ordinal));
        Assert.Contains("━━━", line);
        Assert.Contains(" 100% ", line + " ");
    }

    [Fact]
    public async Task Pull_on_a_terminal_draws_a_bar_per_layer_then_dockers_final_lines()
    {
        var image = Layout("pull");
        var reference = $"{registry.Host}/progress/pull:v1";
        await Skopeo.CopyToRegistryAsync(_scratch.PathOf("pull"), "v1", reference);

        var (screen, exit) = await TmuxSession.RunToEndAsync([StrataCli.Binary, "--root", Store, "pull", reference]);

        Assert.Equal(0, exit);
        var lines = screen.TrimEnd('\n').Split('\n');
        Assert.Equal("v1: Pulling from progress/pull", lines[0]);
        foreach (var layer in image.LayerDigests) AssertFullBar(screen, layer, "Pull complete");
        Assert.Equal([$"Digest: {image.ManifestDigest}", $"Status: Downloaded newer image for {reference}", reference], lines[^3..]);
    }

    [Fact]
    public async Task Push_on_a_terminal_draws_a_bar_per_layer_then_dockers_final_line()
    {
        var image = Layout("push");
        var archive = _scratch.PathOf("push.tar");
        System.Formats.Tar.TarFile.CreateFromDirectory(_scratch.PathOf("push"), archive, includeBaseDirectory: false);
        var reference = $"{registry.Host}/progress/push:v1";
        (await Tool.RunAsync(StrataCli.Binary, ["--root", Store, "load", "-q", "-i", archive])).EnsureSuccess();
        (await Tool.RunAsync(StrataCli.Binary, ["--root", Store, "tag", image.ConfigDigest, reference])).EnsureSuccess();

        var (screen, exit) = await TmuxSession.RunToEndAsync([StrataCli.Binary, "--root", Store, "push", reference]);

        Assert.Equal(0, exit);
        var lines = screen.TrimEnd('\n').Split('\n');
        Assert.Equal($"The push refers to repository [{registry.Host}/progress/push]", lines[0]);
        foreach (var layer in image.LayerDigests) AssertFullBar(screen, layer, "Pushed");
        Assert.Equal($"v1: digest: {image.ManifestDigest} size: {image.ManifestSize}", lines[^1]);
    }

    [Fact]
    public async Task Quiet_pull_on_a_terminal_prints_only_the_reference()
    {
        Layout("quiet");
        var reference = $"{registry.Host}/progress/quiet:v1";
        await Skopeo.CopyToRegistryAsync(_scratch.PathOf("quiet"), "v1", reference);

        var (screen, exit) = await TmuxSession.RunToEndAsync([StrataCli.Binary, "--root", Store, "pull", "-q", reference]);

        Assert.Equal(0, exit);
        Assert.Equal(reference + "\n", screen);
    }
}
