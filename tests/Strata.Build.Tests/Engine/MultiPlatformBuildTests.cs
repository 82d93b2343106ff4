using Strata.Build.Engine;
using Strata.Core;
using Strata.Dockerfile.Instructions;
using Strata.Images;
using Strata.Rootfs;
using Strata.Snapshots;

namespace Strata.Build.Tests.Engine;

/// <summary>
/// <c>--platform a,b</c> in process (a real store, the copying snapshotter, RUN through
/// <see cref="FakeStepRunner"/>), with a binfmt_misc directory holding an F-flagged handler for
/// the foreign architecture or none: one index of one image per platform under the tags, a
/// native stage's RUN run once for both, TARGET* per platform, labels and misses naming the
/// platform, the same index again from the cache, and the preflight error before any step.
/// </summary>
public sealed class MultiPlatformBuildTests : IAsyncLifetime
{
    private static readonly Platform Native = new("linux", Platform.Host.Architecture);
    private static readonly Platform Foreign = Platform.Parse(Platform.Host.Architecture == "arm64" ? "linux/amd64" : "linux/arm64");
    private static readonly ImageReference Tag = ImageReference.Parse("multi:1");
    private readonly TempDir _tempDir = new("strata-multi-");

    private readonly FakeStepRunner _runner = new();
    private ImageStore _store = null!;
    private BuildEngine _engine = null!;

    private string Context => Path.Combine(_tempDir.Path, "context");

    private string Binfmt => Path.Combine(_tempDir.Path, "binfmt_misc");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Context);
        Directory.CreateDirectory(Binfmt);
        await File.WriteAllTextAsync(Path.Combine(Binfmt, "status"), "enabled\n");
        _store = await ImageStore.OpenAsync(Path.Combine(_tempDir.Path, "store"), ImageStoreOptions.Default, CancellationToken.None);
        var workspace = new SnapshotWorkspace(_store, new CopySnapshotter(Path.Combine(_tempDir.Path, "store", "snapshotter")));
        _engine = new BuildEngine(_store, workspace, _runner);
    }

    public Task DisposeAsync()
    {
        _tempDir.Dispose();
        return Task.CompletedTask;
    }

    private const string CrossCompile = """
        FROM --platform=$BUILDPLATFORM scratch AS tool
        RUN make tool
        FROM scratch
        ARG TARGETARCH
        LABEL arch=$TARGETARCH
        COPY --from=tool /make-tool.out /tool-$TARGETARCH
        RUN make app
        """;

    [Fact]
    public async Task Each_platform_gets_its_image_in_one_index_and_the_native_stage_runs_once()
    {
        await RegisterForeignHandlerAsync("POF");

        var (result, progress) = await BuildAsync(CrossCompile);

        // The native stage's RUN ran for one platform; the other found it in the cache.
        Assert.Equal(1, _runner.Commands.Count(c => c == "make tool"));
        Assert.Equal(2, _runner.Commands.Count(c => c == "make app"));
        var index = Assert.IsType<StoredIndex>(result.Index);
        Assert.Equal([Native.ToString(), Foreign.ToString()], index.Children.Select(c => c.Platform!.ToString()));
        Assert.Equal([Tag], index.Tags);
        Assert.Equal(index.Digest, (await _store.Indexes.TryFindAsync("multi:1", CancellationToken.None))!.Digest);
        Assert.Equal(2, result.Images.Count);
        Assert.Equal(result.Images.Select(i => i.Record.ManifestDigest), index.Children.Select(c => c.Manifest.Digest));
        Assert.Equal(result.Images.Select(i => i.Id), index.Children.Select(c => c.ImageId!.Value));
        foreach (var (image, platform) in result.Images.Zip([Native, Foreign]))
        {
            Assert.Equal(platform.Architecture, image.Config.Architecture);
            Assert.Equal("linux", image.Config.Os);
            Assert.Equal(platform.Architecture, image.Config.Config!.Labels!["arch"]);
            Assert.Empty(image.Tags);
        }

        var native = $"{Native} tool 2/2] RUN make tool";
        var crossed = $"{Native}->{Foreign.Architecture} tool 2/2] RUN make tool";
        Assert.Single(progress.Ran, n => n.EndsWith(native, StringComparison.Ordinal) || n.EndsWith(crossed, StringComparison.Ordinal));
        Assert.Single(progress.Cached, n => n.EndsWith(native, StringComparison.Ordinal) || n.EndsWith(crossed, StringComparison.Ordinal));
        Assert.Contains($"[{Foreign} stage-1 3/3] RUN make app", progress.Ran);
        Assert.Contains($"[{Native} stage-1 3/3] RUN make app", progress.Ran);
        Assert.Contains($"[{Foreign} stage-1 3/3] RUN make app: {Foreign}: no previous build", progress.Misses);
        Assert.Contains($"[{Native} stage-1 3/3] RUN make app: {Native}: no previous build", progress.Misses);
    }

    [Fact]
    public async Task Second_build_is_all_cached_and_gives_the_same_index()
    {
        await RegisterForeignHandlerAsync("POF");
        var (first, _) = await BuildAsync(CrossCompile);
        int runs = _runner.Commands.Count;

        var (second, progress) = await BuildAsync(CrossCompile);

        Assert.Equal(runs, _runner.Commands.Count);
        Assert.Empty(progress.Misses);
        Assert.Equal(0, second.StepsRun);
        Assert.Equal(first.Index!.Digest, second.Index!.Digest);
    }

    [Fact]
    public async Task A_foreign_RUN_without_a_handler_fails_before_any_step()
    {
        var progress = new RecordingProgress();

        var error = await Assert.ThrowsAsync<BuildStepException>(() => BuildAsync(CrossCompile, progress));

        Assert.Equal($"Dockerfile:7: RUN make app: cannot run {Foreign} binaries on this {Platform.Host} host: no binfmt_misc handler for {Foreign} ({ElfMachines.QemuName(Foreign.Architecture)}) in {Binfmt}: "
            + $"install qemu-user-static (apt-get install qemu-user-static) or enable its handler (update-binfmts --enable {ElfMachines.QemuName(Foreign.Architecture)})", error.Message);
        Assert.Empty(_runner.Commands);
        Assert.Empty(progress.Ran);
        Assert.Empty(progress.Cached);
        Assert.Null(await _store.Indexes.TryFindAsync("multi:1", CancellationToken.None));
    }

    [Fact]
    public async Task A_handler_without_F_is_refused_before_any_step()
    {
        await RegisterForeignHandlerAsync("P");

        var error = await Assert.ThrowsAsync<BuildStepException>(() => BuildAsync(CrossCompile));

        Assert.Contains("lacks the F flag, so it is not usable inside the container", error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Dockerfile:7: RUN make app: cannot run {Foreign} binaries", error.Message, StringComparison.Ordinal);
        Assert.Empty(_runner.Commands);
    }

    [Fact]
    public async Task Only_stages_with_a_RUN_need_a_handler()
    {
        // No handler at all: the foreign platform only copies, the native stage runs.
        var (result, _) = await BuildAsync(CrossCompile[..CrossCompile.LastIndexOf("RUN make app", StringComparison.Ordinal)]);

        Assert.Equal(["make tool"], _runner.Commands);
        Assert.Equal(2, result.Index!.Children.Count);
    }

    [Fact]
    public async Task A_front_end_warning_is_reported_once_not_once_per_platform()
    {
        await File.WriteAllTextAsync(Path.Combine(Context, "a.txt"), "a\n");
        var progress = new WarningsProgress();
        var request = new BuildRequest
        {
            ContextDirectory = Context,
            DockerfileText = "FROM scratch\nMAINTAINER someone\nCOPY a.txt /a.txt\n",
            Platforms = [Native, Foreign],
            BinfmtMiscRoot = Binfmt,
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        await _engine.BuildAsync(request, progress, timeout.Token);

        Assert.Equal(["MaintainerDeprecated:2"], progress.Warnings);
    }

    private sealed class WarningsProgress : Progress.IBuildProgress
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _warnings = new();

        public IReadOnlyList<string> Warnings => [.. _warnings];

        public void StepStarted(int id, string name) { }

        public void StepOutput(int id, string line) { }

        public void StepCompleted(int id, TimeSpan duration, bool cached) { }

        public void StepFailed(int id, string error) { }

        public void Warning(Progress.BuildWarning warning) => _warnings.Enqueue($"{warning.Rule}:{warning.Line}");
    }

    private async Task RegisterForeignHandlerAsync(string flags)
    {
        var header = ElfMachines.Header(Foreign.Architecture)!;
        var mask = new byte[header.Length];
        Array.Fill(mask, (byte)0xff);
        await File.WriteAllTextAsync(Path.Combine(Binfmt, ElfMachines.QemuName(Foreign.Architecture)),
            $"enabled\ninterpreter /usr/bin/{ElfMachines.QemuName(Foreign.Architecture)}-static\nflags: {flags}\noffset 0\nmagic {Convert.ToHexStringLower(header)}\nmask {Convert.ToHexStringLower(mask)}\n");
    }

    private async Task<(BuildResult Result, RecordingProgress Progress)> BuildAsync(string dockerfile, RecordingProgress? progress = null)
    {
        progress ??= new RecordingProgress();
        var request = new BuildRequest
        {
            ContextDirectory = Context,
            DockerfileText = dockerfile,
            Tags = [Tag],
            Platforms = [Native, Foreign],
            BinfmtMiscRoot = Binfmt,
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var result = await _engine.BuildAsync(request, progress, timeout.Token);
        return (result, progress);
    }
}
