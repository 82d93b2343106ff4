using Strata.Core.Unix;

namespace Strata.Core.Tests.Unix;

public sealed class FlockTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-flock-");

    public void Dispose() => _tempDir.Dispose();

    [Fact]
    public void Exclusive_flock_is_refused_to_a_second_handle_until_the_first_is_closed()
    {
        var path = Path.Combine(_tempDir.Path, "lock");
        var first = Libc.OpenLockFile(path, create: true);
        using var second = Libc.OpenLockFile(path, create: false);

        Assert.True(Libc.TryFlockExclusive(first, path));
        Assert.False(Libc.TryFlockExclusive(second, path));
        first.Dispose();
        Assert.True(Libc.TryFlockExclusive(second, path));
    }

    [Fact]
    public void Opening_a_missing_lock_file_without_create_names_the_path()
    {
        var path = Path.Combine(_tempDir.Path, "missing");

        var error = Assert.Throws<UnixException>(() => Libc.OpenLockFile(path, create: false));

        Assert.Equal(Libc.Enoent, error.Errno);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
