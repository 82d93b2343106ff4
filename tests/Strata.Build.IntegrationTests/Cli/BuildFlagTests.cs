using System.Text.Json;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Cli;

/// <summary>The build verb's own flags: a Dockerfile from stdin, -q, --iidfile, several tags.</summary>
public sealed class BuildFlagTests : IClassFixture<BaseStore>
{
    private readonly BaseStore _base;

    public BuildFlagTests(BaseStore store) => _base = store;

    [Fact]
    public async Task Dockerfile_from_stdin_with_quiet_iidfile_and_two_tags()
    {
        var strata = await _base.NewStoreAsync("flags");
        var context = Path.Combine(_base.Root, "flags-context");
        Directory.CreateDirectory(context);
        await File.WriteAllTextAsync(Path.Combine(context, "a.txt"), "a\n");
        var dockerfile = Path.Combine(_base.Root, "stdin.Dockerfile");
        await File.WriteAllTextAsync(dockerfile, "FROM base:1\nCOPY a.txt /a.txt\nCMD [\"cat\", \"/a.txt\"]\n");
        var iidfile = Path.Combine(_base.Root, "iid");

        var result = (await strata.RunAsync(["build", "-q", "-f", "-", "--iidfile", iidfile, "-t", "one:1", "-t", "two:2", context], new RunOptions { StdinFile = dockerfile })).EnsureSuccess();

        var id = result.Stdout.Trim();
        Assert.Matches("^sha256:[0-9a-f]{64}$", id);
        Assert.Equal(id, await File.ReadAllTextAsync(iidfile));
        Assert.Equal("", result.Stderr);
        foreach (var tag in new[] { "one:1", "two:2" })
        {
            using var doc = JsonDocument.Parse((await strata.RunAsync("inspect", tag)).EnsureSuccess().Stdout);
            Assert.Equal(id, doc.RootElement[0].GetProperty("Id").GetString());
        }
    }
}
