using System.Runtime.InteropServices;
using Strata.Build.IntegrationTests.Fixtures;
using Xunit.Sdk;

namespace Strata.Build.IntegrationTests.MultiPlatform;

/// <summary>
/// An amd64 host that runs arm64 binaries: Debian's <c>busybox-static:arm64</c> unpacked into an
/// arm64 root filesystem beside the host's busybox one, and qemu-user-static's aarch64
/// binfmt_misc handler registered with the F flag from <c>/usr/lib/binfmt.d/qemu-aarch64.conf</c>
/// (binfmt_misc mounted first where it is not). Only what this fixture registered is
/// unregistered at the end; a mount it made stays (other processes may have registered since).
/// Stores get <c>busybox:multi</c>, an index of both bases as a user makes one from root
/// filesystems: <c>strata import --platform</c> of each, then <c>strata manifest create</c>.
/// </summary>
public sealed class MultiPlatformHost : IAsyncLifetime
{
    public const string BinfmtRoot = "/proc/sys/fs/binfmt_misc";
    public const string Handler = "qemu-aarch64";
    public const string BaseImage = "busybox:multi";
    private const string Deb = "/var/lib/strata-tests/busybox-static_arm64.deb";
    private const string HandlerConf = "/usr/lib/binfmt.d/qemu-aarch64.conf";
    private bool _registered;

    private readonly TempDir _tempDir = new("strata-multi-platform-");


    public string Root => _tempDir.Path;

    /// <summary>Where the two base root filesystems are: rootfs-amd64/, rootfs-arm64/.</summary>
    public string BaseContext => Path.Combine(Root, "base-context");

    /// <summary>The text of the registered handler as the kernel shows it.</summary>
    public string HandlerEntry => File.ReadAllText(Path.Combine(BinfmtRoot, Handler));

    public async Task InitializeAsync()
    {
        if (RuntimeInformation.OSArchitecture != Architecture.X64)
            throw new XunitException("the multi-platform tests emulate arm64 on an amd64 host; this host is " + RuntimeInformation.OSArchitecture);
        var deb = File.Exists(Deb) ? Deb : await FetchDebAsync();
        var unpacked = Path.Combine(Root, "deb");
        (await ProcessRunner.RunAsync("dpkg-deb", ["-x", deb, unpacked])).EnsureSuccess();
        var arm64 = Path.Combine(BaseContext, "rootfs-arm64");
        var amd64 = Path.Combine(BaseContext, "rootfs-amd64");
        DifferentialBase.Create(arm64, Path.Combine(unpacked, "bin", "busybox"));
        DifferentialBase.Create(amd64);
        foreach (var rootfs in new[] { arm64, amd64 }) File.CreateSymbolicLink(Path.Combine(rootfs, "bin", "uname"), "busybox");
        var file = (await ProcessRunner.RunAsync("file", ["-b", Path.Combine(arm64, "bin", "busybox")])).EnsureSuccess().Stdout;
        if (!file.Contains("ARM aarch64", StringComparison.Ordinal)) throw new XunitException($"{deb} holds no arm64 busybox: {file}");
        await RegisterHandlerAsync();
    }

    /// <summary>A new store holding <see cref="BaseImage"/> (imported with <paramref name="environment"/>, e.g. SOURCE_DATE_EPOCH).</summary>
    internal async Task<StrataCli> NewStoreAsync(string name, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var strata = new StrataCli(Path.Combine(Root, "stores", name));
        foreach (var arch in new[] { "amd64", "arm64" })
            (await strata.RunAsync(["import", "--platform", "linux/" + arch, Path.Combine(BaseContext, "rootfs-" + arch), "busybox:" + arch], new RunOptions().WithEnvironment(environment))).EnsureSuccess();
        (await strata.RunAsync(["manifest", "create", BaseImage, "busybox:amd64", "busybox:arm64"], new RunOptions().WithEnvironment(environment))).EnsureSuccess();
        return strata;
    }

    /// <summary>A new empty directory under the fixture's root.</summary>
    public string NewDirectory(string name) => Directory.CreateDirectory(Path.Combine(Root, name)).FullName;

    public Task DisposeAsync()
    {
        if (_registered) File.WriteAllText(Path.Combine(BinfmtRoot, Handler), "-1");
        try { _tempDir.Dispose(); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Registers the handler unless an enabled one with the F flag is there. One that is there
    /// but disabled or without F is someone else's: the fixture fails rather than change it.
    /// </summary>
    private async Task RegisterHandlerAsync()
    {
        if (!File.Exists(Path.Combine(BinfmtRoot, "status")))
            (await ProcessRunner.RunAsync("mount", ["-t", "binfmt_misc", "binfmt_misc", BinfmtRoot])).EnsureSuccess();
        var entry = Path.Combine(BinfmtRoot, Handler);
        if (File.Exists(entry))
        {
            CheckUsable(await File.ReadAllTextAsync(entry));
            return;
        }
        if (!File.Exists(HandlerConf)) throw new XunitException($"{HandlerConf} is missing: run scripts/install-deps.sh (package qemu-user-static)");
        var line = (await File.ReadAllLinesAsync(HandlerConf)).Single(l => l.StartsWith(":" + Handler + ":", StringComparison.Ordinal));
        var fields = line.Split(':');
        if (!fields[^1].Contains('F', StringComparison.Ordinal)) line += "F";
        try
        {
            await File.WriteAllTextAsync(Path.Combine(BinfmtRoot, "register"), line);
            _registered = true;
        }
        catch (IOException) when (File.Exists(entry))
        {
            // Another process registered it meanwhile: theirs to remove.
        }
        CheckUsable(await File.ReadAllTextAsync(entry));
    }

    private static void CheckUsable(string entry)
    {
        var lines = entry.Split('\n');
        if (lines[0] != "enabled" || !lines.Any(l => l.StartsWith("flags:", StringComparison.Ordinal) && l.Contains('F', StringComparison.Ordinal)))
            throw new XunitException($"{BinfmtRoot}/{Handler} is registered but not enabled with the F flag, and is not this fixture's to change:\n{entry}");
    }

    private async Task<string> FetchDebAsync()
    {
        var dir = NewDirectory("fetch");
        var arches = await ProcessRunner.RunAsync("dpkg", ["--print-foreign-architectures"]);
        if (!arches.Stdout.Split('\n').Contains("arm64"))
        {
            (await ProcessRunner.RunAsync("dpkg", ["--add-architecture", "arm64"])).EnsureSuccess();
            (await ProcessRunner.RunAsync("apt-get", ["update", "-q"], new RunOptions { Timeout = TimeSpan.FromMinutes(10) })).EnsureSuccess();
        }
        var download = await ProcessRunner.RunAsync("apt-get", ["download", "-q", "busybox-static:arm64"], new RunOptions { WorkingDirectory = dir, Timeout = TimeSpan.FromMinutes(5) });
        if (download.ExitCode != 0)
            throw new XunitException($"cannot fetch busybox-static:arm64 (run scripts/install-deps.sh, which puts it at {Deb}): {download.Stderr}");
        return Directory.GetFiles(dir, "busybox-static_*_arm64.deb").Single();
    }
}
