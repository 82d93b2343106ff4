using System.Diagnostics;
using System.Globalization;
using Strata.Build.Secrets;
using Strata.Images;
using Strata.Images.Checking;
using Strata.Images.Gc;
using Strata.Images.Tests;

namespace Strata.Build.Tests.Secrets;

/// <summary>
/// Secret directories of killed builds (made here on /dev/shm as a build names them, with the
/// pid of a process that has ended) reach <c>system check</c> and its repair through
/// <see cref="SecretDirectoryOwner"/>, the build room's owner of them: the store's checker
/// reports and removes them with the same words as before, and leaves a live build's directory
/// and another store's alone.
/// </summary>
public sealed class SecretDirectoryOwnerTests
{
    /// <summary>The pid of a process that has ended.</summary>
    private static async Task<int> DeadPidAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false })!;
        await process.WaitForExitAsync();
        return process.Id;
    }

    /// <summary>A directory named as a build of <paramref name="layout"/>'s store with pid <paramref name="pid"/> names it.</summary>
    private static string MakeSecretDirectory(StoreLayout layout, int pid)
    {
        var own = SecretDirectories.NewName(layout);
        // NewName is STOREPREFIX + this pid + "-" + a 32-digit GUID.
        var storePrefix = own[..^(Environment.ProcessId.ToString(CultureInfo.InvariantCulture).Length + 1 + 32)];
        var path = Path.Combine(SecretDirectories.Parent, $"{storePrefix}{pid.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(path, "token"), "value");
        return path;
    }

    [Fact]
    public async Task A_killed_builds_secret_directory_is_reported_by_system_check_and_removed_by_repair_and_live_or_foreign_ones_stay()
    {
        await using var temp = await TempStore.CreateAsync();
        await using var other = await TempStore.CreateAsync();
        int dead = await DeadPidAsync();
        var killed = MakeSecretDirectory(temp.Store.Layout, dead);
        var live = MakeSecretDirectory(temp.Store.Layout, Environment.ProcessId);
        var foreign = MakeSecretDirectory(other.Store.Layout, dead);
        try
        {
            var owner = new SecretDirectoryOwner(temp.Store);
            var leftover = Assert.Single(owner.Leftovers());
            Assert.Equal(killed, leftover.Path);
            Assert.Equal($"directory {killed} holds secrets of build process {dead}, which is gone", leftover.Finding);
            Assert.Equal([(killed, dead)], SecretDirectories.CurrentOrphans(temp.Store.Layout));
            Assert.Same(PruneReport.Empty, await owner.PruneAsync(all: true, CancellationToken.None));

            var gc = new GarbageCollector(temp.Store, [], null, [owner]);
            var check = await StoreChecker.CheckAsync(gc, repair: false, verifyDiffIds: false, CancellationToken.None);
            Assert.Equal([new CheckFinding(CheckSeverity.Garbage, $"directory {killed} holds secrets of build process {dead}, which is gone")], check.Findings);
            Assert.True(Directory.Exists(killed));

            var repaired = await StoreChecker.CheckAsync(gc, repair: true, verifyDiffIds: false, CancellationToken.None);
            Assert.Equal([$"removed {killed}", "rewrote index.json"], repaired.Repairs);
            Assert.Empty(repaired.Findings);
            Assert.False(Directory.Exists(killed));
            Assert.True(File.Exists(Path.Combine(live, "token")));
            Assert.True(File.Exists(Path.Combine(foreign, "token")));
        }
        finally
        {
            foreach (var dir in new[] { killed, live, foreign }.Where(Directory.Exists)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Another_owners_leftover_keeps_the_checkers_directory_is_what_wording() =>
        Assert.Equal("directory /store/cache/mounts/abc.tmp is an unfinished cache mount",
            new StoreLeftover("/store/cache/mounts/abc.tmp", "an unfinished cache mount").Finding);
}
