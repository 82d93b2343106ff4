using System.Security.Cryptography;
using System.Text.Json;
using Strata.Build.IntegrationTests.Fixtures;
using Strata.Build.IntegrationTests.Mounts;

namespace Strata.Build.IntegrationTests.Cli;

/// <summary>--metadata-file: buildx's keys, checked against the store's own blobs (the store is an OCI layout).</summary>
public sealed class MetadataFileTests : IClassFixture<BaseStore>
{
    private readonly BaseStore _base;

    public MetadataFileTests(BaseStore store) => _base = store;

    [Fact]
    public async Task Metadata_file_names_the_manifest_config_and_tags_as_buildx_does()
    {
        var (strata, build) = await MountBuild.NewAsync(_base, "metadata");
        var file = Path.Combine(_base.Root, "metadata.json");

        (await build.BuildAsync("FROM base:1\nRUN echo x > /x\n", "meta:1", ["-t", "registry.example:5000/team/app:v2", "--metadata-file", file])).EnsureSuccess();

        var text = await File.ReadAllTextAsync(file);
        // Written as buildx (Go) writes it: the media type's '+' as is, not escaped.
        Assert.Contains("\"application/vnd.oci.image.manifest.v1+json\"", text, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        var digest = root.GetProperty("containerimage.digest").GetString()!;
        var descriptor = root.GetProperty("containerimage.descriptor");
        Assert.Equal(digest, descriptor.GetProperty("digest").GetString());
        var manifest = await File.ReadAllBytesAsync(Path.Combine(strata.StoreRoot, "blobs", "sha256", digest["sha256:".Length..]));
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(manifest)), digest);
        Assert.Equal(manifest.Length, descriptor.GetProperty("size").GetInt64());
        using var parsed = JsonDocument.Parse(manifest);
        Assert.Equal(parsed.RootElement.GetProperty("mediaType").GetString(), descriptor.GetProperty("mediaType").GetString());
        Assert.Equal(parsed.RootElement.GetProperty("config").GetProperty("digest").GetString(), root.GetProperty("containerimage.config.digest").GetString());
        using var inspect = JsonDocument.Parse((await strata.RunAsync("inspect", "meta:1")).EnsureSuccess().Stdout);
        Assert.Equal(inspect.RootElement[0].GetProperty("Id").GetString(), root.GetProperty("containerimage.config.digest").GetString());
        Assert.Equal("docker.io/library/meta:1,registry.example:5000/team/app:v2", root.GetProperty("image.name").GetString());
        Assert.Empty(Directory.EnumerateFiles(_base.Root, ".metadata.json.*"));
    }

    [Fact]
    public async Task A_failed_build_leaves_the_previous_metadata_file_as_it_was()
    {
        var (_, build) = await MountBuild.NewAsync(_base, "metadata-fail");
        var file = Path.Combine(_base.Root, "metadata-fail.json");
        await File.WriteAllTextAsync(file, "previous");

        var result = await build.BuildAsync("FROM base:1\nRUN exit 3\n", "fail:1", ["--metadata-file", file]);

        StrataExit.AssertFailed(result.ExitCode, result.ToString());
        Assert.Equal("previous", await File.ReadAllTextAsync(file));
    }

    [Fact]
    public async Task A_metadata_file_in_a_missing_directory_fails_before_building()
    {
        var (_, build) = await MountBuild.NewAsync(_base, "metadata-dir");
        var file = Path.Combine(_base.Root, "no-such-dir", "m.json");

        var result = await build.BuildAsync("FROM base:1\nRUN echo should-not-run\n", "m:1", ["--metadata-file", file]);

        StrataExit.AssertFailed(result.ExitCode, result.ToString());
        var error = Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("Error:", StringComparison.Ordinal));
        Assert.Contains($"--metadata-file {file}: directory", error, StringComparison.Ordinal);
        Assert.DoesNotContain("should-not-run", result.Stderr, StringComparison.Ordinal);
    }
}
