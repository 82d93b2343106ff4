using Strata.Core;
using Strata.Execution.Rootless;

namespace Strata.Execution.Tests.Rootless;

/// <summary>
/// How a rootless user enters its namespace, from a fake /proc/sys, /etc/subuid and helper
/// directory: each refusal is one line naming the missing piece.
/// </summary>
public sealed class UserNamespacePlanTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-userns-plan-");

    public void Dispose() => _tempDir.Dispose();

    private UserNamespaceHost Host(string subuid = "alice:100000:65536\n", string subgid = "alice:200000:1000\n200:300000:10\n", params string[] tools)
    {
        string bin = Directory.CreateDirectory(Path.Combine(_tempDir.Path, "bin")).FullName;
        foreach (string tool in tools.Length == 0 ? ["unshare", "newuidmap", "newgidmap"] : tools) File.WriteAllText(Path.Combine(bin, tool), "");
        File.WriteAllText(Path.Combine(_tempDir.Path, "subuid"), subuid);
        File.WriteAllText(Path.Combine(_tempDir.Path, "subgid"), subgid);
        Directory.CreateDirectory(Path.Combine(_tempDir.Path, "sys", "user"));
        Directory.CreateDirectory(Path.Combine(_tempDir.Path, "sys", "kernel"));
        return new UserNamespaceHost
        {
            Uid = 1000, Gid = 200, UserName = "alice",
            SubuidFile = Path.Combine(_tempDir.Path, "subuid"), SubgidFile = Path.Combine(_tempDir.Path, "subgid"),
            ProcSys = Path.Combine(_tempDir.Path, "sys"), SearchDirectories = [bin],
        };
    }

    private void Sys(string file, string value) => File.WriteAllText(Path.Combine(_tempDir.Path, "sys", file), value + "\n");

    [Fact]
    public void The_user_is_root_and_its_ranges_follow_by_name_or_by_id()
    {
        var plan = UserNamespacePlan.Create(Host());

        Assert.Equal([new IdMapping(0, 1000, 1), new IdMapping(1, 100000, 65536)], plan.UidMappings);
        Assert.Equal([new IdMapping(0, 200, 1), new IdMapping(1, 200000, 1000), new IdMapping(1001, 300000, 10)], plan.GidMappings);
        Assert.Equal(Path.Combine(_tempDir.Path, "bin", "newuidmap"), plan.NewUidMap);
        Assert.Null(plan.Warning);
    }

    [Fact]
    public void Without_a_range_the_user_alone_is_mapped_and_the_warning_says_what_will_not_work()
    {
        var plan = UserNamespacePlan.Create(Host(subuid: "bob:100000:65536\n"));

        Assert.Equal([new IdMapping(0, 1000, 1)], plan.UidMappings);
        Assert.Equal([new IdMapping(0, 200, 1)], plan.GidMappings);
        Assert.Null(plan.NewUidMap);
        Assert.Equal($"warning: {_tempDir.Path}/subuid gives alice no subordinate range: only your own id is mapped (as root), so files owned by other users (a RUN chown, a package's own user) cannot be created", plan.Warning);
    }

    [Fact]
    public void Disabled_user_namespaces_are_refused_naming_the_switch()
    {
        var host = Host();
        Sys("user/max_user_namespaces", "0");
        var e = Assert.Throws<FailedPreconditionException>(() => UserNamespacePlan.Create(host));
        Assert.Equal($"user namespaces are disabled ({_tempDir.Path}/sys/user/max_user_namespaces is 0): rootless strata needs them", e.Message);

        Sys("user/max_user_namespaces", "15000");
        Sys("kernel/unprivileged_userns_clone", "0");
        e = Assert.Throws<FailedPreconditionException>(() => UserNamespacePlan.Create(host));
        Assert.Equal($"unprivileged user namespaces are disabled ({_tempDir.Path}/sys/kernel/unprivileged_userns_clone is 0): rootless strata needs them", e.Message);

        Sys("kernel/unprivileged_userns_clone", "1");
        Sys("kernel/apparmor_restrict_unprivileged_userns", "1");
        e = Assert.Throws<FailedPreconditionException>(() => UserNamespacePlan.Create(host));
        Assert.Equal($"AppArmor restricts unprivileged user namespaces ({_tempDir.Path}/sys/kernel/apparmor_restrict_unprivileged_userns is 1): rootless strata needs them", e.Message);
    }

    [Fact]
    public void A_range_without_newuidmap_is_refused_naming_the_package()
    {
        var e = Assert.Throws<FailedPreconditionException>(() => UserNamespacePlan.Create(Host(tools: ["unshare"])));

        Assert.Equal($"newuidmap is not installed (Debian package uidmap): it is needed to map the {_tempDir.Path}/subuid range of alice", e.Message);
    }

    [Fact]
    public void Without_unshare_nothing_can_enter_a_namespace()
    {
        var e = Assert.Throws<FailedPreconditionException>(() => UserNamespacePlan.Create(Host(tools: ["newuidmap"])));

        Assert.Equal("rootless strata needs unshare (Debian package util-linux) to enter a user namespace, and it is not installed", e.Message);
    }
}
