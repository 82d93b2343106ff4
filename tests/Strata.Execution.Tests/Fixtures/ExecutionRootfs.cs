namespace Strata.Execution.Tests.Fixtures;

/// <summary>
/// The tiny root filesystem of these tests, built by the harness's <see cref="BusyboxRootfs"/>:
/// the static busybox, the applets the tests call as symlinks, and an /etc with passwd and group.
/// Deliberately no /proc, /dev, /sys, /tmp or /etc/hosts: the runtime must create those mount
/// points, and the executor must take them away again.
/// </summary>
internal static class ExecutionRootfs
{
    private static readonly BusyboxRootfs Spec = new()
    {
        Applets = ["sh", "echo", "cat", "id", "ls", "hostname", "mount", "touch", "env", "pwd", "sleep", "yes", "head", "grep", "wc", "true", "mkdir", "mv", "ln", "rm"],
        Files =
        [
            new("etc/passwd", "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n"),
            new("etc/group", "root:x:0:\napp:x:1000:\n"),
        ],
    };

    public static string Create(string path) => Spec.Create(path);
}
