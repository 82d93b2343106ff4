using Xunit.Sdk;

namespace Strata.Integration.Tests.Fixtures;

/// <summary>The real programs the tests drive. A missing one fails the test loudly: only a
/// dockerd that is installed but cannot start may turn into a skip (see the harness's <see cref="Strata.Testing.Dockerd"/>).</summary>
public static class Tools
{
    public const string Skopeo = "/usr/bin/skopeo";
    public const string Umoci = "/usr/bin/umoci";
    public const string Busybox = "/bin/busybox";
    public const string Tar = "/bin/tar";
    public const string Pigz = "/usr/bin/pigz";
    public const string Zstd = "/usr/bin/zstd";

    public static string Require(string path)
    {
        if (!File.Exists(path))
            throw new XunitException($"{path} is missing: run scripts/install-deps.sh (the integration tests need docker.io, skopeo, umoci, busybox-static, tar, pigz, zstd)");
        return path;
    }

    public static Task<ProcessResult> RunAsync(string tool, params string[] arguments) => ProcessRunner.RunAsync(Require(tool), arguments, new RunOptions());

    public static async Task<string> OkAsync(string tool, params string[] arguments) =>
        (await ProcessRunner.RunAsync(Require(tool), arguments, new RunOptions())).EnsureSuccess().Stdout;

    /// <summary>
    /// <c>find</c> over shared directories such as /tmp: other test processes create and delete
    /// their files there while it walks, and GNU find still reports a directory that vanished
    /// between listing and opening it (even with -ignore_readdir_race). Exit 1 whose every error
    /// is such a vanished path is not a failure; any other error is.
    /// </summary>
    public static async Task<string> FindAsync(params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(Require("/usr/bin/find"), arguments, new RunOptions());
        bool onlyVanished = result.ExitCode == 1 && result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .All(l => l.EndsWith(": No such file or directory", StringComparison.Ordinal));
        return onlyVanished ? result.Stdout : result.EnsureSuccess().Stdout;
    }
}
