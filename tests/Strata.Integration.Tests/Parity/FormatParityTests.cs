using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Parity;

/// <summary>
/// <c>--format</c> against the real docker engine on the same image (strata imports it, docker
/// loads strata's save): Go template semantics for unset fields and missing keys, one failing
/// image not hiding the others, and JSON byte for byte (field order, Go's escaping).
/// </summary>
[Collection(DockerPeer.Name)]
public sealed class FormatParityTests
{
    // <, >, & and a quote (escaped differently by json.Marshal and by docker's json function),
    // a non-ASCII character Go keeps as UTF-8, and U+2028 which Go always escapes.
    private const string Tricky = "<b>&\"q\"…\u2028end";

    private readonly Dockerd _docker;

    public FormatParityTests(Dockerd docker)
    {
        _docker = docker;
    }

    private async Task<(Workspace Ws, string Image)> SharedImageAsync()
    {
        var ws = new Workspace(Workspace.ThreeYearsAgo);
        string image = "parity/format:" + Guid.NewGuid().ToString("N")[..8];
        await ws.ImportBusyboxAsync(image, "-c", "LABEL note=\"" + Tricky.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"", "-c", "ENV X=1", "-m", Tricky);
        string archive = ws.Scratch.PathOf("image.tar");
        await ws.Strata.OkAsync("save", "-o", archive, image);
        await _docker.OkAsync("load", "-i", archive);
        return (ws, image);
    }

    [SkippableTheory]
    [InlineData("{{.Config.User}}")]
    [InlineData("{{.Config.User}}|{{.Config.WorkingDir}}|{{.Config.Labels.nosuch}}|{{.Variant}}|{{.OsVersion}}")]
    [InlineData("{{.Config.Healthcheck}}|{{.Config.Cmd}}|{{.Config.Volumes}}|{{.Config.ExposedPorts}}|{{.Config.ArgsEscaped}}|{{.Config.StopTimeout}}")]
    [InlineData("{{.Config}}")]
    [InlineData("{{.RootFS}}|{{.Config.Labels}}|{{.Config.Env}}|{{.Os}}|{{.Architecture}}|{{.Size}}|{{.VirtualSize}}")]
    [InlineData("{{json .Config}}")]
    [InlineData("{{json .RootFS}}|{{json .Config.Labels}}|{{json .Config.Healthcheck}}|{{json .Variant}}|{{json .Config.Cmd}}")]
    [InlineData("{{index .Config.Labels \"nosuch\"}}|{{len .Config.Env}}|{{if .Config.User}}user{{else}}root{{end}}")]
    [InlineData("{{.Id}}")]
    [InlineData("{{.Config.Foo}}")]
    [InlineData("{{.Os.Foo}}")]
    [InlineData("{{.ContainerConfig.Healthcheck.Test}}")]
    [InlineData("a\n{{.Config.Labels.note.x}}")]
    public async Task Inspect_format_prints_what_docker_prints_for_unset_fields_missing_keys_and_bad_fields(string template)
    {
        _docker.SkipIfUnavailable();
        var (ws, image) = await SharedImageAsync();
        using (ws)
        {
            var docker = await _docker.RunAsync(["image", "inspect", "--format", template, image]);
            var strata = await ws.Strata.RunAsync("inspect", "--format", template, image);
            Assert.Equal(docker.Stdout, strata.Stdout);
            Assert.Equal(docker.ExitCode, strata.ExitCode);
            Assert.Equal(docker.Stderr, strata.Stderr);
        }
    }

    [SkippableFact]
    public async Task One_image_whose_template_fails_does_not_hide_the_others_output()
    {
        _docker.SkipIfUnavailable();
        var (ws, image) = await SharedImageAsync();
        using (ws)
        {
            // The second image has a User: ".Config.User.Name" fails on a string there, prints "" then "<no value>"... per image.
            string other = "parity/other:" + Guid.NewGuid().ToString("N")[..8];
            await ws.ImportBusyboxAsync(other, "-c", "USER nobody");
            string archive = ws.Scratch.PathOf("other.tar");
            await ws.Strata.OkAsync("save", "-o", archive, other);
            await _docker.OkAsync("load", "-i", archive);
            foreach (var template in new[] { "{{if .Config.User}}{{.Config.User.Name}}{{else}}none{{end}}", "{{.Config.Nope}}" })
            {
                var docker = await _docker.RunAsync(["image", "inspect", "--format", template, image, other, image]);
                var strata = await ws.Strata.RunAsync("inspect", "--format", template, image, other, image);
                Assert.Equal(docker.Stdout, strata.Stdout);
                Assert.Equal(1, docker.ExitCode);
                Assert.Equal(docker.ExitCode, strata.ExitCode);
                Assert.Equal(docker.Stderr, strata.Stderr);
            }
        }
    }

    [SkippableFact]
    public async Task Json_of_a_listing_row_and_of_inspect_fields_is_byte_for_byte_dockers()
    {
        _docker.SkipIfUnavailable();
        var (ws, image) = await SharedImageAsync();
        using (ws)
        {
            // A listing row is a formatter context: keys sorted, <>& escaped by json.Marshal.
            foreach (var args in new[] { new[] { "history", "--format", "{{json .}}", image }, ["history", "--no-trunc", "--format", "{{json .}}|{{json .Comment}}", image] })
            {
                var docker = await _docker.OkAsync(args);
                Assert.Contains("\\u003cb\\u003e\\u0026\\\"q\\\"…\\u2028end", docker, StringComparison.Ordinal);
                Assert.Equal(docker, await ws.Strata.OkAsync(args));
            }
            // Inspect's json: struct order, <>& kept (docker's json function does not escape HTML).
            const string fields = "{{json .Config}}|{{json .RootFS}}|{{json .Config.Labels.note}}";
            var dockerInspect = await _docker.OkAsync("image", "inspect", "--format", fields, image);
            Assert.Contains("<b>&\\\"q\\\"…\\u2028end", dockerInspect, StringComparison.Ordinal);
            Assert.Equal(dockerInspect, await ws.Strata.OkAsync("inspect", "--format", fields, image));
        }
    }

    [SkippableFact]
    public async Task An_images_row_has_dockers_fields_and_sizes_with_dockers_precisions()
    {
        _docker.SkipIfUnavailable();
        var (ws, image) = await SharedImageAsync();
        using (ws)
        {
            static List<string> KeysOf(string line) => [.. System.Text.Json.Nodes.JsonNode.Parse(line)!.AsObject().Select(p => p.Key)];
            var docker = await _docker.OkAsync("images", "--format", "{{json .}}", image);
            var strata = await ws.Strata.OkAsync("images", "--format", "{{json .}}", image);
            Assert.Equal(KeysOf(docker), KeysOf(strata));
            // SIZE keeps three significant digits, VirtualSize (HumanSize) four, as docker 20.10 prints them.
            var sizes = (await ws.Strata.OkAsync("images", "--format", "{{.Size}}|{{.VirtualSize}}|{{.SharedSize}}", image)).TrimEnd('\n').Split('|');
            var bytes = long.Parse((await ws.Strata.OkAsync("inspect", "--format", "{{.Size}}", image)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal([DockerUnits.Size(bytes), (bytes / 1e6).ToString("G4", System.Globalization.CultureInfo.InvariantCulture) + "MB", "N/A"], sizes);
        }
    }

    [SkippableFact]
    public async Task Plain_inspect_lays_out_config_and_rootfs_as_docker_does()
    {
        _docker.SkipIfUnavailable();
        var (ws, image) = await SharedImageAsync();
        using (ws)
        {
            string docker = await _docker.OkAsync("image", "inspect", image);
            string strata = await ws.Strata.OkAsync("inspect", image);
            Assert.Equal(Section(docker, "        \"Config\": {", "        },"), Section(strata, "        \"Config\": {", "        },"));
            Assert.Equal(Section(docker, "        \"RootFS\": {", "        },"), Section(strata, "        \"RootFS\": {", "        },"));
            Assert.Equal(Keys(docker).Where(k => k != "ManifestDigest"), Keys(strata).Where(k => k != "ManifestDigest"));
        }
    }

    private static string Section(string json, string start, string end)
    {
        int from = json.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"no {start} in\n{json}");
        int to = json.IndexOf(end, from, StringComparison.Ordinal);
        return json[from..(to + end.Length)];
    }

    /// <summary>The top-level keys of the one inspected image, in order.</summary>
    private static List<string> Keys(string json) =>
        [.. json.Split('\n').Where(l => l.StartsWith("        \"", StringComparison.Ordinal)).Select(l => l.Trim().Split('"')[1])];
}
