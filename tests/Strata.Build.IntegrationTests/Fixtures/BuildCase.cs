
namespace Strata.Build.IntegrationTests.Fixtures;

/// <summary>
/// One folder of Cases/: a Dockerfile; optionally <c>context/</c> (the build context, else an
/// empty one), <c>setup.sh</c> (run in a copy of the context before building, for files git
/// cannot hold: archives, owners), <c>build-args</c> (extra build flags, one per line, given to
/// both builders), <c>parent/Dockerfile</c> (built first as <c>onbuild-parent:1</c>),
/// <c>strata-only</c> (a feature BuildKit 0.8 lacks) with <c>expected.txt</c>
/// (path TAB octal mode TAB uid:gid TAB content with \n escapes, or path TAB <c>absent</c>);
/// <c>strata-only</c> says why BuildKit 0.8 cannot build the case.
/// </summary>
internal sealed record BuildCase(string Name)
{
    public static string CasesRoot => Path.Combine(RepoPaths.Root, "tests", "Strata.Build.IntegrationTests", "Cases");

    public string Folder => Path.Combine(CasesRoot, Name);

    public string DockerfilePath => Path.Combine(Folder, "Dockerfile");

    public string? ParentDockerfile => File.Exists(Path.Combine(Folder, "parent", "Dockerfile")) ? Path.Combine(Folder, "parent", "Dockerfile") : null;

    public bool StrataOnly => File.Exists(Path.Combine(Folder, "strata-only"));

    public IReadOnlyList<string> BuildArgs =>
        File.Exists(Path.Combine(Folder, "build-args")) ? File.ReadAllLines(Path.Combine(Folder, "build-args")).Where(l => l.Length > 0).ToList() : [];

    public static IEnumerable<string> All() =>
        Directory.EnumerateDirectories(CasesRoot).Select(Path.GetFileName).OfType<string>().Where(n => File.Exists(Path.Combine(CasesRoot, n, "Dockerfile"))).Order(StringComparer.Ordinal);

    /// <summary>
    /// What setup.sh made gets this mtime (a whole second, as tar keeps it): older than any build,
    /// so the differential compares the mtimes COPY keeps for it, as it does for the checked-out
    /// files (which keep their checkout times).
    /// </summary>
    public const long SetupMtime = 1_600_000_000;

    /// <summary>
    /// Copies the context to <paramref name="target"/> (modes and mtimes kept), runs setup.sh
    /// there and dates what setup.sh made (<c>touch -h</c>: symlinks themselves) at <see cref="SetupMtime"/>.
    /// </summary>
    public async Task PrepareContextAsync(string target)
    {
        Directory.CreateDirectory(target);
        var source = Path.Combine(Folder, "context");
        if (Directory.Exists(source)) (await ProcessRunner.RunAsync("cp", "-a", source + "/.", target)).EnsureSuccess();
        var setup = Path.Combine(Folder, "setup.sh");
        if (!File.Exists(setup)) return;
        // A stamp file, not a clock reading: find -newer compares with the file system's own
        // times. It is dated a second back because -newer is strict and the kernel's file times
        // are coarse: a file setup.sh makes at once may carry the stamp's very time.
        var stamp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(target))!, Path.GetFileName(target) + ".setup-stamp");
        await File.WriteAllTextAsync(stamp, "");
        File.SetLastWriteTimeUtc(stamp, File.GetLastWriteTimeUtc(stamp).AddSeconds(-1));
        (await ProcessRunner.RunAsync("/bin/sh", ["-e", setup], new RunOptions { WorkingDirectory = target })).EnsureSuccess();
        (await ProcessRunner.RunAsync("find", [target, "-mindepth", "1", "-newer", stamp, "-exec", "touch", "-h", "-d", "@" + SetupMtime, "{}", "+"])).EnsureSuccess();
        File.Delete(stamp);
    }
}
