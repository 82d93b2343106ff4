using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Rootless;

/// <summary>
/// Issue 15's start-up cost: the Native AOT binary enters its user namespace in a constructor that
/// runs before the .NET runtime (Native/rootless_entry.c), so a rootless command starts strata
/// once; the JIT build (no constructor) and <c>STRATA_ROOTLESS_REEXEC=1</c> take the re-exec path
/// (util-linux unshare runs strata a second time inside). Counted with strace's execve trace.
/// In the dockerd collection with the other rootless classes (see <see cref="RootlessExecTests"/>).
/// </summary>
[Collection(DockerPeer.Name)]
public sealed class RootlessStartupTests : IClassFixture<RootlessHost>, IDisposable
{
    private readonly RootlessHost _host;
    private readonly TempDir _scratch = new();

    public RootlessStartupTests(RootlessHost host) => _host = host;

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public async Task A_rootless_command_of_the_aot_binary_starts_strata_once_and_the_reexec_path_twice()
    {
        var strata = await RootlessStrata.CreateAsync(_host, RootlessHost.RangedUser, _scratch);
        bool aot = StrataBinary.IsNativeAot;

        var (images, execs) = await TracedAsync(strata, "default");
        Assert.Equal(("", aot ? 1 : 2), (images, execs));

        var forced = await RootlessStrata.CreateAsync(_host, RootlessHost.RangedUser, _scratch, environment: ["STRATA_ROOTLESS_REEXEC=1"]);
        var (forcedImages, forcedExecs) = await TracedAsync(forced, "forced");
        Assert.Equal(("", 2), (forcedImages, forcedExecs));
    }

    /// <summary><c>strata images -q</c> under strace: its output and how many times strata was executed.</summary>
    private async Task<(string Output, int Execs)> TracedAsync(RootlessStrata strata, string name)
    {
        string trace = _scratch.PathOf(name + ".trace");
        var traced = strata.WithLauncher("/usr/bin/strace", "-f", "-qq", "-e", "trace=execve", "-e", "signal=none", "-o", trace);
        string output = await traced.OkAsync("images", "-q");
        int execs = (await File.ReadAllLinesAsync(trace)).Count(l => l.Contains("execve(\"" + _host.Binary + "\"", StringComparison.Ordinal) && l.EndsWith("= 0", StringComparison.Ordinal));
        return (output, execs);
    }
}
