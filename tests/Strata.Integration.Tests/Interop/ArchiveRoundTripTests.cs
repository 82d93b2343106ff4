using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Interop;

/// <summary>save -> load keeps the image: from a file, from stdin, and through gzip and zstd
/// compressed archives made by the real pigz and zstd tools.</summary>
public sealed class ArchiveRoundTripTests : IDisposable
{
    private const string IdAndLayers = "{{.Id}} {{json .RootFS.Layers}}";

    private readonly Workspace _ws = new(Workspace.ThreeYearsAgo);

    [Theory]
    [InlineData("plain")]
    [InlineData("pigz")]
    [InlineData("zstd")]
    public async Task A_saved_image_loads_back_from_stdin_as_the_same_image(string compression)
    {
        await _ws.ImportBusyboxAsync("busybox:1", "-c", "CMD [\"sh\"]");
        string archive = _ws.Scratch.PathOf("busybox.tar");
        await _ws.Strata.OkAsync("save", "-o", archive, "busybox:1");
        string input = compression switch
        {
            "pigz" => await CompressAsync(Tools.Pigz, archive, archive + ".gz"),
            "zstd" => await CompressAsync(Tools.Zstd, archive, archive + ".zst"),
            _ => archive,
        };
        var target = _ws.OtherStore("target");

        var load = await target.RunAsync(["load"], new RunOptions { StdinFile = input });

        Assert.Equal("Loaded image: busybox:1\n", load.EnsureSuccess().Stdout);
        Assert.Equal(
            await _ws.Strata.OkAsync("inspect", "--format", IdAndLayers, "busybox:1"),
            await target.OkAsync("inspect", "--format", IdAndLayers, "busybox:1"));
        Assert.Equal(await _ws.Strata.OkAsync("history", "busybox:1"), await target.OkAsync("history", "busybox:1"));
    }

    public void Dispose() => _ws.Dispose();

    private static async Task<string> CompressAsync(string tool, string input, string output)
    {
        // Both tools write the compressed stream to stdout with -c; the shell sends it to the file.
        (await ProcessRunner.RunAsync("/bin/sh", ["-c", "\"$0\" -q -c \"$1\" > \"$2\"", Tools.Require(tool), input, output], new RunOptions())).EnsureSuccess();
        return output;
    }
}
