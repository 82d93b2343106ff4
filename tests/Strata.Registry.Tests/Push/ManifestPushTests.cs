using Strata.Registry.Tests.Fixtures;

namespace Strata.Registry.Tests.Push;

/// <summary>
/// <c>strata manifest create</c> of images imported as linux/arm64 and linux/arm/v7 (the static
/// busybox under either label: nothing runs), then <c>manifest push</c> to the real registry:
/// skopeo reads the index with both platforms, and <c>pull --platform</c> takes the right child.
/// </summary>
[Collection(RegistryGroup.Name)]
public sealed class ManifestPushTests(RegistryServer registry) : IDisposable
{
    private readonly TempDir _scratch = new("strata-registry-tests-");

    public void Dispose() => _scratch.Dispose();

    private Task<ProcessResult> StrataAsync(params string[] arguments) => Tool.RunAsync(StrataCli.Binary, ["--root", _scratch.PathOf("store"), .. arguments]);

    private Task<ProcessResult> OtherStoreAsync(params string[] arguments) => Tool.RunAsync(StrataCli.Binary, ["--root", _scratch.PathOf("other"), .. arguments]);

    /// <summary>The busybox root filesystem imported as arm64 and arm/v7, combined as <paramref name="list"/>.</summary>
    private async Task<(string Arm64, string ArmV7)> CreateListAsync(string list)
    {
        var rootfs = _scratch.PathOf("rootfs");
        BusyboxRootfs.Minimal.Create(rootfs);
        var arm64 = (await StrataAsync("import", "--platform", "linux/arm64", rootfs, "bb:arm64")).EnsureSuccess().Stdout.Trim();
        var armV7 = (await StrataAsync("import", "--platform", "linux/arm/v7", rootfs, "bb:armv7")).EnsureSuccess().Stdout.Trim();
        Assert.Equal($"Created manifest list {list}\n", (await StrataAsync("manifest", "create", list, "bb:arm64", "bb:armv7")).EnsureSuccess().Stdout);
        return (arm64, armV7);
    }

    [Fact]
    public async Task Manifest_push_sends_the_index_and_both_images_and_pull_platform_takes_the_right_child()
    {
        var list = $"{registry.Host}/manifest/multi:v1";
        var (arm64, armV7) = await CreateListAsync(list);

        var push = (await StrataAsync("manifest", "push", list)).EnsureSuccess();

        var (served, index) = await Skopeo.RawAsync(list);
        Assert.Equal($"{served}\n", push.Stdout);
        Assert.Equal("application/vnd.oci.image.index.v1+json", (string?)index["mediaType"]);
        Assert.Equal(["linux/arm64/", "linux/arm/v7"], index["manifests"]!.AsArray().Select(m => $"{m!["platform"]!["os"]}/{m["platform"]!["architecture"]}/{m["platform"]!["variant"]}"));
        foreach (var (child, config) in index["manifests"]!.AsArray().Zip([arm64, armV7]))
        {
            var (digest, manifest) = await Skopeo.RawAsync($"{registry.Host}/manifest/multi@{child!["digest"]}");
            Assert.Equal((string?)child["digest"], digest);
            Assert.Equal(config, (string?)manifest["config"]!["digest"]);
        }

        (await OtherStoreAsync("pull", "-q", "--platform", "linux/arm64", list)).EnsureSuccess();
        Assert.Equal($"{arm64} arm64\n", (await OtherStoreAsync("inspect", "--format", "{{.Id}} {{.Architecture}}", list)).EnsureSuccess().Stdout);
        (await OtherStoreAsync("pull", "-q", "--platform", "linux/arm/v7", list)).EnsureSuccess();
        Assert.Equal($"{armV7} arm v7\n", (await OtherStoreAsync("inspect", "--format", "{{.Id}} {{.Architecture}} {{.Variant}}", list)).EnsureSuccess().Stdout);
    }

    [Fact]
    public async Task Manifest_push_to_another_reference_and_a_plain_push_of_the_index_send_the_same_index()
    {
        var list = $"{registry.Host}/manifest/local:v1";
        await CreateListAsync(list);
        var other = $"{registry.Host}/manifest/elsewhere:v2";

        var push = (await StrataAsync("manifest", "push", list, other)).EnsureSuccess();
        (await StrataAsync("push", "-q", list)).EnsureSuccess();

        var (served, _) = await Skopeo.RawAsync(other);
        Assert.Equal($"{served}\n", push.Stdout);
        Assert.Equal(served, (await Skopeo.RawAsync(list)).Digest);
    }

    [Fact]
    public async Task Manifest_push_of_a_name_that_is_no_list_fails_in_one_line()
    {
        var missing = $"{registry.Host}/manifest/none:v1";
        var r = await StrataAsync("manifest", "push", missing);
        Assert.Equal(1, r.ExitCode);
        Assert.Equal($"Error: No such manifest list: {missing}\n", r.Stderr);
    }
}
