using Strata.Build.Context;
using Strata.Build.FileOps;
using Strata.Core;
using Strata.Core.Unix;

namespace Strata.Build.Tests.FileOps;

public sealed class FileCopierTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-copy-");

    private readonly string _context;
    private readonly string _target;

    public FileCopierTests()
    {
        _context = Path.Combine(_tempDir.Path, "context");
        _target = Path.Combine(_tempDir.Path, "rootfs");
        Directory.CreateDirectory(Path.Combine(_context, "src", "lib"));
        Directory.CreateDirectory(_target);
        File.WriteAllText(Path.Combine(_context, "app.js"), "app");
        File.WriteAllText(Path.Combine(_context, "package.json"), "{}");
        File.WriteAllText(Path.Combine(_context, "src", "a.txt"), "a");
        File.WriteAllText(Path.Combine(_context, "src", "lib", "b.txt"), "bb");
        File.WriteAllText(Path.Combine(_context, "secret.env"), "TOKEN=1");
        File.CreateSymbolicLink(Path.Combine(_context, "src", "link"), "a.txt");
    }

    public void Dispose() => _tempDir.Dispose();

    private Task<int> Copy(string[] sources, string dest, string workdir = "/", string? chmod = null, (uint, uint)? owner = null, string[]? ignore = null) =>
        FileCopier.CopyAsync(new CopyRequest
        {
            SourceRoot = _context,
            Sources = sources,
            Destination = dest,
            WorkingDir = workdir,
            Chmod = chmod,
            Owner = owner,
            Ignore = ignore is null ? null : new PatternMatcher(ignore),
        }, _target, CancellationToken.None);

    private string T(string path) => Path.Combine(_target, path.TrimStart('/'));

    [Fact]
    public async Task A_directory_source_copies_its_contents_not_itself()
    {
        await Copy(["src/"], "/dst/");
        Assert.Equal("a", File.ReadAllText(T("dst/a.txt")));
        Assert.Equal("bb", File.ReadAllText(T("dst/lib/b.txt")));
        Assert.False(Directory.Exists(T("dst/src")));
        Assert.Equal("a.txt", new FileInfo(T("dst/link")).LinkTarget);
    }

    [Fact]
    public async Task A_file_goes_into_a_slash_destination_or_becomes_the_named_file()
    {
        await Copy(["app.js"], "/app/");
        await Copy(["app.js"], "/opt/renamed.js");
        await Copy(["app.js"], ".", workdir: "/work");
        Assert.True(File.Exists(T("app/app.js")));
        Assert.True(File.Exists(T("opt/renamed.js")));
        Assert.True(File.Exists(T("work/app.js")));
    }

    [Fact]
    public async Task Wildcards_expand_and_several_sources_need_a_directory()
    {
        int n = await Copy(["*.js*", "package.json"], "/app/");
        Assert.Equal(3, n);
        Assert.True(File.Exists(T("app/app.js")));
        Assert.True(File.Exists(T("app/package.json")));
    }

    [Fact]
    public async Task A_missing_or_ignored_source_is_an_error_naming_it()
    {
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => Copy(["nope.txt"], "/x"));
        Assert.Contains("\"/nope.txt\": not found", missing.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotFoundException>(() => Copy(["secret.env"], "/x", ignore: ["*.env"]));
    }

    [Fact]
    public async Task Ignored_files_inside_a_copied_directory_are_left_out()
    {
        await Copy(["."], "/all/", ignore: ["*.env", "src/lib"]);
        Assert.True(File.Exists(T("all/app.js")));
        Assert.False(File.Exists(T("all/secret.env")));
        Assert.True(File.Exists(T("all/src/a.txt")));
        Assert.False(Directory.Exists(T("all/src/lib")));
    }

    [Fact]
    public async Task Owners_default_to_root_and_chown_and_chmod_apply_to_files_and_created_dirs()
    {
        await Copy(["app.js"], "/new/deep/", owner: (1000, 1001), chmod: "u=rw,go=r");
        var file = Libc.Lstat(T("new/deep/app.js"));
        var dir = Libc.Lstat(T("new/deep"));
        Assert.Equal((1000, 1001), (file.Uid, file.Gid));
        Assert.Equal(0x1A4u, file.Permissions);
        Assert.Equal((1000, 1001), (dir.Uid, dir.Gid));
        Assert.Equal(0x1EDu, dir.Permissions);
    }

    [Fact]
    public async Task A_symlink_in_the_destination_path_is_resolved_inside_the_root()
    {
        var outside = Path.Combine(_tempDir.Path, "outside");
        Directory.CreateDirectory(outside);
        File.CreateSymbolicLink(T("escape"), outside);
        File.CreateSymbolicLink(T("up"), "../../..");

        await Copy(["app.js"], "/escape/");
        await Copy(["package.json"], "/up/tmp/");

        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.True(File.Exists(T(outside.TrimStart('/') + "/app.js")));
        Assert.True(File.Exists(T("tmp/package.json")));
    }

    [Theory]
    [InlineData("755", 0x1A4u, false, 0x1EDu)]
    [InlineData("u+x", 0x1A4u, false, 0x1E4u)]
    [InlineData("go-r", 0x1A4u, false, 0x180u)]
    [InlineData("a+X", 0x1A4u, true, 0x1EDu)]
    [InlineData("a+X", 0x1A4u, false, 0x1A4u)]
    [InlineData("g=u", 0x1C0u, false, 0x1F8u)]
    public void Symbolic_and_octal_modes_work_like_chmod(string spec, uint before, bool isDir, uint after)
    {
        Assert.Equal(after, ModeSpec.Apply(spec, before, isDir));
    }
}
