using System.Diagnostics;
using Strata.Archive;
using Strata.Containers;
using Strata.Core.Unix;

namespace Strata.Containers.Tests.Containers;

/// <summary>
/// <see cref="ContainerDiff"/> over hand-made upper and lower trees. Whiteout devices and trusted
/// xattrs need root, which these tests require (as the suite does): not root fails, never skips.
/// </summary>
public sealed class ContainerDiffTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-cdiff-");

    private string Upper => Path.Combine(_tempDir.Path, "upper");
    private string Lower => Path.Combine(_tempDir.Path, "lower");

    public ContainerDiffTests()
    {
        Directory.CreateDirectory(Path.Combine(Lower, "etc"));
        Directory.CreateDirectory(Path.Combine(Lower, "a-b"));
        Directory.CreateDirectory(Path.Combine(Lower, "a"));
        Directory.CreateDirectory(Path.Combine(Lower, "opq", "sub"));
        File.WriteAllText(Path.Combine(Lower, "etc", "motd"), "x");
        File.WriteAllText(Path.Combine(Lower, "etc", "gone"), "x");
        File.WriteAllText(Path.Combine(Lower, "opq", "old"), "x");
        Directory.CreateDirectory(Upper);
    }

    private static void Whiteout(string path)
    {
        using var p = Process.Start("mknod", [path, "c", "0", "0"])!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    [Fact]
    public void Whiteouts_are_D_lower_entries_C_new_ones_A_in_walk_order()
    {
        Directory.CreateDirectory(Path.Combine(Upper, "etc"));
        File.WriteAllText(Path.Combine(Upper, "etc", "motd"), "xy");
        Whiteout(Path.Combine(Upper, "etc", "gone"));
        Directory.CreateDirectory(Path.Combine(Upper, "a"));
        File.WriteAllText(Path.Combine(Upper, "a", "x"), "");
        Directory.CreateDirectory(Path.Combine(Upper, "a-b"));
        File.WriteAllText(Path.Combine(Upper, "a-b", "y"), "12345");

        var lines = ContainerDiff.Compute(Upper, Lower).Select(c => $"{c.Letter} {c.Path} {c.Size}");
        // Go's filepath.Walk: "a" and its contents before "a-b".
        Assert.Equal(["C /a 0", "A /a/x 0", "C /a-b 0", "A /a-b/y 5", "C /etc 0", "D /etc/gone 0", "C /etc/motd 2"], lines);
    }

    [Fact]
    public void An_opaque_directory_is_C_its_new_entries_A_and_lower_entries_it_does_not_hold_D()
    {
        var opq = Path.Combine(Upper, "opq");
        Directory.CreateDirectory(Path.Combine(opq, "sub"));
        File.WriteAllText(Path.Combine(opq, "sub", "f"), "1");
        Libc.Lsetxattr(opq, Whiteouts.OverlayOpaqueXattr, "y"u8);
        var lines = ContainerDiff.Compute(Upper, Lower).Select(c => $"{c.Letter} {c.Path}");
        // docker compares the merged trees: /opq/sub exists in both (same mode), so it is C only
        // for holding a change, and /opq/old, hidden by the opaque directory, is deleted.
        Assert.Equal(["C /opq", "D /opq/old", "C /opq/sub", "A /opq/sub/f"], lines);
    }

    [Fact]
    public void A_file_copied_up_without_a_change_is_not_a_change()
    {
        Directory.CreateDirectory(Path.Combine(Upper, "etc"));
        File.Copy(Path.Combine(Lower, "etc", "motd"), Path.Combine(Upper, "etc", "motd"));
        // overlay's copy-up keeps the exact mtime (DateTime would lose the last nanosecond digits).
        var lower = Libc.Lstat(Path.Combine(Lower, "etc", "motd"));
        Libc.Lutimes(Path.Combine(Upper, "etc", "motd"), lower.MtimeSeconds, lower.MtimeNanoseconds);
        Assert.Empty(ContainerDiff.Compute(Upper, Lower));
    }

    [Fact]
    public void An_empty_upper_directory_has_no_changes()
    {
        Assert.Empty(ContainerDiff.Compute(Upper, Lower));
    }

    [Fact]
    public void Mount_points_and_files_the_runtime_creates_are_hidden_as_docker_hides_its_init_layer()
    {
        // The image has /etc but no /dev, /proc or /sys; runc made the mount points and the empty
        // files it binds /etc/hosts, /etc/hostname and /etc/resolv.conf over.
        foreach (var dir in new[] { "dev/pts", "dev/shm", "proc", "sys" }) Directory.CreateDirectory(Path.Combine(Upper, dir));
        Directory.CreateDirectory(Path.Combine(Upper, "etc"));
        foreach (var file in new[] { "etc/hosts", "etc/hostname", "etc/resolv.conf" }) File.WriteAllText(Path.Combine(Upper, file), "");
        Assert.Empty(ContainerDiff.Compute(Upper, Lower));

        // A real change below one of them still shows, under the directory docker's init layer holds.
        File.WriteAllText(Path.Combine(Upper, "dev", "made"), "1");
        File.WriteAllText(Path.Combine(Upper, "etc", "new"), "22");
        var lines = ContainerDiff.Compute(Upper, Lower).Select(c => $"{c.Letter} {c.Path} {c.Size}");
        Assert.Equal(["C /dev 0", "A /dev/made 1", "C /etc 0", "A /etc/new 2"], lines);

        // Elsewhere the same names are ordinary new entries.
        Directory.CreateDirectory(Path.Combine(Upper, "srv", "proc"));
        Assert.Contains("A /srv/proc", ContainerDiff.Compute(Upper, Lower).Select(c => $"{c.Letter} {c.Path}"));
    }

    public void Dispose() => _tempDir.Dispose();
}
