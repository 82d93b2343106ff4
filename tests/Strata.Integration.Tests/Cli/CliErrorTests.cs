using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Cli;

/// <summary>
/// What a user sees when a command cannot do its job: exactly one line on stderr that starts
/// with "Error:" and names the image, path or archive at fault, a non-zero exit code that is
/// not 125 (the runner fails any 125 as a bug), and a store that still checks clean.
/// </summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly Workspace _ws = new();

    [Fact]
    public async Task A_missing_image_is_named_by_history_inspect_save_unpack_and_rmi()
    {
        await _ws.ImportBusyboxAsync("busybox:1");
        string saved = _ws.Scratch.PathOf("never.tar");

        await AssertFailsCleanlyAsync(await _ws.Strata.RunAsync("history", "nope:1"), "Error: No such image: nope:1");
        await AssertFailsCleanlyAsync(await _ws.Strata.RunAsync("inspect", "nope:1"), "Error: No such image: nope:1", expectedStdout: "[]\n");
        await AssertFailsCleanlyAsync(await _ws.Strata.RunAsync("save", "-o", saved, "nope:1"), "Error: No such image: nope:1");
        Assert.False(File.Exists(saved), "a failed save must not leave an archive behind");
        await AssertFailsCleanlyAsync(await _ws.Strata.RunAsync("image", "unpack", "nope:1", _ws.Scratch.PathOf("unpacked")), "Error: No such image: nope:1");
        await AssertFailsCleanlyAsync(await _ws.Strata.RunAsync("rmi", "nope:1"), "Error: No such image: nope:1");
        Assert.Equal("busybox:1\n", await _ws.Strata.OkAsync("images", "--format", "{{.Repository}}:{{.Tag}}"));
    }

    [Fact]
    public async Task A_bad_reference_is_rejected_by_import_and_tag_with_the_reference_named()
    {
        await _ws.ImportBusyboxAsync("busybox:1");

        await AssertFailsCleanlyAsync(await _ws.Strata.RunAsync("import", _ws.Rootfs, "Busybox:1"),
            "Error: invalid reference format \"Busybox:1\": repository name must be lowercase");
        await AssertFailsCleanlyAsync(await _ws.Strata.RunAsync("tag", "busybox:1", "busybox:a:b"),
            "Error: invalid reference format \"busybox:a:b\": bad path component \"busybox:a\"");
        Assert.Equal("busybox:1\n", await _ws.Strata.OkAsync("images", "--format", "{{.Repository}}:{{.Tag}}"));
    }

    [Fact]
    public async Task A_truncated_archive_fails_to_load_naming_the_archive_and_leaves_nothing_behind()
    {
        await _ws.ImportBusyboxAsync("busybox:1");
        string archive = _ws.Scratch.PathOf("busybox.tar");
        await _ws.Strata.OkAsync("save", "-o", archive, "busybox:1");
        string truncated = _ws.Scratch.PathOf("truncated.tar");
        var bytes = await File.ReadAllBytesAsync(archive);
        await File.WriteAllBytesAsync(truncated, bytes[..(bytes.Length / 2)]);
        var fresh = _ws.OtherStore("fresh");

        var result = await fresh.RunAsync("load", "-i", truncated);

        StrataExit.AssertFailed(result.ExitCode, result.ToString());
        Assert.Matches($"^Error: {Escape(truncated)}: tar member at offset [0-9]+ is truncated\n$", result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.Equal("", await fresh.OkAsync("images", "-q"));
        await AssertFreshStoreChecksCleanAsync(fresh);
    }

    [Fact]
    public async Task A_layer_whose_bytes_were_changed_fails_to_load_naming_the_archive_and_the_layer()
    {
        await _ws.ImportBusyboxAsync("busybox:1");
        string archive = _ws.Scratch.PathOf("busybox.tar");
        await _ws.Strata.OkAsync("save", "-o", archive, "busybox:1");
        string layer = await LayerDigestAsync(archive);
        string corrupt = _ws.Scratch.PathOf("corrupt.tar");
        var bytes = await File.ReadAllBytesAsync(archive);
        // The layer blob's member header holds its name; its data starts at the next 512-byte block.
        int header = IndexOf(bytes, System.Text.Encoding.ASCII.GetBytes("blobs/sha256/" + layer[7..]));
        bytes[header + 512 + 4096] ^= 0xff;
        await File.WriteAllBytesAsync(corrupt, bytes);
        var fresh = _ws.OtherStore("fresh");

        var result = await fresh.RunAsync("load", "-i", corrupt);

        StrataExit.AssertFailed(result.ExitCode, result.ToString());
        Assert.Matches($"^Error: {Escape(corrupt)}: blobs/sha256/{layer[7..]}: digest mismatch: expected {layer}, got sha256:[0-9a-f]{{64}}\n$", result.Stderr);
        Assert.Equal("", await fresh.OkAsync("images", "-q"));
        await AssertFreshStoreChecksCleanAsync(fresh);
    }

    [Fact]
    public async Task Loading_a_file_that_is_not_an_archive_or_does_not_exist_fails_naming_it()
    {
        await _ws.ImportBusyboxAsync("busybox:1");
        string text = _ws.Scratch.PathOf("notes.txt");
        await File.WriteAllTextAsync(text, "not an image\n");
        string missing = _ws.Scratch.PathOf("missing.tar");

        await AssertFailsCleanlyAsync(await _ws.Strata.RunAsync("load", "-i", text), $"Error: {text}: not an image archive (no manifest.json or index.json)");
        await AssertFailsCleanlyAsync(await _ws.Strata.RunAsync(["load"], new RunOptions { StdinFile = text }), "Error: stdin: not an image archive (no manifest.json or index.json)");
        await AssertFailsCleanlyAsync(await _ws.Strata.RunAsync("load", "-i", missing), $"Error: open {missing}: no such file or directory");
    }

    [Fact]
    public async Task Unpacking_into_a_directory_that_is_not_empty_fails_and_leaves_it_as_it_was()
    {
        await _ws.ImportBusyboxAsync("busybox:1");
        string target = _ws.Scratch.NewDir("target");
        await File.WriteAllTextAsync(Path.Combine(target, "keep.txt"), "mine\n");

        await AssertFailsCleanlyAsync(await _ws.Strata.RunAsync("image", "unpack", "busybox:1", target), $"Error: unpack target {target} is not empty");

        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
        Assert.Equal("mine\n", await File.ReadAllTextAsync(Path.Combine(target, "keep.txt")));
    }

    [Fact]
    public async Task Importing_a_path_that_does_not_exist_fails_naming_the_path()
    {
        await _ws.ImportBusyboxAsync("busybox:1");
        string missing = _ws.Scratch.PathOf("no-such-rootfs");

        await AssertFailsCleanlyAsync(await _ws.Strata.RunAsync("import", missing, "other:1"), $"Error: import source {missing}: no such file or directory");

        Assert.Equal("busybox:1\n", await _ws.Strata.OkAsync("images", "--format", "{{.Repository}}:{{.Tag}}"));
    }

    [Fact]
    public async Task History_with_a_template_field_that_does_not_exist_fails_before_printing_anything()
    {
        await _ws.ImportBusyboxAsync("busybox:1");

        await AssertFailsCleanlyAsync(await _ws.Strata.RunAsync("history", "--format", "{{.Nope}}", "busybox:1"), "Error: template parsing error: template: :1:2: executing \"\" at <.Nope>: can't evaluate field Nope in type *image.historyContext");
    }

    public void Dispose() => _ws.Dispose();

    private async Task AssertFailsCleanlyAsync(ProcessResult result, string expectedStderr, string expectedStdout = "")
    {
        StrataExit.AssertFailed(result.ExitCode, result.ToString());
        Assert.Equal(expectedStderr + "\n", result.Stderr);
        Assert.Equal(expectedStdout, result.Stdout);
        await _ws.AssertCheckPassesAsync();
    }

    private static async Task AssertFreshStoreChecksCleanAsync(StrataCli store)
    {
        var check = await store.RunAsync("system", "check");
        Assert.Equal(0, check.ExitCode);
        Assert.Equal("checked 0 blobs, 0 images, 0 unpacked layers: 0 faults, 0 unused items\n", check.Stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(store.StoreRoot, "ingest")));
    }

    /// <summary>The one layer of a single-image archive, read from its manifest.json.</summary>
    private static async Task<string> LayerDigestAsync(string archive)
    {
        var manifest = await Tools.OkAsync(Tools.Tar, "-xOf", archive, "manifest.json");
        var layers = System.Text.Json.Nodes.JsonNode.Parse(manifest)![0]!["Layers"]!.AsArray();
        Assert.Single(layers);
        return "sha256:" + layers[0]!.GetValue<string>()["blobs/sha256/".Length..];
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        int at = haystack.AsSpan().IndexOf(needle);
        Assert.True(at >= 0, "member not found in the archive");
        return at;
    }

    private static string Escape(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
