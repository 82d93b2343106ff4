using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Store;

/// <summary>
/// The store holds unpacked layers, setuid-root binaries included: no other host user may reach
/// them. The scratch directory is opened to everyone (0755, as <c>/var/lib</c> is) so the store
/// root's own mode is all that stands between <c>nobody</c> and those files.
/// </summary>
public sealed class StoreAccessTests : IDisposable
{
    private const string Nobody = "65534";
    private readonly Workspace _ws = new();

    [Fact]
    public async Task Nobody_cannot_run_a_setuid_root_file_from_the_store_that_runs_as_root_elsewhere()
    {
        string rootfs = _ws.Rootfs;
        string suid = Path.Combine(rootfs, "bin", "suid-id");
        File.Copy("/usr/bin/id", suid);
        File.SetUnixFileMode(suid, (UnixFileMode)0x9ED); // 04755
        OpenToEveryone(_ws.Scratch.Path); // its parent is the system temp folder, open to everyone already

        // The control: where nobody can reach it, the file gives nobody euid 0.
        var reachable = await AsNobodyAsync(suid);
        Assert.True(reachable.ExitCode == 0, reachable.ToString());
        Assert.Contains("euid=0(root)", reachable.Stdout, StringComparison.Ordinal);

        await _ws.Strata.OkAsync("import", rootfs, "suid:1");
        await _ws.Strata.OkAsync("run", "--rm", "suid:1", "true");
        var copies = Directory.EnumerateFiles(_ws.Strata.StoreRoot, "suid-id", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(copies);

        foreach (var copy in copies)
        {
            var result = await AsNobodyAsync(copy);
            Assert.True(result.ExitCode != 0, $"nobody ran {copy}:\n{result}");
            Assert.DoesNotContain("euid=0", result.Stdout, StringComparison.Ordinal);
            Assert.Contains("Permission denied", result.Stderr, StringComparison.Ordinal);
        }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_ws.Strata.StoreRoot));
    }

    [Fact]
    public async Task A_store_an_earlier_version_left_open_is_closed_on_open_and_check_reports_it_once()
    {
        await _ws.ImportBusyboxAsync("busybox:1");
        string root = _ws.Strata.StoreRoot;
        File.SetUnixFileMode(root, (UnixFileMode)0x1ED); // 0755, as earlier versions made it

        var check = await _ws.Strata.RunAsync("system", "check");

        Assert.Equal(1, check.ExitCode);
        Assert.Contains($"FAULT: store root {root} was open to other users (mode 0755); closed to 0700 when this command opened it\n", check.Stdout, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(root));
        await _ws.AssertCheckPassesAsync();
    }

    [Fact]
    public async Task A_store_owned_by_another_user_is_refused_with_one_line()
    {
        await _ws.ImportBusyboxAsync("busybox:1");
        string root = _ws.Strata.StoreRoot;
        await ProcessRunner.RunAsync("chown", Nobody, root);

        var result = await _ws.Strata.RunAsync("images");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error: store root {root} belongs to uid 65534, not to you (uid 0): use a store of your own (--root)\n", result.Stderr);
        await ProcessRunner.RunAsync("chown", "0", root);
    }

    /// <summary>
    /// Runs <paramref name="program"/> as nobody. setpriv keeps its capabilities until its own
    /// execve (so CAP_DAC_OVERRIDE would walk through a closed directory), so a shell running
    /// as nobody with no capabilities does the exec, as a real other user would.
    /// </summary>
    private static Task<ProcessResult> AsNobodyAsync(string program) =>
        ProcessRunner.RunAsync("setpriv", "--reuid", Nobody, "--regid", Nobody, "--clear-groups", "--", "/bin/sh", "-c", "exec \"$0\"", program);

    private static void OpenToEveryone(string directory) => File.SetUnixFileMode(directory, (UnixFileMode)0x1ED);

    public void Dispose() => _ws.Dispose();
}
