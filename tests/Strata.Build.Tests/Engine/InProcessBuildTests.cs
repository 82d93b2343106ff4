using Strata.Build.Cache;
using Strata.Build.Engine;
using Strata.Rootfs;
using Strata.Images;
using Strata.Snapshots;

namespace Strata.Build.Tests.Engine;

/// <summary>
/// The build engine in process: a real store and the copying snapshotter, RUN through
/// <see cref="FakeStepRunner"/> (no runtime), so the step loop, the executors and the cache
/// decisions are seen end to end.
/// </summary>
public sealed class InProcessBuildTests : IAsyncLifetime
{
    private readonly TempDir _tempDir = new("strata-engine-");

    private readonly FakeStepRunner _runner = new();
    private ImageStore _store = null!;
    private BuildEngine _engine = null!;

    private string Context => Path.Combine(_tempDir.Path, "context");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Context);
        _store = await ImageStore.OpenAsync(Path.Combine(_tempDir.Path, "store"), ImageStoreOptions.Default, CancellationToken.None);
        var workspace = new SnapshotWorkspace(_store, new CopySnapshotter(Path.Combine(_tempDir.Path, "store", "snapshotter")));
        _engine = new BuildEngine(_store, workspace, _runner);
    }

    public Task DisposeAsync()
    {
        _tempDir.Dispose();
        return Task.CompletedTask;
    }

    private const string TwoStages = """
        FROM scratch AS deps
        COPY a.txt /a.txt
        RUN make deps
        FROM scratch
        COPY --from=deps /a.txt /b.txt
        RUN make app
        """;

    [Fact]
    public async Task A_two_stage_build_runs_its_RUNs_in_the_step_runner_and_a_second_build_is_all_cached_with_the_same_image_id()
    {
        await File.WriteAllTextAsync(Path.Combine(Context, "a.txt"), "one\n");

        var (first, firstProgress) = await BuildAsync(TwoStages);
        var (second, secondProgress) = await BuildAsync(TwoStages);

        Assert.Equal(["make deps", "make app"], _runner.Commands);
        Assert.Equal(4, first.StepsRun);
        Assert.Equal(4, first.LayersCreated);
        Assert.Equal(2, first.Image.Layers.Count);
        Assert.Equal(
            ["[deps 2/3] COPY a.txt /a.txt: no previous build", "[deps 3/3] RUN make deps: no previous build",
             "[stage-1 2/3] COPY --from=deps /a.txt /b.txt: no previous build", "[stage-1 3/3] RUN make app: no previous build"],
            firstProgress.Misses);
        Assert.Equal(0, second.StepsRun);
        Assert.Empty(secondProgress.Misses);
        Assert.Empty(secondProgress.Ran);
        Assert.Equal(6, secondProgress.Cached.Count);
        Assert.Equal(first.Image.Id, second.Image.Id);
    }

    [Fact]
    public async Task A_changed_file_misses_naming_it_and_the_steps_after_it_name_the_rebuilt_step()
    {
        await File.WriteAllTextAsync(Path.Combine(Context, "a.txt"), "one\n");
        var (first, _) = await BuildAsync(TwoStages);
        await File.WriteAllTextAsync(Path.Combine(Context, "a.txt"), "two\n");

        var (second, progress) = await BuildAsync(TwoStages);

        Assert.Equal(
            ["[deps 2/3] COPY a.txt /a.txt: file changed: a.txt", "[deps 3/3] RUN make deps: parent step [deps 2/3] rebuilt",
             "[stage-1 2/3] COPY --from=deps /a.txt /b.txt: file changed: a.txt", "[stage-1 3/3] RUN make app: parent step [stage-1 2/3] rebuilt"],
            progress.Misses);
        Assert.Equal(["make deps", "make app", "make deps", "make app"], _runner.Commands);
        Assert.NotEqual(first.Image.Id, second.Image.Id);
    }

    [Fact]
    public async Task A_link_copy_on_a_rebuilt_base_is_rebased_with_its_layer_reused()
    {
        const string dockerfile = """
            FROM scratch AS base
            COPY b.txt /b.txt
            FROM base
            COPY --link a.txt /a.txt
            """;
        await File.WriteAllTextAsync(Path.Combine(Context, "a.txt"), "linked\n");
        await File.WriteAllTextAsync(Path.Combine(Context, "b.txt"), "one\n");
        var (first, _) = await BuildAsync(dockerfile);
        await File.WriteAllTextAsync(Path.Combine(Context, "b.txt"), "two\n");

        var (second, progress) = await BuildAsync(dockerfile);

        Assert.Equal(["[base 2/2] COPY b.txt /b.txt: file changed: b.txt"], progress.Misses);
        Assert.Equal(["[stage-1 2/2] COPY --link a.txt /a.txt: base stage base rebuilt"], progress.Rebased);
        Assert.Equal(1, second.StepsRun);
        Assert.NotEqual(first.Image.Layers[0].Digest, second.Image.Layers[0].Digest);
        Assert.Equal(first.Image.Layers[1].Digest, second.Image.Layers[1].Digest);
        Assert.Empty(_runner.Commands);
    }

    [Fact]
    public async Task No_cache_runs_every_step_again_naming_the_flag()
    {
        await File.WriteAllTextAsync(Path.Combine(Context, "a.txt"), "one\n");
        await BuildAsync(TwoStages);

        var (_, progress) = await BuildAsync(TwoStages, BuildCacheOptions.Default with { NoCache = true });

        Assert.Equal(
            ["[deps 2/3] COPY a.txt /a.txt: --no-cache", "[deps 3/3] RUN make deps: --no-cache",
             "[stage-1 2/3] COPY --from=deps /a.txt /b.txt: --no-cache", "[stage-1 3/3] RUN make app: --no-cache"],
            progress.Misses);
        Assert.Equal(["make deps", "make app", "make deps", "make app"], _runner.Commands);
    }

    private async Task<(BuildResult Result, RecordingProgress Progress)> BuildAsync(string dockerfile, BuildCacheOptions? cache = null)
    {
        var progress = new RecordingProgress();
        var request = new BuildRequest
        {
            ContextDirectory = Context,
            DockerfileText = dockerfile,
            Cache = cache ?? BuildCacheOptions.Default,
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var result = await _engine.BuildAsync(request, progress, timeout.Token);
        return (result, progress);
    }
}
