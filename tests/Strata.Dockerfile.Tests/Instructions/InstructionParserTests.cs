using Strata.Dockerfile.Instructions;

namespace Strata.Dockerfile.Tests.Instructions;

public sealed class InstructionParserTests
{
    private static DockerfileException Fails(string text) => Assert.Throws<DockerfileException>(() => InstructionParser.Parse(text));

    private static T Single<T>(string instruction) where T : Instruction =>
        Assert.IsType<T>(Assert.Single(InstructionParser.Parse("FROM scratch\n" + instruction + "\n").Stages[0].Instructions));

    [Fact]
    public void Unknown_instruction_suggests_the_closest_one()
    {
        var ex = Fails("FROM a\nRUNN echo hi\n");
        Assert.Equal("Dockerfile:2:1: unknown instruction: RUNN (did you mean RUN?) in: RUNN echo hi", ex.Message);
    }

    [Fact]
    public void Unknown_instruction_far_from_every_keyword_gets_no_suggestion()
    {
        Assert.Equal("unknown instruction: FROBNICATE", Fails("FROM a\nFROBNICATE x\n").Reason);
    }

    [Fact]
    public void A_dangling_line_continuation_is_an_empty_instruction_error()
    {
        var ex = Fails("FROM a\n\\\n\n");
        Assert.Equal("empty instruction: a line continuation is followed by nothing", ex.Reason);
        Assert.Equal(2, ex.Position!.Value.Line);
    }

    [Fact]
    public void Keywords_are_case_insensitive()
    {
        var def = InstructionParser.Parse("from a AS b\nrun echo\nCoPy x /y\n");
        Assert.Equal("b", def.Stages[0].Name);
        Assert.IsType<RunInstruction>(def.Stages[0].Instructions[0]);
        Assert.IsType<CopyInstruction>(def.Stages[0].Instructions[1]);
    }

    [Fact]
    public void ENV_without_a_value_is_an_error()
    {
        Assert.Contains("ENV requires a value", Fails("FROM a\nENV PATH\n").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void COPY_with_more_than_one_source_needs_a_directory_destination()
    {
        var ex = Fails("FROM a\nCOPY a b /dst\n");
        Assert.Equal("COPY with more than one source needs a destination ending in / (got \"/dst\")", ex.Reason);
        Assert.Equal(2, ex.Position!.Value.Line);
        Assert.Equal(new[] { "a", "b" }, Single<CopyInstruction>("COPY a b /dst/").Sources);
    }

    [Fact]
    public void COPY_needs_a_destination()
    {
        Assert.Contains("requires at least two arguments", Fails("FROM a\nCOPY a\n").Reason, StringComparison.Ordinal);
        Assert.Contains("cannot accept a heredoc as a destination", Fails("FROM a\nCOPY a <<EOF\nx\nEOF\n").Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("COPY --form=a x /y", "unknown flag: --form for COPY (did you mean --from?)")]
    [InlineData("ADD --from=a x /y", "unknown flag: --from for ADD")]
    [InlineData("RUN --mnt=type=cache echo", "unknown flag: --mnt for RUN (did you mean --mount?)")]
    [InlineData("USER --x=1 me", "unknown flag: --x (USER takes no flags)")]
    [InlineData("COPY --from x /y", "missing a value on flag: --from")]
    [InlineData("COPY --link=maybe x /y", "expecting boolean value for flag --link, not: maybe")]
    [InlineData("COPY --from=a --from=b x /y", "duplicate flag specified: --from")]
    [InlineData("COPY --chmod=888 x /y", "invalid chmod parameter \"888\"")]
    [InlineData("COPY --chmod=u+q x /y", "invalid chmod parameter \"u+q\"")]
    [InlineData("RUN --network=bridge echo", "unsupported network mode \"bridge\"")]
    [InlineData("RUN --security=privileged echo", "unsupported security mode \"privileged\"")]
    [InlineData("RUN --mount=type=volume,target=/x echo", "unsupported mount type \"volume\"")]
    [InlineData("RUN --mount=type=cache echo", "type=cache requires a target")]
    [InlineData("RUN --mount=type=cache,target=/x,sharing=open echo", "unsupported sharing value \"open\"")]
    [InlineData("RUN --mount=type=bind,target=/x,mode=0644 echo", "mount option \"mode\" is not valid for type=bind")]
    [InlineData("RUN --mount=type=cache,target=/x,colour=red echo", "unexpected key 'colour'")]
    [InlineData("RUN --mount=type=secret,id=a,mode=9 echo", "invalid mode \"9\"")]
    [InlineData("RUN --mount=from=$STAGE,target=/x echo", "'from' doesn't support variable expansion")]
    [InlineData("RUN --mount=type=secret,id=a,from=b echo", "secret mount should not have a from")]
    [InlineData("RUN --mount=type=secret,id=a,source=b echo", "both source and id can't be set")]
    [InlineData("RUN --mount=type=secret echo", "a secret mount needs id, source, target or env")]
    [InlineData("RUN --mount=type=tmpfs,target=/t,size=lots echo", "invalid size \"lots\"")]
    [InlineData("HEALTHCHECK --interval=5 CMD x", "missing unit")]
    [InlineData("HEALTHCHECK --interval=500us CMD x", "Interval \"interval\" cannot be less than 1ms")]
    [InlineData("HEALTHCHECK --retries=-1 CMD x", "--retries cannot be negative (-1)")]
    [InlineData("HEALTHCHECK --retries=3 NONE", "HEALTHCHECK NONE takes no flags")]
    [InlineData("HEALTHCHECK NONE x", "HEALTHCHECK NONE takes no arguments")]
    [InlineData("HEALTHCHECK TCP 80", "Unknown type \"TCP\" in HEALTHCHECK (try CMD)")]
    [InlineData("HEALTHCHECK CMD", "Missing command after HEALTHCHECK CMD")]
    [InlineData("SHELL /bin/sh -c", "SHELL requires the arguments to be in JSON form")]
    [InlineData("SHELL []", "SHELL requires at least one argument")]
    [InlineData("ONBUILD ONBUILD RUN x", "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")]
    [InlineData("ONBUILD FROM x", "FROM isn't allowed as an ONBUILD trigger")]
    [InlineData("ONBUILD MAINTAINER x", "MAINTAINER isn't allowed as an ONBUILD trigger")]
    [InlineData("ONBUILD RUNN x", "unknown instruction: RUNN (did you mean RUN?)")]
    [InlineData("WORKDIR", "WORKDIR requires exactly one argument")]
    [InlineData("USER", "USER requires exactly one argument")]
    [InlineData("EXPOSE", "EXPOSE requires at least one argument")]
    [InlineData("VOLUME [\"\"]", "VOLUME specified can not be an empty string")]
    [InlineData("ARG =x", "ARG names can not be blank")]
    [InlineData("ADD --checksum=md5:abc http://x/y /z", "invalid ADD --checksum")]
    [InlineData("LABEL =x", "LABEL names can not be blank")]
    [InlineData("ADD --checksum=sha256:abc local.tar /z", "ADD --checksum can only verify an HTTP(S) or git source")]
    [InlineData("STOPSIGNAL", "STOPSIGNAL requires exactly one argument")]
    public void Invalid_instruction_fails_with_a_clear_reason(string instruction, string reason)
    {
        var ex = Fails("FROM a\n" + instruction + "\n");
        Assert.Contains(reason, ex.Reason, StringComparison.Ordinal);
        Assert.StartsWith("Dockerfile:2:1: ", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FROM", "FROM requires a base image")]
    [InlineData("FROM a b", "FROM requires either one or three arguments")]
    [InlineData("FROM a AS 1st", "invalid name for build stage: \"1st\"")]
    [InlineData("FROM a AS b!", "invalid name for build stage")]
    [InlineData("FROM --platfrom=linux/amd64 a", "unknown flag: --platfrom for FROM (did you mean --platform?)")]
    [InlineData("RUN x\nFROM a", "RUN comes before the first FROM")]
    [InlineData("ARG A", "no FROM instruction")]
    public void Invalid_stage_structure_is_rejected(string text, string reason)
    {
        Assert.Contains(reason, Fails(text + "\n").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Global_args_are_collected_before_the_first_FROM()
    {
        var def = InstructionParser.Parse("ARG A=1 B\nARG C\nFROM x\nARG D\n");
        Assert.Equal(new[] { new ArgDefinition("A", "1"), new ArgDefinition("B", null), new ArgDefinition("C", null) }, def.GlobalArgs.SelectMany(a => a.Args));
        Assert.IsType<ArgInstruction>(Assert.Single(def.Stages[0].Instructions));
    }

    [Fact]
    public void Stage_has_name_platform_and_range()
    {
        var s = InstructionParser.Parse("\n\nFROM --platform=$BUILDPLATFORM golang:1.22 AS Build\nRUN x\n").Stages[0];
        Assert.Equal("build", s.Name);
        Assert.Equal("$BUILDPLATFORM", s.Platform);
        Assert.Equal("golang:1.22", s.BaseName);
        Assert.Equal(new SourceRange(3, 1, 3), s.From.Range);
        Assert.Equal(new SourceRange(4, 1, 4), s.Instructions[0].Range);
    }

    [Fact]
    public void RUN_exec_and_shell_forms_and_flags()
    {
        var shell = Single<RunInstruction>("RUN --network=none --security=insecure apt-get update && apt-get install -y x");
        Assert.Equal(new[] { "apt-get update && apt-get install -y x" }, shell.Command.Args);
        Assert.True(shell.Command.PrependShell);
        Assert.Equal((RunNetwork.None, RunSecurity.Insecure), (shell.Network, shell.Security));
        var exec = Single<RunInstruction>("RUN [\"/bin/sh\", \"-c\", \"echo hi\"]");
        Assert.Equal(new[] { "/bin/sh", "-c", "echo hi" }, exec.Command.Args);
        Assert.False(exec.Command.PrependShell);
    }

    [Fact]
    public void RUN_mounts_get_BuildKit_defaults()
    {
        var run = Single<RunInstruction>("RUN --mount=type=cache,target=/c --mount=target=/b --mount=type=secret,id=tok --mount=type=secret,target=/s/key --mount=type=ssh --mount=type=ssh x");
        Assert.Equal(MountType.Cache, run.Mounts[0].Type);
        Assert.Equal("/c", run.Mounts[0].Id);
        Assert.False(run.Mounts[0].ReadOnly);
        Assert.Equal((MountType.Bind, true), (run.Mounts[1].Type, run.Mounts[1].ReadOnly));
        Assert.Equal(("tok", "/run/secrets/tok"), (run.Mounts[2].Id, run.Mounts[2].Target));
        Assert.Equal(("key", "/s/key"), (run.Mounts[3].Id, run.Mounts[3].Target));
        Assert.Equal(("default", "/run/buildkit/ssh_agent.0"), (run.Mounts[4].Id, run.Mounts[4].Target));
        Assert.Equal("/run/buildkit/ssh_agent.1", run.Mounts[5].Target);
        var legacySecret = Single<RunInstruction>("RUN --mount=type=secret,source=npmrc,target=/root/.npmrc x").Mounts[0];
        Assert.Equal("npmrc", legacySecret.Id);
    }

    [Fact]
    public void COPY_and_ADD_flags_are_typed()
    {
        var copy = Single<CopyInstruction>("COPY --from=build --chown=app:app --chmod=755 --link --parents --exclude=*.md --exclude=.git a/ b/ /dst/");
        Assert.Equal(("build", "app:app", "755", true, true), (copy.From, copy.Chown, copy.Chmod, copy.Link, copy.Parents));
        Assert.Equal(new[] { "*.md", ".git" }, copy.Excludes);
        var add = Single<AddInstruction>("ADD --keep-git-dir --checksum=sha256:abc --link=false https://x/y.git /src");
        Assert.Equal((true, "sha256:abc", false), (add.KeepGitDir, add.Checksum, add.Link));
        var json = Single<CopyInstruction>("COPY [\"a b\", \"/c d/\"]");
        Assert.Equal(("a b", "/c d/"), (json.Sources[0], json.Destination));
    }

    [Fact]
    public void COPY_heredoc_sources_become_contents()
    {
        var copy = Assert.IsType<CopyInstruction>(InstructionParser.Parse("FROM a\nCOPY <<-EOF x.txt /dst/\n\thello\n\tEOF\n").Stages[0].Instructions[0]);
        Assert.Equal(new[] { "x.txt" }, copy.Sources);
        Assert.Equal(new HeredocSource("EOF", "hello\n", true, true, 0), Assert.Single(copy.Contents));
    }

    [Fact]
    public void HEALTHCHECK_durations_and_forms()
    {
        var h = Single<HealthcheckInstruction>("HEALTHCHECK --interval=1m30s --timeout=250ms --start-period=1h --start-interval=2s --retries=4 CMD curl -f x").Health;
        Assert.Equal(new[] { "CMD-SHELL", "curl -f x" }, h.Test);
        Assert.Equal((TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(250), TimeSpan.FromHours(1), TimeSpan.FromSeconds(2), 4), (h.Interval, h.Timeout, h.StartPeriod, h.StartInterval, h.Retries));
        Assert.Equal(new[] { "CMD", "a", "b" }, Single<HealthcheckInstruction>("HEALTHCHECK CMD [\"a\", \"b\"]").Health.Test);
        Assert.Equal(new[] { "NONE" }, Single<HealthcheckInstruction>("healthcheck none").Health.Test);
    }

    [Fact]
    public void ENV_and_LABEL_accept_both_forms()
    {
        var env = Single<EnvInstruction>("ENV A=1 B=\"two words\" C=x\\ y");
        Assert.Equal(new[] { new KeyValue("A", "1"), new KeyValue("B", "\"two words\""), new KeyValue("C", "x\\ y") }, env.Variables);
        Assert.False(env.IsLegacyForm);
        var legacy = Single<EnvInstruction>("ENV A the rest of the line");
        Assert.Equal(new KeyValue("A", "the rest of the line"), Assert.Single(legacy.Variables));
        Assert.True(legacy.IsLegacyForm);
    }

    [Fact]
    public void ONBUILD_keeps_the_trigger_text_and_its_parsed_form()
    {
        var o = Single<OnbuildInstruction>("ONBUILD RUN --mount=type=cache,target=/c make $TARGET");
        Assert.Equal("RUN --mount=type=cache,target=/c make $TARGET", o.Expression);
        var run = Assert.IsType<RunInstruction>(o.Trigger);
        Assert.Equal("make $TARGET", run.Command.Args[0]);
    }

    [Fact]
    public void Lint_warnings_are_collected_not_printed()
    {
        var def = InstructionParser.Parse("FROM a as Builder\nMAINTAINER me\nCMD run it\nENTRYPOINT go\nCMD again\nLABEL a b\n");
        var rules = def.Warnings.Select(w => (w.Rule, w.Line)).ToList();
        Assert.Contains(("FromAsCasing", 1), rules);
        Assert.Contains(("StageNameCasing", 1), rules);
        Assert.Contains(("MaintainerDeprecated", 2), rules);
        Assert.Contains(("JSONArgsRecommended", 3), rules);
        Assert.Contains(("JSONArgsRecommended", 4), rules);
        Assert.Contains(("MultipleInstructionsDisallowed", 5), rules);
        Assert.Contains(("LegacyKeyValueFormat", 6), rules);
    }

    [Fact]
    public void Check_directive_skips_rules_or_turns_them_into_errors()
    {
        var def = InstructionParser.Parse("# check=skip=MaintainerDeprecated,JSONArgsRecommended\nFROM a\nMAINTAINER me\nCMD x\n");
        Assert.Empty(def.Warnings);
        Assert.Empty(InstructionParser.Parse("# check=skip=all\nFROM a AS B\nMAINTAINER me\n").Warnings);
        var ex = Fails("# check=error=true\nFROM a\nMAINTAINER me\n");
        Assert.Contains("MaintainerDeprecated", ex.Reason, StringComparison.Ordinal);
        Assert.Equal(3, ex.Position!.Value.Line);
    }

    [Fact]
    public void Foreign_syntax_directive_is_a_warning_not_a_pull()
    {
        var def = InstructionParser.Parse("# syntax=example.com/frontend:2\nFROM a\n");
        Assert.Equal("UnsupportedFrontend", Assert.Single(def.Warnings).Rule);
        Assert.Empty(InstructionParser.Parse("# syntax=docker/dockerfile:1\nFROM a\n").Warnings);
    }

    [Fact]
    public void Trailing_comments_are_not_comments_as_the_seed_chapter_fragments_assume()
    {
        // The chapter writes "FROM ubuntu:22.04  # Layer 1"; a Dockerfile only has whole-line comments.
        var ex = Fails("FROM ubuntu:22.04        # Layer 1: base image\n");
        Assert.Contains("FROM requires either one or three arguments", ex.Reason, StringComparison.Ordinal);
        // "COPY package.json ./  # note" copies three sources to a file named "note".
        Assert.Equal("COPY with more than one source needs a destination ending in / (got \"note\")", Fails("FROM a\nCOPY package.json ./    # note\n").Reason);
    }

    [Theory]
    [InlineData("FROM --platform=$TARGETPLATFORM a\n", "RedundantTargetPlatform", 1)]
    [InlineData("FROM --platform=linux/amd64 a\n", "FromPlatformFlagConstDisallowed", 1)]
    [InlineData("FROM a\nWORKDIR app\n", "WorkdirRelativePath", 2)]
    [InlineData("FROM a\nEXPOSE 80/TCP\n", "ExposeProtoCasing", 2)]
    [InlineData("FROM a\nARG GITHUB_TOKEN\n", "SecretsUsedInArgOrEnv", 2)]
    [InlineData("FROM a\nENV DB_PASSWORD=x\n", "SecretsUsedInArgOrEnv", 2)]
    [InlineData("FROM a\nRUN x\nrun y\nRUN z\n", "ConsistentInstructionCasing", 3)]
    public void BuildKit_lint_rules_are_reported(string text, string rule, int line)
    {
        Assert.Contains(InstructionParser.Parse(text).Warnings, w => w.Rule == rule && w.Line == line);
    }

    [Theory]
    [InlineData("FROM --platform=$BUILDPLATFORM a\nWORKDIR /app\nWORKDIR sub\nEXPOSE 80/tcp\nARG PUBLIC_KEY\nENV KEYBOARD=us\n")]
    [InlineData("from a\nrun x\n")]
    public void Clean_Dockerfiles_get_no_lint_warnings(string text)
    {
        Assert.Empty(InstructionParser.Parse(text).Warnings);
    }
}
