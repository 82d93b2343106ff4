using Strata.Core.Unix;

namespace Strata.Build.Tests.Cache.Cli;

/// <summary>
/// The seed's cache walkthroughs, run through the real CLI on a busybox base: which steps are
/// CACHED and, for every miss, the exact reason strata prints.
/// </summary>
public sealed class CacheWalkthroughTests : IDisposable
{
    private readonly CacheCli _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task<BuildOutput> FirstBuildAsync(string dockerfile, params string[] arguments)
    {
        await _cli.ImportBusyboxAsync("bb:1");
        _cli.Write("Dockerfile", dockerfile);
        return await _cli.BuildAsync(arguments);
    }

    [Fact]
    public async Task A_second_build_has_every_step_cached_runs_nothing_and_gives_the_same_image()
    {
        var first = await FirstBuildAsync("FROM bb:1\nENV A=1\nRUN echo RAN-ONE > /one\nCOPY . /app/\nRUN echo RAN-TWO\n");
        var second = await _cli.BuildAsync();

        Assert.Equal([
            "[2/4] RUN echo RAN-ONE > /one: MISS no previous build",
            "[3/4] COPY . /app/: MISS no previous build",
            "[4/4] RUN echo RAN-TWO: MISS no previous build"], first.Steps);
        // Output lines of a running step look like "#5 0.012 RAN-TWO".
        Assert.Matches(@"(?m)^#\d+ \d+\.\d{3} RAN-TWO$", first.Stderr);
        Assert.All(second.Steps, s => Assert.EndsWith(": CACHED", s, StringComparison.Ordinal));
        Assert.Equal(3, second.Steps.Count);
        Assert.DoesNotMatch(@"(?m)^#\d+ \d+\.\d{3} ", second.Stderr);
        Assert.DoesNotContain(" DONE ", second.Stderr, StringComparison.Ordinal);
        Assert.Equal(first.ImageId, second.ImageId);
    }

    [Fact]
    public async Task Changing_step_2_of_4_reruns_steps_2_to_4_and_keeps_step_1()
    {
        await FirstBuildAsync("FROM bb:1\nRUN echo one > /1\nRUN echo two > /2\nRUN echo three > /3\nRUN echo four > /4\n");
        _cli.Write("Dockerfile", "FROM bb:1\nRUN echo one > /1\nRUN echo TWO > /2\nRUN echo three > /3\nRUN echo four > /4\n");

        var changed = await _cli.BuildAsync();

        Assert.Equal([
            "[2/5] RUN echo one > /1: CACHED",
            "[3/5] RUN echo TWO > /2: MISS instruction changed (was: RUN echo two > /2)",
            "[4/5] RUN echo three > /3: MISS parent step [3/5] rebuilt",
            "[5/5] RUN echo four > /4: MISS parent step [3/5] rebuilt"], changed.Steps);
    }

    [Fact]
    public async Task In_the_bad_order_a_source_change_reruns_the_install()
    {
        _cli.Write("package.json", "{}");
        _cli.Write("src/app.js", "v1");
        await FirstBuildAsync("FROM bb:1\nCOPY . /app/\nRUN cat /app/package.json > /installed\n");
        _cli.Write("src/app.js", "v2");

        var rebuilt = await _cli.BuildAsync();

        Assert.Equal([
            "[2/3] COPY . /app/: MISS file changed: src/app.js",
            "[3/3] RUN cat /app/package.json > /installed: MISS parent step [2/3] rebuilt"], rebuilt.Steps);
    }

    [Fact]
    public async Task In_the_good_order_a_source_change_keeps_the_install_cached()
    {
        _cli.Write("package.json", "{}");
        _cli.Write("src/app.js", "v1");
        await FirstBuildAsync("FROM bb:1\nCOPY package.json /app/\nRUN cat /app/package.json > /installed\nCOPY . /app/\n");
        _cli.Write("src/app.js", "v2");

        var rebuilt = await _cli.BuildAsync();

        Assert.Equal([
            "[2/4] COPY package.json /app/: CACHED",
            "[3/4] RUN cat /app/package.json > /installed: CACHED",
            "[4/4] COPY . /app/: MISS file changed: src/app.js"], rebuilt.Steps);
    }

    [Fact]
    public async Task Touch_keeps_the_cache_and_chmod_plus_x_misses_with_mode_changed()
    {
        _cli.Write("run.sh", "echo hi\n");
        var first = await FirstBuildAsync("FROM bb:1\nCOPY run.sh /run.sh\nRUN echo ok\n");
        File.SetLastWriteTimeUtc(Path.Combine(_cli.Context, "run.sh"), DateTime.UtcNow.AddMinutes(5));

        var touched = await _cli.BuildAsync();
        Libc.Chmod(Path.Combine(_cli.Context, "run.sh"), 0x1ED);
        var chmodded = await _cli.BuildAsync();

        Assert.Equal(["[2/3] COPY run.sh /run.sh: CACHED", "[3/3] RUN echo ok: CACHED"], touched.Steps);
        Assert.Equal(first.ImageId, touched.ImageId);
        Assert.Equal([
            "[2/3] COPY run.sh /run.sh: MISS mode changed: run.sh",
            "[3/3] RUN echo ok: MISS parent step [2/3] rebuilt"], chmodded.Steps);
    }

    [Fact]
    public async Task A_date_step_is_cached_like_any_other_while_its_inputs_are_unchanged()
    {
        var first = await FirstBuildAsync("FROM bb:1\nRUN date > /timestamp.txt\n");
        var second = await _cli.BuildAsync();

        Assert.Equal(["[2/2] RUN date > /timestamp.txt: CACHED"], second.Steps);
        Assert.Equal(first.ImageId, second.ImageId);
    }

    [Fact]
    public async Task A_changed_cachebust_arg_reruns_the_step_that_sees_it_and_keeps_earlier_steps()
    {
        await FirstBuildAsync("FROM bb:1\nRUN echo setup > /setup\nARG CACHEBUST\nRUN date > /timestamp.txt\n", "--build-arg", "CACHEBUST=a");

        var busted = await _cli.BuildAsync("--build-arg", "CACHEBUST=b");

        Assert.Equal([
            "[2/3] RUN echo setup > /setup: CACHED",
            "[3/3] RUN date > /timestamp.txt: MISS build arg CACHEBUST changed: a -> b"], busted.Steps);
    }

    [Fact]
    public async Task Added_and_removed_files_are_named_as_such()
    {
        _cli.Write("src/app.js", "app");
        _cli.Write("x", "x");
        await FirstBuildAsync("FROM bb:1\nCOPY . /app/\n");
        _cli.Write("src/a.js", "a");
        _cli.Write("src/lib/b.js", "b");
        _cli.Write("src/lib/c.js", "c");

        var added = await _cli.BuildAsync();
        File.Delete(Path.Combine(_cli.Context, "x"));
        var removed = await _cli.BuildAsync();

        Assert.Equal(["[2/2] COPY . /app/: MISS 3 files added under src/"], added.Steps);
        Assert.Equal(["[2/2] COPY . /app/: MISS files removed: x"], removed.Steps);
    }

    [Fact]
    public async Task A_base_image_with_a_new_digest_misses_the_first_step()
    {
        await FirstBuildAsync("FROM bb:1\nRUN echo one > /1\nRUN echo two > /2\n");
        await _cli.ImportBusyboxAsync("bb:1", extraFile: "release");

        var rebuilt = await _cli.BuildAsync();

        Assert.Equal([
            "[2/3] RUN echo one > /1: MISS base image bb:1 changed digest",
            "[3/3] RUN echo two > /2: MISS parent step [2/3] rebuilt"], rebuilt.Steps);
    }

    [Fact]
    public async Task No_cache_runs_every_step_and_says_so()
    {
        await FirstBuildAsync("FROM bb:1\nENV A=1\nRUN echo one > /1\n");

        var again = await _cli.BuildAsync("--no-cache");

        Assert.Equal(["[2/2] RUN echo one > /1: MISS --no-cache"], again.Steps);
    }

    [Fact]
    public async Task A_changed_env_reruns_the_run_steps_after_it()
    {
        await FirstBuildAsync("FROM bb:1\nRUN echo one > /1\nENV MODE=dev\nRUN echo $MODE > /mode\n");
        _cli.Write("Dockerfile", "FROM bb:1\nRUN echo one > /1\nENV MODE=prod\nRUN echo $MODE > /mode\n");

        var rebuilt = await _cli.BuildAsync();

        Assert.Equal([
            "[2/3] RUN echo one > /1: CACHED",
            "[3/3] RUN echo $MODE > /mode: MISS ENV MODE=prod: instruction changed (was: ENV MODE=dev)"], rebuilt.Steps);
    }

    [Fact]
    public async Task A_stage_that_rebuilds_to_the_same_artefact_keeps_copy_from_and_later_steps_cached()
    {
        const string dockerfile = """
            FROM bb:1 AS build
            RUN echo artefact > /out
            ARG NOISE
            RUN echo $NOISE > /noise
            FROM bb:1
            COPY --from=build /out /out
            RUN cat /out > /used
            """;
        var first = await FirstBuildAsync(dockerfile, "--build-arg", "NOISE=1");

        var second = await _cli.BuildAsync("--build-arg", "NOISE=2");

        Assert.Contains("[build 3/3] RUN echo $NOISE > /noise: MISS build arg NOISE changed: 1 -> 2", second.Steps);
        Assert.Contains("[stage-1 2/3] COPY --from=build /out /out: CACHED", second.Steps);
        Assert.Contains("[stage-1 3/3] RUN cat /out > /used: CACHED", second.Steps);
        Assert.Equal(first.ImageId, second.ImageId);
    }

    [Fact]
    public async Task Explain_prints_the_full_input_diff_of_a_miss()
    {
        _cli.Write("a.txt", "1");
        await FirstBuildAsync("FROM bb:1\nCOPY . /app/\n");
        _cli.Write("a.txt", "22");
        _cli.Write("b.txt", "b");

        var explained = await _cli.BuildAsync("--explain");

        Assert.Equal(["[2/2] COPY . /app/: MISS file changed: a.txt"], explained.Steps);
        Assert.Matches(@"#\d+   added: b\.txt \(file, sha256:[0-9a-f]{12}\)", explained.Stderr);
        Assert.Matches(@"#\d+   changed: a\.txt \(file, 1 bytes, sha256:[0-9a-f]{12} -> file, 2 bytes, sha256:[0-9a-f]{12}\)", explained.Stderr);
    }

    [Fact]
    public async Task A_record_whose_layer_was_removed_misses_and_says_so()
    {
        await _cli.ImportBusyboxAsync("bb:1");
        var blobs = Path.Combine(_cli.Store, "blobs", "sha256");
        var before = Directory.GetFiles(blobs).ToHashSet();
        _cli.Write("Dockerfile", "FROM bb:1\nRUN echo one > /1\n");
        await _cli.BuildAsync("-t", "gone:1");
        await _cli.RunOkAsync("rmi", "gone:1");
        // rmi leaves the layer to the build cache (builder prune frees it): still a hit.
        Assert.Equal(["[2/2] RUN echo one > /1: CACHED"], (await _cli.BuildAsync("-t", "gone:1")).Steps);
        await _cli.RunOkAsync("rmi", "gone:1");
        // The layer blob is lost behind the store's back.
        foreach (var blob in Directory.GetFiles(blobs).Where(b => !before.Contains(b))) File.Delete(blob);
        // A record whose blob is gone is a miss, not a store fault.
        await _cli.RunOkAsync("system", "check");

        var rebuilt = await _cli.BuildAsync();

        var step = Assert.Single(rebuilt.Steps);
        Assert.Matches(@"^\[2/2\] RUN echo one > /1: MISS cached layer sha256:[0-9a-f]{64} is no longer in the store$", step);
    }

    [Fact]
    public async Task A_step_added_at_the_end_is_a_new_step()
    {
        await FirstBuildAsync("FROM bb:1\nRUN echo one > /1\n");
        _cli.Write("Dockerfile", "FROM bb:1\nRUN echo one > /1\nRUN echo two > /2\n");

        var rebuilt = await _cli.BuildAsync();

        Assert.Equal(["[2/3] RUN echo one > /1: CACHED", "[3/3] RUN echo two > /2: MISS new step"], rebuilt.Steps);
    }

    [Fact]
    public async Task A_change_to_a_dockerignored_file_keeps_the_cache()
    {
        _cli.Write(".dockerignore", "*.log\n");
        _cli.Write("app.js", "app");
        _cli.Write("debug.log", "one");
        await FirstBuildAsync("FROM bb:1\nCOPY . /app/\n");
        _cli.Write("debug.log", "two");
        _cli.Write("more.log", "three");

        var rebuilt = await _cli.BuildAsync();

        Assert.Equal(["[2/2] COPY . /app/: CACHED"], rebuilt.Steps);
    }
}
