using System.Diagnostics;
using System.Text;
using Strata.Core;
using Strata.Execution.Tests.Fixtures;

namespace Strata.Execution.Tests;

/// <summary>Real runc, as root, on a busybox root filesystem in a temp directory.</summary>
public sealed class RuncExecutorTests : IDisposable
{
    private readonly TempDir _temp = new();
    private readonly string _rootfs;
    private readonly RuncExecutor _executor;

    public RuncExecutorTests()
    {
        _rootfs = ExecutionRootfs.Create(_temp.PathOf("rootfs"));
        _executor = RuncExecutor.Create(new RuncOptions { StateDirectory = _temp.PathOf("state"), BundleDirectory = _temp.PathOf("bundles") });
    }

    public void Dispose() => _temp.Dispose();

    private async Task<(ExecutionResult Result, string Out, string Err)> RunAsync(ContainerSpec spec, Stream? stdin = null, CancellationToken ct = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var stdout = new RecordingStream();
        using var stderr = new RecordingStream();
        var result = await _executor.RunAsync(spec, stdin, stdout, stderr, timeout.Token);
        return (result, stdout.Text, stderr.Text);
    }

    private string RuncList()
    {
        var psi = new ProcessStartInfo(_executor.RuntimePath) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--root", _executor.StateDirectory, "list", "-q" }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return output.Trim();
    }

    [Fact]
    public void Executor_reports_the_runtime_it_found()
    {
        Assert.Equal("runc", _executor.RuntimeName);
        Assert.True(File.Exists(_executor.RuntimePath));
        Assert.Matches(@"^1\.\d+\.\d+", _executor.Version);
    }

    [Fact]
    public async Task Echo_hello_prints_hello_and_exits_zero()
    {
        var (result, output, error) = await RunAsync(Specs.Run(_rootfs, "echo", "hello"));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("hello\n", output);
        Assert.Equal("", error);
        Assert.True(result.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task Exit_code_of_the_process_passes_through()
    {
        var (result, _, _) = await RunAsync(Specs.Shell(_rootfs, "echo oops >&2; exit 3"));
        Assert.Equal(3, result.ExitCode);
    }

    [Fact]
    public async Task Standard_error_goes_to_its_own_sink()
    {
        var (_, output, error) = await RunAsync(Specs.Shell(_rootfs, "echo out; echo err >&2"));
        Assert.Equal("out\n", output);
        Assert.Equal("err\n", error);
    }

    [Fact]
    public async Task Environment_and_working_directory_are_the_specs()
    {
        var spec = Specs.Shell(_rootfs, "env; pwd");
        spec = spec with { Process = spec.Process with { Env = [Specs.PathEnv, "GREETING=hi there"], Cwd = "/work/dir" } };
        var (result, output, _) = await RunAsync(spec);
        Assert.Equal(0, result.ExitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("GREETING=hi there", lines);
        Assert.Contains(Specs.PathEnv, lines);
        Assert.Equal("/work/dir", lines[^1]);
    }

    [Fact]
    public async Task Non_root_user_runs_with_its_ids_and_no_effective_capabilities()
    {
        var spec = Specs.Shell(_rootfs, "id -u; id -g; id -G; grep CapEff /proc/self/status");
        spec = spec with { Process = spec.Process with { User = new ProcessUser(1000, 1000, [1000, 20]) } };
        var (result, output, _) = await RunAsync(spec);
        Assert.Equal(0, result.ExitCode);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("1000", lines[0]);
        Assert.Equal("1000", lines[1]);
        Assert.Contains("20", lines[2].Split(' '));
        Assert.Equal("CapEff:\t0000000000000000", lines[3]);
    }

    [Fact]
    public async Task Root_gets_exactly_Dockers_default_capabilities()
    {
        var (_, output, _) = await RunAsync(Specs.Shell(_rootfs, "grep -E '^Cap(Eff|Bnd|Inh|Amb)' /proc/self/status"));
        var caps = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToDictionary(l => l.Split(':')[0], l => l.Split('\t')[1]);
        Assert.Equal("00000000a80425fb", caps["CapEff"]);
        Assert.Equal("00000000a80425fb", caps["CapBnd"]);
        Assert.Equal("0000000000000000", caps["CapInh"]);
        Assert.Equal("0000000000000000", caps["CapAmb"]);
    }

    [Fact]
    public async Task Network_none_has_only_loopback()
    {
        var (_, output, _) = await RunAsync(Specs.Run(_rootfs, "cat", "/proc/net/dev"));
        var interfaces = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).Select(l => l.Split(':')[0].Trim()).ToList();
        Assert.Equal(["lo"], interfaces);
    }

    [Fact]
    public async Task Network_host_sees_the_hosts_interfaces()
    {
        var host = File.ReadAllLines("/proc/net/dev").Skip(2).Select(l => l.Split(':')[0].Trim()).Order().ToList();
        var (_, output, _) = await RunAsync(Specs.Run(_rootfs, "cat", "/proc/net/dev") with { Network = NetworkMode.Host });
        var inside = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).Select(l => l.Split(':')[0].Trim()).Order().ToList();
        Assert.Equal(host, inside);
    }

    [Fact]
    public async Task Hostname_and_generated_etc_files_are_visible_inside()
    {
        var spec = Specs.Shell(_rootfs, "hostname; echo ---; cat /etc/hosts; echo ---; cat /etc/hostname") with { Hostname = "builder-7" };
        var (result, output, _) = await RunAsync(spec);
        Assert.Equal(0, result.ExitCode);
        var parts = output.Split("---\n");
        Assert.Equal("builder-7\n", parts[0]);
        Assert.Contains("127.0.0.1\tlocalhost builder-7", parts[1]);
        Assert.Contains("::1\tlocalhost", parts[1]);
        Assert.Equal("builder-7\n", parts[2]);
    }

    [Fact]
    public async Task Generated_etc_files_are_read_only_inside()
    {
        var (result, output, error) = await RunAsync(Specs.Shell(_rootfs, "echo evil >> /etc/hosts; echo evil > /etc/hostname; echo evil >> /etc/resolv.conf; cat /etc/hosts /etc/hostname /etc/resolv.conf | grep -c evil"));
        // Each write is refused by the read-only mount (not by a missing file or permissions), and nothing got in.
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("0\n", output);
        Assert.Equal(
            "/bin/sh: can't create /etc/hosts: Read-only file system\n/bin/sh: can't create /etc/hostname: Read-only file system\n/bin/sh: can't create /etc/resolv.conf: Read-only file system\n",
            error);
    }

    [Fact]
    public async Task A_run_that_writes_nothing_leaves_the_rootfs_exactly_as_it_was()
    {
        var before = TreeSnapshot.Take(_rootfs);
        var (result, _, _) = await RunAsync(Specs.Shell(_rootfs, "cat /etc/hosts /etc/resolv.conf > /dev/null; ls /proc /sys /dev > /dev/null"));
        Assert.Equal(0, result.ExitCode);
        var after = TreeSnapshot.Take(_rootfs);
        Assert.Equal(before, after);
        Assert.False(File.Exists(Path.Combine(_rootfs, "etc", "hosts")));
        Assert.False(File.Exists(Path.Combine(_rootfs, "etc", "resolv.conf")));
        Assert.False(File.Exists(Path.Combine(_rootfs, "etc", "hostname")));
        Assert.False(Directory.Exists(Path.Combine(_rootfs, "proc")));
    }

    [Fact]
    public async Task A_rootfs_without_etc_gets_no_etc_from_the_run()
    {
        Directory.Delete(Path.Combine(_rootfs, "etc"), recursive: true);
        var before = TreeSnapshot.Take(_rootfs);
        var (result, output, _) = await RunAsync(Specs.Run(_rootfs, "cat", "/etc/hostname"));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("strata-test\n", output);
        Assert.Equal(before, TreeSnapshot.Take(_rootfs));
    }

    [Fact]
    public async Task Existing_etc_hosts_in_the_rootfs_is_hidden_during_the_run_and_untouched_after()
    {
        File.WriteAllText(Path.Combine(_rootfs, "etc", "hosts"), "10.0.0.1 image-owned\n");
        var before = TreeSnapshot.Take(_rootfs);
        var (_, output, _) = await RunAsync(Specs.Run(_rootfs, "cat", "/etc/hosts"));
        Assert.DoesNotContain("image-owned", output);
        Assert.Equal(before, TreeSnapshot.Take(_rootfs));
        Assert.Equal("10.0.0.1 image-owned\n", File.ReadAllText(Path.Combine(_rootfs, "etc", "hosts")));
    }

    [Fact]
    public async Task Only_what_the_command_wrote_changes_in_the_rootfs()
    {
        var before = TreeSnapshot.Take(_rootfs);
        var (result, _, _) = await RunAsync(Specs.Shell(_rootfs, "touch /newfile && mkdir -p /srv/app && echo data > /srv/app/x"));
        Assert.Equal(0, result.ExitCode);
        var after = TreeSnapshot.Take(_rootfs);
        var added = after.Keys.Except(before.Keys).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["/newfile", "/srv", "/srv/app", "/srv/app/x"], added);
        Assert.Empty(before.Keys.Except(after.Keys));
        var changed = before.Keys.Where(k => before[k] != after[k]).ToList();
        Assert.Equal(["/"], changed); // the root directory's mtime: new entries were made in it
        Assert.Equal("data\n", File.ReadAllText(Path.Combine(_rootfs, "srv", "app", "x")));
    }

    [Fact]
    public async Task A_tmpfs_mount_is_writable_and_leaves_nothing_in_the_rootfs()
    {
        var before = TreeSnapshot.Take(_rootfs);
        var spec = Specs.Shell(_rootfs, "echo scratch > /tmp-x/f && cat /tmp-x/f && grep ' /tmp-x ' /proc/mounts") with
        {
            Mounts = [new ContainerMount("/tmp-x", "tmpfs", "tmpfs", ["nosuid", "nodev", "size=1m"])],
        };
        var (result, output, _) = await RunAsync(spec);
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("scratch\n", output);
        Assert.Contains("tmpfs /tmp-x tmpfs", output);
        Assert.Equal(before, TreeSnapshot.Take(_rootfs));
    }

    [Fact]
    public async Task A_read_only_bind_mount_refuses_writes()
    {
        var host = Directory.CreateDirectory(_temp.PathOf("host-data")).FullName;
        File.WriteAllText(Path.Combine(host, "given"), "from host\n");
        var spec = Specs.Shell(_rootfs, "cat /data/given; touch /data/x") with
        {
            Mounts = [new ContainerMount("/data", "bind", host, ["rbind", "ro"])],
        };
        var (result, output, error) = await RunAsync(spec);
        Assert.Equal(1, result.ExitCode); // touch refused by the read-only mount
        Assert.Equal("from host\n", output);
        Assert.Contains("Read-only file system", error);
        Assert.Equal(["given"], Directory.GetFileSystemEntries(host).Select(Path.GetFileName));
        Assert.False(Directory.Exists(Path.Combine(_rootfs, "data")));
    }

    [Fact]
    public async Task A_writable_bind_mount_writes_through_to_the_host()
    {
        var host = Directory.CreateDirectory(_temp.PathOf("cache")).FullName;
        var spec = Specs.Shell(_rootfs, "echo cached > /root/.cache/x") with
        {
            Mounts = [new ContainerMount("/root/.cache", "bind", host, ["rbind", "rw"])],
        };
        var (result, _, _) = await RunAsync(spec);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("cached\n", File.ReadAllText(Path.Combine(host, "x")));
        Assert.False(Directory.Exists(Path.Combine(_rootfs, "root")));
    }

    [Fact]
    public async Task Stub_cleanup_does_not_follow_a_link_the_process_swapped_in()
    {
        var victim = Directory.CreateDirectory(_temp.PathOf("victim")).FullName;
        File.WriteAllText(Path.Combine(victim, "hosts"), "");
        var (result, _, _) = await RunAsync(Specs.Shell(_rootfs, $"mv /etc /etc.moved && ln -s {victim} /etc"));
        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(Path.Combine(victim, "hosts")), "cleanup removed a file outside the root");
        Assert.True(File.Exists(Path.Combine(_rootfs, "etc.moved", "passwd")));
    }

    [Fact]
    public async Task A_failing_sink_kills_the_container_and_surfaces_the_error()
    {
        // No clock: a container the failing sink did not kill runs into the generous timeout,
        // which ends the run with a cancellation instead of the sink's IOException.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Assert.ThrowsAsync<IOException>(() => _executor.RunAsync(Specs.Shell(_rootfs, "echo first; exec sleep 1000"), null, new FailingStream(), Stream.Null, timeout.Token));
        Assert.Equal("", RuncList());
        Assert.Empty(Directory.GetFileSystemEntries(_temp.PathOf("bundles")));
    }

    [Fact]
    public async Task Read_only_rootfs_refuses_writes()
    {
        var (result, _, error) = await RunAsync(Specs.Run(_rootfs, "touch", "/newfile") with { ReadonlyRootfs = true });
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Read-only file system", error);
        Assert.False(File.Exists(Path.Combine(_rootfs, "newfile")));
    }

    [Fact]
    public async Task Standard_input_is_fed_to_the_process()
    {
        using var stdin = new MemoryStream(Encoding.UTF8.GetBytes("line one\nline two\n"));
        var (result, output, _) = await RunAsync(Specs.Run(_rootfs, "wc", "-l"), stdin);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("2", output.Trim());
    }

    [Fact]
    public async Task No_standard_input_reads_as_empty()
    {
        var (result, output, _) = await RunAsync(Specs.Run(_rootfs, "cat"));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task Cancellation_kills_a_sleeping_container_quickly_and_leaves_no_state()
    {
        using var cts = new CancellationTokenSource();
        var spec = Specs.Run(_rootfs, "sleep", "1000");
        var run = RunAsync(spec, ct: cts.Token);
        await WaitForStateAsync(spec.Id);
        await cts.CancelAsync();
        // A sleep 1000 that was waited for, not killed, runs into the generous timeout (TimeoutException).
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(KillPatience));
        Assert.Equal("", RuncList());
        Assert.Empty(Directory.GetFileSystemEntries(_temp.PathOf("bundles")));
        Assert.False(Directory.Exists(Path.Combine(_rootfs, "proc")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(30)]
    [InlineData(80)]
    public async Task Cancellation_at_any_moment_of_startup_still_cleans_up(int delayMs)
    {
        var before = TreeSnapshot.Take(_rootfs);
        using var cts = new CancellationTokenSource();
        var run = RunAsync(Specs.Run(_rootfs, "sleep", "1000"), ct: cts.Token);
        await Task.Delay(delayMs); // the moment of cancellation is the subject here, not a synchronisation
        await cts.CancelAsync();
        // A sleep 1000 that was waited for, not killed, runs into the generous timeout (TimeoutException).
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(KillPatience));
        Assert.Equal("", RuncList());
        Assert.Empty(Directory.GetFileSystemEntries(_temp.PathOf("bundles")));
        Assert.Equal(before, TreeSnapshot.Take(_rootfs));
    }

    [Fact]
    public async Task A_process_killed_by_a_signal_exits_with_128_plus_the_signal()
    {
        var spec = Specs.Run(_rootfs, "sleep", "100");
        var run = RunAsync(spec);
        await WaitForStateAsync(spec.Id);
        RuncCommand("kill", spec.Id, "KILL");
        var (result, _, _) = await run;
        Assert.Equal(128 + 9, result.ExitCode);
        Assert.Equal("", RuncList());
    }

    [Fact]
    public async Task Two_containers_run_in_parallel()
    {
        // No clock: each container marks that it runs, then waits for the other's mark. Run one
        // after the other, the first would wait for ever (until the generous timeout fails it).
        var meet = Directory.CreateDirectory(_temp.PathOf("meet")).FullName;
        // Each container has a root filesystem of its own, as each RUN has its snapshot: runc's
        // mounts on one shared directory would hide one container's mounts (/meet too) from the other.
        ContainerSpec Meeting(string self, string other) => Specs.Shell(ExecutionRootfs.Create(_temp.PathOf("rootfs-" + self)), $"touch /meet/{self}; while [ ! -e /meet/{other} ]; do sleep 0.05; done; echo {self}") with
        {
            Mounts = [new ContainerMount("/meet", "bind", meet, ["rbind", "rw"])],
        };
        var results = await Task.WhenAll(RunAsync(Meeting("a", "b")), RunAsync(Meeting("b", "a")));
        Assert.Equal("a\n", results[0].Out);
        Assert.Equal("b\n", results[1].Out);
        Assert.All(results, r => Assert.Equal(0, r.Result.ExitCode));
        Assert.Equal("", RuncList());
    }

    [Fact]
    public async Task A_second_container_with_a_running_id_is_refused()
    {
        var spec = Specs.Run(_rootfs, "sleep", "100");
        using var cts = new CancellationTokenSource();
        var run = RunAsync(spec, ct: cts.Token);
        await WaitForStateAsync(spec.Id);
        await Assert.ThrowsAsync<AlreadyExistsException>(() => RunAsync(Specs.Run(_rootfs, "true") with { Id = spec.Id }));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task Racing_runs_with_one_id_start_one_container_and_refuse_the_rest()
    {
        var id = "race-" + Guid.NewGuid().ToString("N")[..8];
        var runs = Enumerable.Range(0, 4).Select(_ => Task.Run(() => RunAsync(Specs.Shell(_rootfs, "sleep 1; echo done") with { Id = id }))).ToList();
        var outcomes = await Task.WhenAll(runs.Select(async r =>
        {
            try
            {
                return (await r).Out;
            }
            catch (AlreadyExistsException)
            {
                return "refused";
            }
        }));
        Assert.Equal(1, outcomes.Count(o => o == "done\n"));
        Assert.Equal(3, outcomes.Count(o => o == "refused"));
        Assert.Equal("", RuncList());
        Assert.Empty(Directory.GetFileSystemEntries(_temp.PathOf("bundles")));
    }

    [Fact]
    public async Task Large_output_streams_in_bounded_chunks()
    {
        using var stdout = new RecordingStream(keep: 16);
        using var stderr = new RecordingStream();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var result = await _executor.RunAsync(Specs.Shell(_rootfs, "yes | head -c 10000000"), null, stdout, stderr, timeout.Token);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.True(allocated < 8_000_000, $"allocated {allocated} bytes while streaming 10 MB");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(10_000_000, stdout.TotalBytes);
        Assert.True(stdout.LargestWrite <= 64 * 1024, $"largest write {stdout.LargestWrite}");
        Assert.True(stdout.Writes >= 10_000_000 / (64 * 1024), $"{stdout.Writes} writes");
        Assert.Equal("y\ny\ny\ny\ny\ny\ny\ny\n", stdout.Text);
    }

    [Fact]
    public async Task Missing_executable_is_a_start_error_with_the_runtimes_message()
    {
        var ex = await Assert.ThrowsAsync<ContainerStartException>(() => RunAsync(Specs.Run(_rootfs, "no-such-tool")));
        Assert.Contains("no-such-tool", ex.Message);
        Assert.Equal("", RuncList());
        Assert.Empty(Directory.GetFileSystemEntries(_temp.PathOf("bundles")));
    }

    [Theory]
    [InlineData("/proc/self/fd/3")]
    [InlineData("/dev/fd/3")]
    public async Task Working_directory_reaching_the_host_is_refused_before_runc_runs(string cwd)
    {
        var before = TreeSnapshot.Take(_rootfs);
        var spec = Specs.Run(_rootfs, "pwd");
        spec = spec with { Process = spec.Process with { Cwd = cwd } };
        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => RunAsync(spec));
        Assert.Contains(cwd, ex.Message);
        Assert.False(Directory.Exists(_temp.PathOf("bundles/" + spec.Id)));
        Assert.Equal(before, TreeSnapshot.Take(_rootfs));
    }

    [Fact]
    public async Task Working_directory_through_a_symlink_to_proc_self_fd_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_rootfs, "w"), "/proc/self/fd/7");
        var spec = Specs.Run(_rootfs, "pwd");
        spec = spec with { Process = spec.Process with { Cwd = "/w" } };
        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => RunAsync(spec));
        Assert.Contains("/proc/self/fd/7", ex.Message);
    }

    [Fact]
    public async Task Mount_destination_with_dot_dot_is_refused_before_runc_runs()
    {
        var before = TreeSnapshot.Take(_rootfs);
        var spec = Specs.Run(_rootfs, "true") with { Mounts = [new ContainerMount("/a/../../etc", "tmpfs", "tmpfs", [])] };
        var ex = await Assert.ThrowsAsync<InvalidArgumentException>(() => RunAsync(spec));
        Assert.Contains("/a/../../etc", ex.Message);
        Assert.False(Directory.Exists(_temp.PathOf("bundles/" + spec.Id)));
        Assert.Equal(before, TreeSnapshot.Take(_rootfs));
    }

    [Fact]
    public async Task Missing_rootfs_is_not_found()
    {
        var ex = await Assert.ThrowsAsync<NotFoundException>(() => RunAsync(Specs.Run(_temp.PathOf("nowhere"), "true")));
        Assert.Contains("nowhere", ex.Message);
    }

    [Fact]
    public void Unknown_runtime_is_not_found()
    {
        var ex = Assert.Throws<NotFoundException>(() => RuncExecutor.Create(new RuncOptions
        {
            StateDirectory = _temp.PathOf("s2"),
            BundleDirectory = _temp.PathOf("b2"),
            Runtime = "no-such-runtime",
        }));
        Assert.Contains("no-such-runtime", ex.Message);
    }

    [Fact]
    public void Runtime_older_than_1_0_is_refused_at_creation()
    {
        var fake = _temp.PathOf("old-runc");
        File.WriteAllText(fake, "#!/bin/sh\necho 'runc version 1.0.0-rc93'\necho 'spec: 1.0.2-dev'\n");
        File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var ex = Assert.Throws<FailedPreconditionException>(() => RuncExecutor.Create(new RuncOptions
        {
            StateDirectory = _temp.PathOf("s3"),
            BundleDirectory = _temp.PathOf("b3"),
            Runtime = fake,
        }));
        Assert.Contains("1.0.0-rc93", ex.Message);
        Assert.Contains("1.0 or later", ex.Message);
    }

    /// <summary>How long a cancelled or killed container may take to go before the test fails (generous: only a hang runs into it).</summary>
    private static readonly TimeSpan KillPatience = TimeSpan.FromMinutes(1);

    /// <summary>Waits for the event "runc says the container is running" (polled: runc has no notification); a generous timeout fails the test.</summary>
    private async Task WaitForStateAsync(string id)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (RuncState(id) != "running")
        {
            try
            {
                await Task.Delay(20, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"container {id} never ran: state {RuncState(id) ?? "(none)"}");
            }
        }
    }

    /// <summary>The status <c>runc state</c> gives, or null while runc does not know the container.</summary>
    private string? RuncState(string id)
    {
        var psi = new ProcessStartInfo(_executor.RuntimePath) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--root", _executor.StateDirectory, "state", id }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        _ = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) return null;
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        return doc.RootElement.GetProperty("status").GetString();
    }

    private void RuncCommand(params string[] args)
    {
        var psi = new ProcessStartInfo(_executor.RuntimePath) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("--root");
        psi.ArgumentList.Add(_executor.StateDirectory);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }
}
