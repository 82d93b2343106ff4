using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Strata.Archive;
using Strata.Archive.Tests.Fixtures;
using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Rootless;

/// <summary>
/// Issue 15: the user reaches nothing it could not reach without strata. The hostile inputs
/// that root is tested with, fed to a rootless strata: the escaping layers of
/// <c>EscapingArchiveTests</c> (the same table) loaded as a docker archive, and a build context
/// whose symlinks lead out of it. Each must be refused or stay inside, with a sentinel beside
/// the store untouched and no file of the user's written outside its store and runtime directory.
/// In the dockerd collection with <see cref="RootlessTests"/>, whose scan for the user's new
/// files must not see these tests' files.
/// </summary>
[Collection(DockerPeer.Name)]
public sealed class RootlessAdversarialTests : IClassFixture<RootlessHost>, IDisposable
{
    private readonly RootlessHost _host;
    private readonly TempDir _scratch = new();

    public RootlessAdversarialTests(RootlessHost host) => _host = host;

    public void Dispose() => _scratch.Dispose();

    /// <summary>The table's cases but the gzip bomb, which only a size cap the library test sets refuses.</summary>
    public static TheoryData<string> EscapingCases => new(EscapingLayers.Cases.Keys.Where(k => k != "gzip bomb"));

    [Theory]
    [MemberData(nameof(EscapingCases))]
    public async Task An_escaping_layer_loaded_rootless_is_refused_naming_layer_and_entry_and_nothing_outside_the_store_changes(string caseName)
    {
        var strata = await RootlessStrata.CreateAsync(_host, RootlessHost.RangedUser, _scratch);
        var (layers, entry) = EscapingLayers.Cases[caseName];
        string sentinel = await SentinelAsync(strata);
        string archive = Path.Combine(strata.Home, "hostile.tar");
        var digests = await DockerArchiveAsync(archive, "hostile:1", layers.Select(l => l()).ToList());
        await strata.ChownAsync(archive);
        await strata.OkAsync("images");   // the store and its parent directory exist before the marker
        var before = TreeManifest.Capture(sentinel, includeMtime: true);
        string marker = Marker();

        var load = await strata.RunAsync("load", "-i", archive);
        var refused = load.ExitCode == 0 ? await strata.RunAsync("run", "--rm", "hostile:1", "/bin/true") : load;

        Assert.NotEqual(0, refused.ExitCode);
        string line = Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"Error: layer {digests[^1]}: entry \"{entry}\": ", line, StringComparison.Ordinal);
        Assert.Equal(before, TreeManifest.Capture(sentinel, includeMtime: true));
        string outside = await NewFilesOutsideTheStoreAsync(strata, marker);
        Assert.True(outside.Length == 0, "written outside the store: " + outside);
    }

    [Fact]
    public async Task Context_symlinks_leading_out_of_the_context_copy_what_is_inside_it_rootless_as_root_does()
    {
        var epoch = DateTimeOffset.FromUnixTimeSeconds(1700000000);
        var strata = await RootlessStrata.CreateAsync(_host, RootlessHost.RangedUser, _scratch, epoch);
        string sentinel = await SentinelAsync(strata);
        string tar = await BaseRootfs.TarAsync(BaseRootfs.Create(_scratch.NewDir("rootfs")), _scratch.PathOf("busybox.tar"));
        File.SetUnixFileMode(tar, (UnixFileMode)0x1A4);
        string context = Path.Combine(strata.Home, "context");
        Directory.CreateDirectory(Path.Combine(context, "inside"));
        await File.WriteAllTextAsync(Path.Combine(context, "inside", "file"), "inside\n");
        File.CreateSymbolicLink(Path.Combine(context, "to-sentinel"), sentinel);
        File.CreateSymbolicLink(Path.Combine(context, "up"), "../../..");
        File.CreateSymbolicLink(Path.Combine(context, "root"), "/");
        File.CreateSymbolicLink(Path.Combine(context, "inside", "back"), "../inside/file");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), """
            FROM busybox:demo
            COPY inside/back /followed
            COPY up/ /up/
            COPY root/ /root-link/
            COPY . /ctx/
            """);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile.bind"), "FROM busybox:demo\nRUN --mount=type=bind,source=../../../../etc/passwd,target=/p cat /p\n");
        await strata.ChownAsync(context);
        var before = TreeManifest.Capture(sentinel, includeMtime: true);
        var root = new StrataCli(Path.Combine(_scratch.Path, "root-store")) { SourceDateEpoch = epoch };
        await root.OkAsync("import", tar, "busybox:demo");
        await strata.OkAsync("import", tar, "busybox:demo");
        string marker = Marker();

        string rootBuild = await root.OkAsync("build", "-q", "-t", "links:1", context);
        string rootlessBuild = await strata.OkAsync("build", "-q", "-t", "links:1", context);
        var escaping = await strata.RunAsync("build", "-q", "-t", "escaping:1", "-f", Path.Combine(context, "Dockerfile.bind"), context);

        Assert.Matches("^sha256:[0-9a-f]{64}\n$", rootBuild);
        Assert.Equal(rootBuild, rootlessBuild);
        Assert.Equal("inside\n---\nDockerfile\nDockerfile.bind\ninside\nroot\nto-sentinel\nup\n---\n" + sentinel + "\n",
            await strata.OkAsync("run", "--rm", "links:1", "sh", "-c", "cat /followed; echo ---; ls /up; echo ---; readlink /ctx/to-sentinel"));
        Assert.Equal(1, escaping.ExitCode);
        Assert.Equal("", escaping.Stdout);
        Assert.StartsWith("Error: Dockerfile.bind:2: RUN: mount source", Assert.Single(escaping.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Equal(before, TreeManifest.Capture(sentinel, includeMtime: true));
        string outside = await NewFilesOutsideTheStoreAsync(strata, marker);
        Assert.True(outside.Length == 0, "written outside the store: " + outside);
    }

    /// <summary>A directory of the user's beside its store, with a file and a subdirectory, writable by the user: what a layer must not reach.</summary>
    private static async Task<string> SentinelAsync(RootlessStrata strata)
    {
        string sentinel = Path.Combine(strata.Home, "data", "sentinel");
        Directory.CreateDirectory(Path.Combine(sentinel, "sub"));
        await File.WriteAllTextAsync(Path.Combine(sentinel, "file"), "precious");
        await File.WriteAllTextAsync(Path.Combine(sentinel, "sub", "f"), "also");
        await strata.ChownAsync(sentinel);
        return sentinel;
    }

    /// <summary>A file of root's whose mtime marks the end of the test's setup (find -newer compares to the nanosecond).</summary>
    private string Marker()
    {
        string marker = _scratch.PathOf("marker-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(marker, "");
        return marker;
    }

    /// <summary>
    /// Files of the user's modified after <paramref name="marker"/> anywhere a user may write but
    /// its store and runtime directory. Other test processes create and delete their files in
    /// /tmp while find walks it: those races are not findings.
    /// </summary>
    private static Task<string> NewFilesOutsideTheStoreAsync(RootlessStrata strata, string marker) =>
        Tools.FindAsync("/tmp", "/var/tmp", "/dev/shm", "/home/" + strata.User, "-ignore_readdir_race", "-xdev", "-user", strata.User,
            "-newer", marker, "-not", "-path", strata.StoreRoot + "*", "-not", "-path", strata.RuntimeDirectory + "*");

    /// <summary>A docker save archive of one image whose layers are <paramref name="layers"/> (uncompressed tars); returns their digests ("sha256:...").</summary>
    private static async Task<List<string>> DockerArchiveAsync(string path, string tag, IReadOnlyList<byte[]> layers)
    {
        var digests = layers.Select(l => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(l))).ToList();
        var config = new JsonObject
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new JsonObject(),
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray([.. digests.Select(d => (JsonNode)d)]) },
        };
        byte[] configBytes = System.Text.Encoding.UTF8.GetBytes(config.ToJsonString());
        string configName = Convert.ToHexStringLower(SHA256.HashData(configBytes)) + ".json";
        var manifest = new JsonArray(new JsonObject
        {
            ["Config"] = configName,
            ["RepoTags"] = new JsonArray(tag),
            ["Layers"] = new JsonArray([.. digests.Select(d => (JsonNode)(d["sha256:".Length..] + "/layer.tar"))]),
        });
        await using var file = File.Create(path);
        using var tar = new System.Formats.Tar.TarWriter(file, System.Formats.Tar.TarEntryFormat.Pax);
        void Add(string name, byte[] data) =>
            tar.WriteEntry(new System.Formats.Tar.PaxTarEntry(System.Formats.Tar.TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0x1A4, DataStream = new MemoryStream(data) });
        Add(configName, configBytes);
        for (int i = 0; i < layers.Count; i++) Add(digests[i]["sha256:".Length..] + "/layer.tar", layers[i]);
        Add("manifest.json", System.Text.Encoding.UTF8.GetBytes(manifest.ToJsonString()));
        return digests;
    }
}
