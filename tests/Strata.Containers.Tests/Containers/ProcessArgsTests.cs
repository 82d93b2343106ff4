using Strata.Containers;
using Strata.Core;
using Strata.Oci;

namespace Strata.Containers.Tests.Containers;

/// <summary>docker's rules for ENTRYPOINT, CMD, <c>--entrypoint</c> and run arguments, and for Env.</summary>
public sealed class ProcessArgsTests
{
    public static TheoryData<string[]?, string[]?, string?, string[], string[]> Cases => new()
    {
        // image entrypoint, image cmd, --entrypoint, run args -> argv
        { null, ["sh"], null, [], ["sh"] },
        { null, ["sh"], null, ["ls", "-l"], ["ls", "-l"] },
        { ["echo", "ep"], ["default"], null, [], ["echo", "ep", "default"] },
        { ["echo", "ep"], ["default"], null, ["given"], ["echo", "ep", "given"] },
        { ["echo", "ep"], ["default"], "cat", [], ["cat"] },
        { ["echo", "ep"], ["default"], "cat", ["/f"], ["cat", "/f"] },
        { ["echo", "ep"], ["default"], "", ["ls"], ["ls"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Argv_follows_docker(string[]? entrypoint, string[]? cmd, string? entrypointOption, string[] args, string[] expected)
    {
        var config = new ContainerConfig { Entrypoint = entrypoint, Cmd = cmd };
        var argv = ContainerManager.ProcessArgs(config, new ContainerRunOptions { Entrypoint = entrypointOption, Command = args });
        Assert.Equal(expected, argv);
    }

    [Fact]
    public void No_entrypoint_and_no_cmd_is_refused()
    {
        Assert.Throws<InvalidArgumentException>(() => ContainerManager.ProcessArgs(new ContainerConfig(), new ContainerRunOptions()));
    }

    [Fact]
    public void Env_options_replace_image_values_and_a_default_PATH_is_added()
    {
        var env = ContainerManager.Environment(["A=1", "B=2"], ["B=3", "C=4"]);
        Assert.Equal(["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "A=1", "B=3", "C=4"], env);
    }

    [Fact]
    public void The_image_PATH_is_kept()
    {
        Assert.Equal(["PATH=/x", "A=1"], ContainerManager.Environment(["PATH=/x"], ["A=1"]));
    }
}
