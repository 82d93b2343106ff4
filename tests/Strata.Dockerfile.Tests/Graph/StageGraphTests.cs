using Strata.Dockerfile.Graph;
using Strata.Dockerfile.Instructions;

namespace Strata.Dockerfile.Tests.Graph;

public sealed class StageGraphTests
{
    private static StageGraph Graph(string text, string? target = null) => StageGraph.Build(InstructionParser.Parse(text).Stages, target);

    private static DockerfileException Fails(string text, string? target = null) => Assert.Throws<DockerfileException>(() => Graph(text, target));

    [Fact]
    public void Edges_come_from_FROM_COPY_from_and_mount_from()
    {
        var g = Graph("FROM a AS one\nFROM a AS two\nFROM one AS three\nCOPY --from=two /x /x\nRUN --mount=from=0,target=/m true\n");
        Assert.Equal(new[]
        {
            new StageEdge(2, 0, StageEdgeKind.Base, 3),
            new StageEdge(2, 1, StageEdgeKind.Copy, 4),
            new StageEdge(2, 0, StageEdgeKind.Mount, 5),
        }, g.Edges);
        Assert.Equal(new[] { "one", "two", "three" }, g.BuildOrder.Select(s => s.Name));
    }

    [Fact]
    public void Target_prunes_stages_it_does_not_need()
    {
        var g = Graph("FROM a AS tools\nFROM a AS unused\nFROM tools AS app\nFROM scratch AS release\nCOPY --from=app / /\n", "app");
        Assert.Equal(new[] { "tools", "app" }, g.BuildOrder.Select(s => s.Name));
        Assert.False(g.IsRequired(1));
        Assert.False(g.IsRequired(3));
        Assert.Equal("app", g.Target.Name);
        Assert.Equal("release", Graph("FROM a AS x\nFROM b AS release\n").Target.Name);
    }

    [Fact]
    public void Independent_stages_have_no_path_between_them()
    {
        var g = Graph("FROM alpine AS base\nFROM base AS stage1\nFROM base AS stage2\nFROM base\nCOPY --from=stage1 /a .\nCOPY --from=stage2 /b .\n");
        Assert.Equal(new[] { "base" }, g.DependenciesOf(g.Stages[1]).Select(s => s.Name));
        Assert.Equal(new[] { "base", "stage1", "stage2" }, g.DependenciesOf(g.Stages[3]).Select(s => s.Name).Order());
    }

    [Fact]
    public void Unknown_target_suggests_a_stage()
    {
        Assert.Equal("target stage \"biuld\" could not be found (did you mean build?)", Fails("FROM a AS build\nFROM b AS final\n", "biuld").Reason);
    }

    [Fact]
    public void Misspelt_COPY_from_is_an_unknown_stage_error_with_a_suggestion()
    {
        var ex = Fails("FROM a AS builder\nFROM b\nCOPY --from=buidler /x /x\n");
        Assert.Equal("Dockerfile:3:1: COPY --from=buidler: no stage named \"buidler\" (did you mean builder?) in: COPY --from=buidler /x /x", ex.Message);
    }

    [Fact]
    public void Image_references_in_COPY_from_are_not_stages()
    {
        var g = Graph("FROM a AS builder\nFROM b\nCOPY --from=nginx:latest /x /x\nCOPY --from=busybox /bin/sh /sh\n");
        Assert.Empty(g.Edges);
    }

    [Fact]
    public void Stage_index_out_of_range_is_an_error()
    {
        Assert.Contains("refers to stage 5, but there are only 2 stages", Fails("FROM a\nFROM b\nCOPY --from=5 /x /x\n").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Cycles_are_errors_naming_the_stages()
    {
        var ex = Fails("FROM a AS one\nCOPY --from=two /x /x\nFROM one AS two\n");
        Assert.Contains("circular dependency detected on stage: ", ex.Reason, StringComparison.Ordinal);
        Assert.Contains("one", ex.Reason, StringComparison.Ordinal);
        Assert.Contains("two", ex.Reason, StringComparison.Ordinal);
        Assert.Contains("circular dependency", Fails("FROM a AS self\nCOPY --from=self /x /x\n").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Cycles_in_stages_the_target_does_not_need_are_still_errors()
    {
        Assert.Contains("circular dependency", Fails("FROM a AS x\nCOPY --from=y / /\nFROM a AS y\nCOPY --from=x / /\nFROM a AS t\n", "t").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_stage_names_are_errors()
    {
        Assert.Contains("duplicate stage name \"x\"", Fails("FROM a AS x\nFROM b AS X\n").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FROM_a_later_stage_name_means_an_image()
    {
        var g = Graph("FROM later AS first\nFROM a AS later\n");
        Assert.Empty(g.Edges);
    }
}
