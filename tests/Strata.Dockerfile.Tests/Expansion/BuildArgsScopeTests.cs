using Strata.Core;
using Strata.Dockerfile.Expansion;
using Strata.Dockerfile.Instructions;

namespace Strata.Dockerfile.Tests.Expansion;

public sealed class BuildArgsScopeTests
{
    private static readonly Platform Amd64 = Platform.Parse("linux/amd64");

    private static ExpandedDockerfile Expand(string text, Dictionary<string, string>? args = null, string? target = null) =>
        DockerfileFrontend.ParseAndExpand(text, new BuildOptions
        {
            BuildArgs = args ?? [],
            Target = target,
            TargetPlatform = Platform.Parse("linux/arm64/v8"),
            BuildPlatform = Amd64,
        });

    private static IReadOnlyList<KeyValue> Labels(ExpandedDockerfile e, int stage = 0) =>
        e.Stages[stage].Stage.Instructions.OfType<LabelInstruction>().SelectMany(l => l.Labels).ToList();

    [Fact]
    public void Global_args_are_visible_in_FROM_only_until_redeclared()
    {
        var e = Expand("ARG V=1\nFROM img:$V\nLABEL a=$V\nARG V\nLABEL b=$V\n");
        Assert.Equal("img:1", e.Stages[0].Stage.BaseName);
        Assert.Equal(new[] { new KeyValue("a", ""), new KeyValue("b", "1") }, Labels(e));
    }

    [Fact]
    public void Build_args_override_defaults_everywhere()
    {
        var e = Expand("ARG V=1\nFROM img:$V\nARG V\nARG W=x\nLABEL v=$V w=$W\n", new() { ["V"] = "2", ["W"] = "y" });
        Assert.Equal("img:2", e.Stages[0].Stage.BaseName);
        Assert.Equal(new[] { new KeyValue("v", "2"), new KeyValue("w", "y") }, Labels(e));
    }

    [Fact]
    public void ENV_wins_over_ARG_whatever_the_order()
    {
        var e = Expand("FROM a\nARG X=arg\nENV X=env\nLABEL one=$X\nARG X=again\nLABEL two=$X\n", new() { ["X"] = "cli" });
        Assert.Equal(new[] { new KeyValue("one", "env"), new KeyValue("two", "env") }, Labels(e));
    }

    [Fact]
    public void Arg_defaults_and_env_values_expand_in_order()
    {
        var e = Expand("FROM a\nARG A=1\nARG B=${A}2\nENV C=${B}3 D=$C\nLABEL c=$C d=$D\n");
        // ENV k=v pairs on one line see the values from before the line, as BuildKit does.
        Assert.Equal(new[] { new KeyValue("c", "123"), new KeyValue("d", "") }, Labels(e));
    }

    [Fact]
    public void Predefined_platform_args_are_global_and_need_declaring_in_a_stage()
    {
        var e = Expand("FROM --platform=$BUILDPLATFORM img-$TARGETARCH\nLABEL before=$TARGETARCH\nARG TARGETARCH TARGETVARIANT BUILDOS\nLABEL arch=$TARGETARCH variant=$TARGETVARIANT os=$BUILDOS\n");
        var s = e.Stages[0].Stage;
        Assert.Equal(("img-arm64", "linux/amd64"), (s.BaseName, s.Platform));
        Assert.Equal(new[] { new KeyValue("before", ""), new KeyValue("arch", "arm64"), new KeyValue("variant", "v8"), new KeyValue("os", "linux") }, Labels(e));
    }

    [Fact]
    public void Proxy_args_reach_RUN_without_a_declaration_and_are_marked_for_history_exclusion()
    {
        var e = Expand("FROM a\nARG B=1\nRUN echo\n", new() { ["HTTP_PROXY"] = "http://p:3128", ["B"] = "2" });
        var env = e.Stages[0].Steps.Single(s => s.Instruction is RunInstruction).RunEnvironment!;
        Assert.Equal("http://p:3128", env["HTTP_PROXY"]);
        Assert.Equal("2", env["B"]);
        Assert.True(PredefinedArgs.IsExcludedFromHistory("HTTP_PROXY"));
        Assert.DoesNotContain(e.Warnings, w => w.Rule == "UnusedBuildArg");
    }

    [Fact]
    public void RUN_commands_are_not_expanded_but_their_mounts_are()
    {
        var e = Expand("FROM a\nARG ID=gomod\nRUN --mount=type=cache,id=$ID,target=/c echo $ID\n");
        var run = Assert.IsType<RunInstruction>(e.Stages[0].Stage.Instructions[1]);
        Assert.Equal("echo $ID", run.Command.Args[0]);
        Assert.Equal("gomod", run.Mounts[0].Id);
    }

    [Fact]
    public void Expanded_instructions_are_the_ones_BuildKit_expands()
    {
        var e = Expand("FROM a\nARG P=8080 D=/data U=app S=SIGINT\nEXPOSE $P ${P}/udp\nVOLUME $D\nUSER $U\nWORKDIR $D/w\nSTOPSIGNAL $S\nCMD echo $P\nCOPY --chown=$U --from=$U $D/x $D/\nONBUILD RUN echo $P\n");
        var ins = e.Stages[0].Stage.Instructions;
        Assert.Equal(new[] { "8080", "8080/udp" }, Assert.IsType<ExposeInstruction>(ins[1]).Ports);
        Assert.Equal("/data", Assert.IsType<VolumeInstruction>(ins[2]).Volumes[0]);
        Assert.Equal("app", Assert.IsType<UserInstruction>(ins[3]).User);
        Assert.Equal("/data/w", Assert.IsType<WorkdirInstruction>(ins[4]).Path);
        Assert.Equal("SIGINT", Assert.IsType<StopSignalInstruction>(ins[5]).Signal);
        Assert.Equal("echo $P", Assert.IsType<CmdInstruction>(ins[6]).Command.Args[0]);
        var copy = Assert.IsType<CopyInstruction>(ins[7]);
        Assert.Equal(("app", "app", "/data/x", "/data/"), (copy.Chown, copy.From, copy.Sources[0], copy.Destination));
        Assert.Equal("RUN echo $P", Assert.IsType<OnbuildInstruction>(ins[8]).Expression);
    }

    [Fact]
    public void EXPOSE_splits_an_expanded_list_into_ports()
    {
        var e = Expand("FROM a\nARG PORTS=\"80 443\"\nEXPOSE $PORTS\n");
        Assert.Equal(new[] { "80", "443" }, Assert.IsType<ExposeInstruction>(e.Stages[0].Stage.Instructions[1]).Ports);
    }

    [Fact]
    public void ENV_is_inherited_from_a_parent_stage_but_ARG_is_not()
    {
        var e = Expand("FROM a AS base\nENV E=1\nARG A=2\nFROM base\nLABEL e=$E a=$A\n");
        Assert.Equal(new[] { new KeyValue("e", "1"), new KeyValue("a", "") }, Labels(e, 1));
        Assert.Equal(0, e.Stages[1].BaseStage);
    }

    [Fact]
    public void Base_image_env_can_be_supplied()
    {
        var e = DockerfileFrontend.ParseAndExpand("FROM node\nENV PATH=/app:$PATH\n", new BuildOptions { BaseImageEnv = _ => [new KeyValue("PATH", "/node/bin")] });
        Assert.Contains(new KeyValue("PATH", "/app:/node/bin"), e.Stages[0].Env);
    }

    [Fact]
    public void A_FROM_naming_a_stage_a_build_context_replaces_takes_the_contexts_env_not_the_stages()
    {
        var e = DockerfileFrontend.ParseAndExpand("FROM a AS tools\nENV FLAVOUR=stage\nFROM tools\nENV SEEN=$FLAVOUR\n", new BuildOptions
        {
            IsNamedContext = name => name == "tools",
            BaseImageEnv = name => name == "tools" ? [new KeyValue("FLAVOUR", "context")] : null,
        });

        Assert.Null(e.Stages[1].BaseStage);
        Assert.Contains(new KeyValue("SEEN", "context"), e.Stages[1].Env);
    }

    [Fact]
    public void Undefined_variables_are_warned_with_a_suggestion()
    {
        var e = Expand("ARG VERSION=1\nFROM a:$VERSON\nARG DECLARED\nENV APP_HOME=/app\nWORKDIR $APP_HOM\nLABEL x=$DECLARED\n");
        Assert.Contains(e.Warnings, w => w.Rule == "UndefinedArgInFrom" && w.Message.Contains("VERSON", StringComparison.Ordinal));
        var w = Assert.Single(e.Warnings, w => w.Rule == "UndefinedVar");
        Assert.Equal("Usage of undefined variable '$APP_HOM' (did you mean $APP_HOME?)", w.Message);
        Assert.Equal(5, w.Line);
    }

    [Fact]
    public void Unused_build_args_are_reported()
    {
        var e = Expand("FROM a\n", new() { ["NOPE"] = "1" });
        Assert.Contains(e.Warnings, w => w.Rule == "UnusedBuildArg" && w.Message.Contains("NOPE", StringComparison.Ordinal));
    }

    [Fact]
    public void Expansion_errors_point_at_the_instruction()
    {
        var ex = Assert.Throws<DockerfileException>(() => Expand("FROM a\n\nLABEL x=\"${REQUIRED:?set REQUIRED}\"\n"));
        Assert.StartsWith("Dockerfile:3:1: failed to process", ex.Message, StringComparison.Ordinal);
        Assert.Contains("REQUIRED: set REQUIRED", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Blank_base_name_after_expansion_is_an_error()
    {
        Assert.Contains("base name ($NOTHING) should not be blank", Assert.Throws<DockerfileException>(() => Expand("FROM $NOTHING\n")).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void COPY_destination_rule_also_applies_after_expansion()
    {
        var ex = Assert.Throws<DockerfileException>(() => Expand("FROM a\nARG D=/dst\nCOPY a b $D\n"));
        Assert.Contains("destination ending in /", ex.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Heredoc_sources_are_expanded_unless_the_delimiter_is_quoted()
    {
        var e = Expand("FROM a\nARG N=x\nCOPY <<A <<'B' /d/\n\"$N\"\nA\n$N\nB\n");
        var copy = Assert.IsType<CopyInstruction>(e.Stages[0].Stage.Instructions[1]);
        Assert.Equal("\"x\"\n", copy.Contents[0].Content);
        Assert.Equal("$N\n", copy.Contents[1].Content);
    }

    [Fact]
    public void Escape_directive_applies_to_expansion()
    {
        var e = Expand("# escape=`\nFROM a\nENV P=C:\\dir`$HOME\n");
        Assert.Equal(new KeyValue("P", "C:\\dir$HOME"), Assert.IsType<EnvInstruction>(e.Stages[0].Stage.Instructions[0]).Variables[0]);
    }

    [Fact]
    public void Expansion_errors_in_stages_the_target_does_not_need_are_ignored()
    {
        const string Text = "FROM a AS broken\nLABEL x=\"${NEED:?}\"\nFROM b AS ok\nRUN true\n";
        Assert.Equal("ok", Expand(Text, target: "ok").Graph.Target.Name);
        Assert.Throws<DockerfileException>(() => Expand(Text, target: "broken"));
        Assert.Throws<DockerfileException>(() => Expand(Text + "COPY --from=broken / /\n", target: "ok"));
    }
}
