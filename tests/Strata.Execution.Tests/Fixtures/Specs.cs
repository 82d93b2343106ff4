namespace Strata.Execution.Tests.Fixtures;

/// <summary>Container specs as a RUN step would make them: root, PATH set, network none.</summary>
internal static class Specs
{
    public const string PathEnv = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    public static ContainerSpec Run(string rootfs, params string[] args) => new(
        "t-" + Guid.NewGuid().ToString("N")[..12],
        rootfs,
        new ProcessSpec(args, [PathEnv], "/", ProcessUser.Root),
        [],
        NetworkMode.None,
        "strata-test");

    public static ContainerSpec Shell(string rootfs, string script) => Run(rootfs, "/bin/sh", "-c", script);
}
