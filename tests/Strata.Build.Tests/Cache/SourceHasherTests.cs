using Strata.Build.Cache;
using Strata.Build.Context;
using Strata.Core.Unix;

namespace Strata.Build.Tests.Cache;

public sealed class SourceHasherTests : IDisposable
{
    private const string EmptySha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private readonly TempDir _tempDir = new("strata-hash-");

    public SourceHasherTests()
    {
        Directory.CreateDirectory(Path.Combine(_tempDir.Path, "src", "lib"));
        File.WriteAllText(Path.Combine(_tempDir.Path, "package.json"), "{}");
        File.WriteAllText(Path.Combine(_tempDir.Path, "src", "app.js"), "");
        File.WriteAllText(Path.Combine(_tempDir.Path, "src", "lib", "b.js"), "bb");
        File.WriteAllText(Path.Combine(_tempDir.Path, "secret.env"), "TOKEN=1");
        File.CreateSymbolicLink(Path.Combine(_tempDir.Path, "src", "link"), "app.js");
    }

    public void Dispose() => _tempDir.Dispose();

    private Task<List<SourceFile>> Hash(string[] sources, StatIndex? index = null, string[]? ignore = null, string[]? excludes = null) =>
        SourceHasher.HashAsync(_tempDir.Path, ignore is null ? null : new PatternMatcher(ignore), sources, excludes ?? [], withOwners: false, index, CancellationToken.None);

    [Fact]
    public async Task A_directory_source_selects_every_entry_under_it_with_type_mode_size_hash_and_link_target()
    {
        var files = await Hash(["src"]);

        Assert.Equal(["src", "src/app.js", "src/lib", "src/lib/b.js", "src/link"], files.Select(f => f.Path));
        var app = files.Single(f => f.Path == "src/app.js");
        Assert.Equal(("file", 0L, EmptySha), (app.Type, app.Size, app.Sha256));
        Assert.Equal(("symlink", "app.js"), (files.Single(f => f.Path == "src/link").Type, files.Single(f => f.Path == "src/link").LinkTarget));
        Assert.Equal("dir", files[0].Type);
    }

    [Fact]
    public async Task Dockerignored_and_excluded_files_are_not_part_of_the_selection()
    {
        var files = await Hash(["."], ignore: ["secret.env"], excludes: ["src/lib"]);

        Assert.Equal(["", "package.json", "src", "src/app.js", "src/link"], files.Select(f => f.Path));
    }

    [Fact]
    public async Task A_wildcard_selects_only_the_matching_files()
    {
        var files = await Hash(["*.json"]);

        Assert.Equal("package.json", Assert.Single(files).Path);
    }

    [Fact]
    public async Task Touch_keeps_the_checksum_and_chmod_changes_the_mode()
    {
        var before = await Hash(["package.json"]);
        File.SetLastWriteTimeUtc(Path.Combine(_tempDir.Path, "package.json"), DateTime.UtcNow.AddHours(1));
        var touched = await Hash(["package.json"]);
        Libc.Chmod(Path.Combine(_tempDir.Path, "package.json"), 0x1ED);
        var chmodded = await Hash(["package.json"]);

        Assert.Equal(before, touched);
        Assert.Equal(before[0].Sha256, chmodded[0].Sha256);
        Assert.Equal(0x1EDu, chmodded[0].Mode);
        Assert.NotEqual(before[0].Mode, chmodded[0].Mode);
    }

    [Fact]
    public async Task An_unchanged_file_is_taken_from_the_stat_index_without_reading_it()
    {
        var path = Path.Combine(_tempDir.Path, "package.json");
        // A planted hash no read could produce proves the file was not read.
        var index = new StatIndex(_tempDir.Path, [new("package.json", StatIndex.Of(Libc.Lstat(path), "planted"))]);

        var files = await Hash(["package.json"], index);

        Assert.Equal("planted", files[0].Sha256);
        Assert.Empty(index.Changed);
    }

    [Fact]
    public async Task A_file_whose_stat_changed_is_hashed_again_and_its_entry_replaced()
    {
        var path = Path.Combine(_tempDir.Path, "package.json");
        var index = new StatIndex(_tempDir.Path, [new("package.json", StatIndex.Of(Libc.Lstat(path), "planted"))]);
        File.WriteAllText(path, "{\"a\":1}");

        var files = await Hash(["package.json"], index);

        Assert.NotEqual("planted", files[0].Sha256);
        Assert.Equal(files[0].Sha256, index.Changed["package.json"].Sha256);
        Assert.Equal(files[0].Sha256, index.TryGet("package.json", Libc.Lstat(path)));
    }
}
