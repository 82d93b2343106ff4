using System.Text.Json;
using Strata.Build.Logs;
using Strata.Cli.Tests;

namespace Strata.Build.Tests.Logs;

public sealed class RecordingBuildProgressTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-buildlogs-");

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero));

    public void Dispose() => _tempDir.Dispose();

    [Fact]
    public void Every_line_of_a_3_MB_step_output_is_kept()
    {
        var store = new BuildLogStore(_tempDir.Path);
        string dir;
        using (var recorder = new RecordingBuildProgress(new CollectingBuildProgress(), store, _clock))
        {
            dir = recorder.Directory;
            recorder.StepStarted(1, "RUN big");
            for (int i = 0; i < 60_000; i++) recorder.StepOutput(1, $"line {i:D6} " + new string('x', 40));
            recorder.StepCompleted(1, TimeSpan.FromSeconds(2), cached: false);
            recorder.Finish(succeeded: true);
        }
        var log = BuildLogStore.StepLogPath(dir, 1);
        Assert.True(new FileInfo(log).Length > 3_000_000);
        var lines = File.ReadAllLines(log);
        Assert.Equal(60_000, lines.Length);
        Assert.StartsWith("line 000000 ", lines[0]);
        Assert.StartsWith("line 059999 ", lines[^1]);
    }

    [Fact]
    public async Task Build_json_lists_each_step_with_state_duration_cache_and_miss_reason()
    {
        var store = new BuildLogStore(_tempDir.Path);
        var inner = new CollectingBuildProgress();
        string id;
        using (var recorder = new RecordingBuildProgress(inner, store, _clock))
        {
            id = recorder.Id;
            recorder.StepStarted(1, "[0] FROM bb:1");
            recorder.StepCompleted(1, TimeSpan.Zero, cached: true);
            recorder.StepStarted(2, "[0 1/2] RUN echo hi");
            recorder.StepCacheMiss(2, "no previous build");
            recorder.StepOutput(2, "hi");
            recorder.StepCompleted(2, TimeSpan.FromSeconds(1.5), cached: false);
            recorder.StepStarted(3, "[0 2/2] RUN false");
            recorder.StepFailed(3, "Dockerfile:3: exit code 1");
            _clock.Advance(TimeSpan.FromSeconds(3));
            recorder.Finish(succeeded: false);
        }

        var record = await store.ReadAsync(id, CancellationToken.None);
        Assert.NotNull(record);
        Assert.Equal(id, record.Id);
        Assert.Equal("error", record.State);
        Assert.Equal(_clock.GetUtcNow(), record.Finished);
        Assert.Equal(
            [
                new BuildLogStep { Id = 1, Name = "[0] FROM bb:1", State = "cached", Cached = true, DurationSeconds = 0 },
                new BuildLogStep { Id = 2, Name = "[0 1/2] RUN echo hi", State = "done", DurationSeconds = 1.5, MissReason = "no previous build", OutputLines = 1 },
                new BuildLogStep { Id = 3, Name = "[0 2/2] RUN false", State = "error", Error = "Dockerfile:3: exit code 1" },
            ],
            record.Steps);
        Assert.Equal(["start 1 [0] FROM bb:1", "done 1 True", "start 2 [0 1/2] RUN echo hi", "miss 2 no previous build", "out 2 hi", "done 2 False", "start 3 [0 2/2] RUN false", "fail 3 Dockerfile:3: exit code 1"], inner.Events);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(store.BuildDirectory(id), "build.json")));
        var step2 = json.RootElement.GetProperty("steps")[1];
        Assert.Equal("done", step2.GetProperty("state").GetString());
        Assert.Equal(1.5, step2.GetProperty("durationSeconds").GetDouble());
        Assert.Equal("no previous build", step2.GetProperty("missReason").GetString());
        Assert.False(step2.GetProperty("cached").GetBoolean());
    }

    [Fact]
    public void A_build_that_is_still_running_is_already_listed_as_running()
    {
        var store = new BuildLogStore(_tempDir.Path);
        using var recorder = new RecordingBuildProgress(new CollectingBuildProgress(), store, _clock);
        recorder.StepStarted(1, "RUN sleep");
        Assert.Equal([recorder.Id], store.List());
        Assert.Contains("\"running\"", File.ReadAllText(Path.Combine(recorder.Directory, "build.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_step_without_output_leaves_no_log_file_and_is_recorded_at_the_end()
    {
        var store = new BuildLogStore(_tempDir.Path);
        string id;
        using (var recorder = new RecordingBuildProgress(new CollectingBuildProgress(), store, _clock))
        {
            id = recorder.Id;
            recorder.StepStarted(1, "[0 1/2] RUN echo cached");
            recorder.StepCompleted(1, TimeSpan.Zero, cached: true);
            recorder.StepStarted(2, "[0 2/2] RUN echo hi");
            recorder.StepOutput(2, "hi");
            recorder.StepCompleted(2, TimeSpan.FromSeconds(1), cached: false);
            recorder.Finish(succeeded: true);
        }

        // A no-op rebuild's cached steps make no files: only the steps that printed have a log.
        Assert.False(File.Exists(store.StepLog(id, 1)));
        Assert.Equal(["hi"], File.ReadAllLines(store.StepLog(id, 2)));
        var record = await store.ReadAsync(id, CancellationToken.None);
        Assert.Equal(
            [
                new BuildLogStep { Id = 1, Name = "[0 1/2] RUN echo cached", State = "cached", Cached = true, DurationSeconds = 0 },
                new BuildLogStep { Id = 2, Name = "[0 2/2] RUN echo hi", State = "done", DurationSeconds = 1, OutputLines = 1 },
            ],
            record!.Steps);
        Assert.Equal("done", record.State);
    }

    [Fact]
    public void Only_the_newest_50_builds_are_kept()
    {
        var store = new BuildLogStore(_tempDir.Path);
        var ids = new List<string>();
        for (int i = 0; i < 55; i++)
        {
            using var recorder = new RecordingBuildProgress(new CollectingBuildProgress(), store, _clock);
            recorder.Finish(succeeded: true);
            ids.Add(recorder.Id);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }
        var kept = store.List();
        Assert.Equal(50, kept.Count);
        Assert.Equal(ids.Skip(5).Reverse(), kept);
    }

    [Fact]
    public void Steps_reported_from_many_threads_each_get_their_own_complete_log()
    {
        var store = new BuildLogStore(_tempDir.Path);
        using var recorder = new RecordingBuildProgress(new CollectingBuildProgress(), store, _clock);
        Parallel.For(1, 9, id =>
        {
            recorder.StepStarted(id, $"RUN {id}");
            for (int i = 0; i < 1000; i++) recorder.StepOutput(id, $"{id}:{i}");
            recorder.StepCompleted(id, TimeSpan.FromSeconds(1), cached: false);
        });
        recorder.Finish(succeeded: true);
        for (int id = 1; id < 9; id++)
            Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"{id}:{i}"), File.ReadAllLines(BuildLogStore.StepLogPath(recorder.Directory, id)));
    }

    [Fact]
    public void Build_ids_sort_by_start_time()
    {
        var earlier = BuildLogStore.NewId(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var later = BuildLogStore.NewId(new DateTimeOffset(2026, 1, 2, 3, 4, 6, TimeSpan.Zero));
        Assert.StartsWith("20260102T030405000Z-", earlier);
        Assert.True(string.CompareOrdinal(earlier, later) < 0);
    }
}
