namespace Strata.Testing.Tests;

public sealed class TempDirTests
{
    [Fact]
    public void Dispose_deletes_the_directory_with_read_only_and_unsearchable_directories_inside()
    {
        var temp = new TempDir("strata-tempdir-test-");
        var locked = temp.NewDir("a", "locked");
        File.WriteAllText(Path.Combine(locked, "file"), "x");
        File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        File.SetUnixFileMode(temp.PathOf("a"), UnixFileMode.None);

        temp.Dispose();

        Assert.False(Directory.Exists(temp.Path));
    }

    [Fact]
    public void Dispose_never_follows_a_symlink_out_of_the_directory()
    {
        using var outside = new TempDir("strata-tempdir-outside-");
        File.WriteAllText(outside.PathOf("kept"), "kept");
        var temp = new TempDir("strata-tempdir-test-");
        File.CreateSymbolicLink(temp.PathOf("link"), outside.Path);

        temp.Dispose();

        Assert.False(Directory.Exists(temp.Path));
        Assert.Equal("kept", File.ReadAllText(outside.PathOf("kept")));
    }

    [Fact]
    public async Task Dispose_refuses_to_delete_through_a_mount_and_names_it()
    {
        var temp = new TempDir("strata-tempdir-test-");
        var point = temp.NewDir("mnt");
        (await ProcessRunner.RunAsync("/bin/mount", "-t", "tmpfs", "tmpfs", point)).EnsureSuccess();
        await File.WriteAllTextAsync(Path.Combine(point, "on-the-mount"), "x");
        try
        {
            var refused = Assert.Throws<InvalidOperationException>(temp.Dispose);

            Assert.Equal($"{temp.Path} still has mounts inside ({point}): the test must unmount them before its directory is deleted", refused.Message);
            Assert.True(File.Exists(Path.Combine(point, "on-the-mount")));
        }
        finally
        {
            (await ProcessRunner.RunAsync("/bin/umount", point)).EnsureSuccess();
        }
        temp.Dispose();
        Assert.False(Directory.Exists(temp.Path));
    }
}
