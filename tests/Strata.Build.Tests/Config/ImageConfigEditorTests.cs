using Strata.Build.Config;
using Strata.Dockerfile;
using Strata.Dockerfile.Instructions;
using Strata.Oci;

namespace Strata.Build.Tests.Config;

public sealed class ImageConfigEditorTests
{
    private static ContainerConfig Apply(string dockerfileBody, ContainerConfig? start = null)
    {
        var stage = DockerfileFrontend.ParseAndExpand("FROM scratch\n" + dockerfileBody).Stages[0];
        var config = start ?? new ContainerConfig();
        bool cmdSet = false;
        foreach (var instruction in stage.Steps.Select(s => s.Instruction))
        {
            config = ImageConfigEditor.Apply(config, instruction, cmdSet);
            cmdSet |= instruction is CmdInstruction;
        }
        return config;
    }

    [Fact]
    public void Shell_form_commands_run_through_the_default_or_declared_shell()
    {
        Assert.Equal(["/bin/sh", "-c", "node app.js"], Apply("CMD node app.js").Cmd);
        Assert.Equal(["/bin/bash", "-o", "pipefail", "-c", "run it"], Apply("SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nENTRYPOINT run it").Entrypoint);
        Assert.Equal(["node", "app.js"], Apply("CMD [\"node\", \"app.js\"]").Cmd);
    }

    [Fact]
    public void Entrypoint_clears_an_inherited_cmd_but_keeps_one_from_the_same_stage()
    {
        var inherited = new ContainerConfig { Cmd = ["sh"] };
        Assert.Null(Apply("ENTRYPOINT [\"/app\"]", inherited).Cmd);
        Assert.Equal(["--help"], Apply("CMD [\"--help\"]\nENTRYPOINT [\"/app\"]", inherited).Cmd);
    }

    [Fact]
    public void Env_replaces_existing_keys_in_place_and_appends_new_ones()
    {
        var config = Apply("ENV B=2 A=3\nENV C 4", new ContainerConfig { Env = ["PATH=/bin", "A=1"] });
        Assert.Equal(["PATH=/bin", "A=3", "B=2", "C=4"], config.Env);
    }

    [Fact]
    public void Expose_labels_and_volumes_merge_with_what_the_base_has()
    {
        var config = Apply("EXPOSE 80 53/UDP\nLABEL a=1 \"b c\"=2\nVOLUME /data /logs", new ContainerConfig { Labels = new Dictionary<string, string> { ["a"] = "0", ["z"] = "9" } });
        Assert.Equal(["53/udp", "80/tcp"], config.ExposedPorts!.Keys);
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b c"] = "2", ["z"] = "9" }, config.Labels);
        Assert.Equal(["/data", "/logs"], config.Volumes!.Keys);
    }

    [Theory]
    [InlineData("/", "app", "/app")]
    [InlineData("/app", "src/../lib", "/app/lib")]
    [InlineData("/app", "/abs//x/", "/abs/x")]
    [InlineData(null, "rel", "/rel")]
    public void Workdir_resolves_relative_paths_against_the_current_one(string? current, string path, string expected)
    {
        Assert.Equal(expected, ImageConfigEditor.ResolveWorkdir(current, path));
    }

    [Fact]
    public void Healthcheck_user_stopsignal_and_onbuild_are_recorded_as_docker_writes_them()
    {
        var config = Apply("HEALTHCHECK --interval=30s --retries=3 CMD curl -f http://localhost/\nUSER node\nSTOPSIGNAL SIGQUIT\nONBUILD RUN echo hi");
        Assert.Equal(["CMD-SHELL", "curl -f http://localhost/"], config.Healthcheck!.Test);
        Assert.Equal(30_000_000_000L, config.Healthcheck.Interval);
        Assert.Equal(3, config.Healthcheck.Retries);
        Assert.Equal("node", config.User);
        Assert.Equal("SIGQUIT", config.StopSignal);
        Assert.Equal(["RUN echo hi"], config.OnBuild);
    }

    [Fact]
    public void Filesystem_instructions_are_refused()
    {
        var run = DockerfileFrontend.Parse("FROM scratch\nRUN true").Stages[0].Instructions[0];
        Assert.False(ImageConfigEditor.IsMetadataOnly(run));
        Assert.Throws<Strata.Core.InvalidArgumentException>(() => ImageConfigEditor.Apply(new ContainerConfig(), run, false));
    }
}
