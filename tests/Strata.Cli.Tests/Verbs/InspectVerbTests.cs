namespace Strata.Cli.Tests.Verbs;

/// <summary><c>strata inspect</c> prints JSON the way <c>docker inspect</c> does: four-space indent, quotes as <c>\"</c>.</summary>
public sealed class InspectVerbTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-inspect-");

    public void Dispose() => _tempDir.Dispose();

    [Fact]
    public async Task Inspect_indents_like_docker_and_escapes_quotes_with_a_backslash()
    {
        var rootfs = Path.Combine(_tempDir.Path, "rootfs");
        Directory.CreateDirectory(rootfs);
        await File.WriteAllTextAsync(Path.Combine(rootfs, "hello.txt"), "hi\n");
        var root = Path.Combine(_tempDir.Path, "store");

        var import = await StrataCli.WithoutStore.RunAsync("--root", root, "import", "--change", "LABEL note=\"say \\\"hi\\\"\"", rootfs, "quoted:1");
        Assert.True(import.ExitCode == 0, import.Stderr);
        var inspect = await StrataCli.WithoutStore.RunAsync("--root", root, "inspect", "quoted:1");
        Assert.True(inspect.ExitCode == 0, inspect.Stderr);

        Assert.Contains("\"note\": \"say \\\"hi\\\"\"", inspect.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0022", inspect.Stdout, StringComparison.Ordinal);
        var lines = inspect.Stdout.Split('\n');
        Assert.Equal("[", lines[0]);
        Assert.Equal("    {", lines[1]);
        Assert.StartsWith("        \"Id\": \"sha256:", lines[2], StringComparison.Ordinal);
    }
}
