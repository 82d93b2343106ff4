using Strata.Build.Cache;
using Strata.Build.FileOps;

namespace Strata.Build.Tests.FileOps;

/// <summary>
/// COPY --exclude selects the same files in the copy and in the cache key (a file the copy takes
/// but the key leaves out would let a stale layer hit), with BuildKit's rule: patterns match a
/// path relative to each copied source, <c>**</c> spans directories and <c>!</c> re-includes.
/// </summary>
public sealed class ExcludeSelectionTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-exclude-");

    private readonly string _context;

    public ExcludeSelectionTests()
    {
        _context = Path.Combine(_tempDir.Path, "context");
        foreach (var file in new[] { "src/a.txt", "src/x.log", "src/keep.log", "src/sub/y.log", "src/sub/d.txt", "src/skip/z.txt", "src/skip/keep/k.txt" })
        {
            var path = Path.Combine(_context, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file);
        }
    }

    public void Dispose() => _tempDir.Dispose();

    [Theory]
    [InlineData("src/", "**/*.log,!keep.log", "a.txt keep.log skip/keep/k.txt skip/z.txt sub/d.txt")]
    [InlineData("src/", "skip,!skip/keep", "a.txt keep.log sub/d.txt sub/y.log x.log skip/keep/k.txt")]
    [InlineData("src/sub", "*.log", "d.txt")]
    [InlineData("src/*", "sub/d.txt,*.log", "a.txt d.txt keep.log x.log k.txt z.txt")]
    public async Task Copy_and_cache_key_select_the_same_files(string source, string patterns, string expected)
    {
        var excludes = patterns.Split(',');
        var target = Path.Combine(_tempDir.Path, "target-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(target);

        await FileCopier.CopyAsync(new CopyRequest { SourceRoot = _context, Sources = [source], Destination = "/out/", Excludes = excludes }, target, CancellationToken.None);
        var hashed = await SourceHasher.HashAsync(_context, null, [source], excludes, withOwners: false, null, CancellationToken.None);

        var copied = Directory.EnumerateFiles(Path.Combine(target, "out"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Path.Combine(target, "out"), f)).Order(StringComparer.Ordinal).ToList();
        var want = expected.Split(' ');
        // src/* copies each match's contents into /out, so nested names lose their match's folder.
        if (source.EndsWith('*')) Assert.Equal(want.Order(StringComparer.Ordinal), copied.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        else Assert.Equal(want.Order(StringComparer.Ordinal), copied);
        var hashedFiles = hashed.Where(f => f.Type == "file").Select(f => Path.GetFileName(f.Path)).Order(StringComparer.Ordinal);
        Assert.Equal(copied.Select(Path.GetFileName).Order(StringComparer.Ordinal), hashedFiles);
    }
}
