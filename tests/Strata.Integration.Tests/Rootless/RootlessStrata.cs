using System.Globalization;
using Strata.Integration.Tests.Fixtures;
using Xunit.Sdk;

namespace Strata.Integration.Tests.Rootless;

/// <summary>
/// strata run as an unprivileged user through <c>setpriv</c> (real uid, gid and groups of the
/// user; a clean environment with its HOME, XDG_DATA_HOME and XDG_RUNTIME_DIR under
/// <see cref="Home"/>, a directory of the user's own). No <c>--root</c>: the default store is
/// the one under test.
/// </summary>
public sealed class RootlessStrata
{
    private readonly string _binary;

    private RootlessStrata(string user, int uid, int gid, string home, string binary)
    {
        User = user;
        Uid = uid;
        Gid = gid;
        Home = home;
        _binary = binary;
    }

    public string User { get; }

    public int Uid { get; }

    public int Gid { get; }

    /// <summary>The user's directory for this test (0700, owned by the user).</summary>
    public string Home { get; }

    /// <summary>The default rootless store: <c>$XDG_DATA_HOME/strata</c>.</summary>
    public string StoreRoot => Path.Combine(Home, "data", "strata");

    public string RuntimeDirectory => Path.Combine(Home, "run");

    public DateTimeOffset? SourceDateEpoch { get; init; }

    /// <summary>More variables for every command (NAME=value), e.g. STRATA_SNAPSHOTTER.</summary>
    public IReadOnlyList<string> Environment { get; init; } = [];

    /// <summary>A command (run as root) that setpriv runs under, e.g. unshare to change what the user sees of /dev.</summary>
    public IReadOnlyList<string> Launcher { get; init; } = [];

    /// <summary>The same user and directory, every command started through <paramref name="launcher"/>.</summary>
    public RootlessStrata WithLauncher(params string[] launcher) =>
        new(User, Uid, Gid, Home, _binary) { SourceDateEpoch = SourceDateEpoch, Environment = Environment, Launcher = launcher };

    /// <summary>A directory for <paramref name="user"/> under <paramref name="scratch"/>.</summary>
    public static async Task<RootlessStrata> CreateAsync(RootlessHost host, string user, TempDir scratch, DateTimeOffset? sourceDateEpoch = null, IReadOnlyList<string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(scratch);
        var (uid, gid) = await RootlessHost.IdsOfAsync(user);
        File.SetUnixFileMode(scratch.Path, (UnixFileMode)0x1ED);
        string home = scratch.NewDir(user);
        foreach (string dir in (string[])[home, Path.Combine(home, "data"), Path.Combine(home, "run")])
        {
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, (UnixFileMode)0x1C0);
        }
        await Tools.OkAsync("/bin/chown", "-R", $"{uid}:{gid}", home);
        return new RootlessStrata(user, uid, gid, home, host.Binary) { SourceDateEpoch = sourceDateEpoch, Environment = environment ?? [] };
    }

    /// <summary>Gives the user what root made in its directory.</summary>
    public Task ChownAsync(string path) => Tools.OkAsync("/bin/chown", "-R", $"{Uid}:{Gid}", path);

    public async Task<ProcessResult> RunAsync(params string[] arguments)
    {
        var environment = new List<string>
        {
            "HOME=" + Home, "USER=" + User, "LOGNAME=" + User, "TZ=UTC",
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "XDG_DATA_HOME=" + Path.Combine(Home, "data"), "XDG_RUNTIME_DIR=" + RuntimeDirectory,
        };
        environment.AddRange(Environment);
        if (SourceDateEpoch is { } epoch) environment.Add("SOURCE_DATE_EPOCH=" + epoch.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        string[] command =
        [
            "--reuid", Uid.ToString(CultureInfo.InvariantCulture), "--regid", Gid.ToString(CultureInfo.InvariantCulture), "--init-groups",
            "/usr/bin/env", "-i", .. environment, _binary, .. arguments,
        ];
        string program = Launcher.Count > 0 ? Launcher[0] : "/usr/bin/setpriv";
        if (Launcher.Count > 0) command = [.. Launcher.Skip(1), "/usr/bin/setpriv", .. command];
        var result = await ProcessRunner.RunAsync(program, command, new RunOptions { WorkingDirectory = Home, Timeout = TimeSpan.FromMinutes(3) });
        if (result.ExitCode == 125)
            throw new XunitException("strata reported an unexpected internal error (exit 125), which is a bug:\n" + result);
        return result;
    }

    public async Task<string> OkAsync(params string[] arguments) => (await RunAsync(arguments)).EnsureSuccess().Stdout;
}
