using Strata.Build.Context;
using Strata.Build.FileOps;
using Strata.Core.Unix;

namespace Strata.Build.Tests.FileOps;

/// <summary>
/// A tree big enough for the parallel file copy (DeferredCopies): every file keeps its bytes,
/// mode and mtime and gets the --chown owner, hard links stay linked, and each directory's
/// mtime is the source's even though files were created in it after the walk.
/// </summary>
public sealed class FileCopierManyFilesTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-copy-many-");

    private readonly string _context;
    private readonly string _target;

    public FileCopierManyFilesTests()
    {
        _context = Path.Combine(_tempDir.Path, "context");
        _target = Path.Combine(_tempDir.Path, "rootfs");
        Directory.CreateDirectory(_target);
        for (int d = 0; d < 5; d++)
        {
            var dir = Path.Combine(_context, "tree", $"d{d}", "sub");
            Directory.CreateDirectory(dir);
            for (int f = 0; f < 40; f++)
            {
                var path = Path.Combine(dir, $"f{f}.txt");
                File.WriteAllText(path, new string((char)('a' + f % 26), f * 37 + d));
                Libc.Chmod(path, f % 3 == 0 ? 0x1EDu : f % 3 == 1 ? 0x1A4u : 0x180u);
                Libc.Lutimes(path, 1_600_000_000 + f * 61 + d, 123_000_000);
            }
            Libc.Lutimes(dir, 1_500_000_000 + d, 0);
            Libc.Lutimes(Path.GetDirectoryName(dir)!, 1_500_000_100 + d, 0);
        }
        File.WriteAllText(Path.Combine(_context, "tree", "linked"), "same inode");
        Libc.Link(Path.Combine(_context, "tree", "linked"), Path.Combine(_context, "tree", "d0", "linked-too"));
        File.WriteAllText(Path.Combine(_context, "tree", "d1", "ignored.log"), "no");
    }

    public void Dispose() => _tempDir.Dispose();

    [Fact]
    public async Task Every_file_keeps_content_mode_and_mtime_and_directories_keep_their_mtime()
    {
        int copied = await FileCopier.CopyAsync(new CopyRequest
        {
            SourceRoot = _context,
            Sources = ["tree"],
            Destination = "/out/",
            WorkingDir = "/",
            Owner = (1234u, 5678u),
            Ignore = new PatternMatcher(["**/*.log"]),
        }, _target, CancellationToken.None);

        Assert.Equal(5 * 40 + 2, copied);
        var source = Path.Combine(_context, "tree");
        var target = Path.Combine(_target, "out");
        foreach (var file in Directory.EnumerateFiles(source, "*.txt", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(target, Path.GetRelativePath(source, file));
            var (s, t) = (Libc.Lstat(file), Libc.Lstat(copy));
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(copy));
            Assert.Equal(s.Permissions, t.Permissions);
            Assert.Equal((s.MtimeSeconds, s.MtimeNanoseconds), (t.MtimeSeconds, t.MtimeNanoseconds));
            Assert.Equal((1234, 5678), ((int)t.Uid, (int)t.Gid));
        }
        foreach (var dir in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            var copy = Libc.Lstat(Path.Combine(target, Path.GetRelativePath(source, dir)));
            Assert.Equal(Libc.Lstat(dir).MtimeSeconds, copy.MtimeSeconds);
            Assert.Equal((1234, 5678), ((int)copy.Uid, (int)copy.Gid));
        }
        Assert.False(File.Exists(Path.Combine(target, "d1", "ignored.log")));
        var (a, b) = (Libc.Lstat(Path.Combine(target, "linked")), Libc.Lstat(Path.Combine(target, "d0", "linked-too")));
        Assert.Equal(a.Inode, b.Inode);
    }
}
