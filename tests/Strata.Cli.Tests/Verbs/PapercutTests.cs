namespace Strata.Cli.Tests.Verbs;

/// <summary>The CLI papercuts of issue 16: an unknown verb, <c>images</c>' optional argument, and <c>build logs</c> against a context named <c>logs</c>.</summary>
public sealed class PapercutTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-papercuts-");

    public void Dispose() => _tempDir.Dispose();

    [Fact]
    public async Task An_unknown_verb_prints_two_lines_as_docker_and_suggests_a_close_verb()
    {
        var far = await StrataCli.WithoutStore.RunAsync("--root", Path.Combine(_tempDir.Path, "store"), "frobnicate");
        Assert.Equal((1, "", "strata: 'frobnicate' is not a strata command.\nSee 'strata --help'\n"), (far.ExitCode, far.Stdout, far.Stderr));

        var close = await StrataCli.WithoutStore.RunAsync("--root", Path.Combine(_tempDir.Path, "store"), "imagess");
        Assert.Equal((1, "", "strata: 'imagess' is not a strata command. Did you mean 'images'?\nSee 'strata --help'\n"), (close.ExitCode, close.Stdout, close.Stderr));
    }

    [Fact]
    public async Task Images_help_shows_the_repository_argument_as_optional()
    {
        var help = await StrataCli.WithoutStore.RunAsync("images", "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("  strata images [<REPOSITORY[:TAG]>] [options]\n", help.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Builder_logs_is_the_home_of_build_logs_and_build_logs_refuses_when_logs_is_a_context_directory()
    {
        var store = Path.Combine(_tempDir.Path, "store");
        var none = await StrataCli.WithoutStore.RunAsync(["--root", store, "builder", "logs"], new RunOptions { WorkingDirectory = _tempDir.Path });
        Assert.Equal((1, "Error: no builds recorded in this store\n"), (none.ExitCode, none.Stderr));

        // No path named logs here: the old spelling still reaches the logs, and says where they moved.
        var old = await StrataCli.WithoutStore.RunAsync(["--root", store, "build", "logs"], new RunOptions { WorkingDirectory = _tempDir.Path });
        Assert.Equal((1, "\"strata build logs\" is now \"strata builder logs\"\nError: no builds recorded in this store\n"), (old.ExitCode, old.Stderr));

        Directory.CreateDirectory(Path.Combine(_tempDir.Path, "logs"));
        var ambiguous = await StrataCli.WithoutStore.RunAsync(["--root", store, "build", "logs"], new RunOptions { WorkingDirectory = _tempDir.Path });
        Assert.Equal(2, ambiguous.ExitCode);
        Assert.Equal("", ambiguous.Stdout);
        Assert.Equal("Error: \"logs\" is a path here, and \"strata build logs\" no longer shows build logs: run \"strata build ./logs\" to build it, \"strata builder logs\" for the logs\n", ambiguous.Stderr);
    }
}
