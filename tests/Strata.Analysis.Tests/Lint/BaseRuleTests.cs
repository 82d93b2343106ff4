using Strata.Analysis.Lint;
using static Strata.Analysis.Tests.Lint.LintAssert;

namespace Strata.Analysis.Tests.Lint;

public sealed class BaseRuleTests
{
    [Fact]
    public void STR012_latest_is_flagged_and_a_version_or_digest_is_not()
    {
        var f = Single("STR012", "FROM alpine:latest\n");
        Assert.Equal((1, 6, LintSeverity.Warning), (f.Line, f.Column, f.Severity));
        Assert.Empty(At("STR012", "FROM alpine:3.18\n"));
        Assert.Empty(At("STR012", "FROM alpine:latest@sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d\n"));
    }

    [Fact]
    public void STR013_an_untagged_base_is_flagged_but_stages_scratch_and_ports_are_not()
    {
        Assert.Equal([(1, 6)], At("STR013", "FROM alpine\n"));
        Assert.Empty(At("STR013", "FROM alpine:3.18 AS base\nFROM base\n"));
        Assert.Empty(At("STR013", "FROM scratch\n"));
        Assert.Equal([(1, 6)], At("STR013", "FROM localhost:5000/app\n"));
    }

    [Fact]
    public void STR014_a_full_language_image_in_the_shipped_stage_is_flagged()
    {
        var f = Single("STR014", "FROM python:3.11\n");
        Assert.Equal((1, 6), (f.Line, f.Column));
        Assert.Equal("the shipped stage starts from python:3.11, a full image: use python:3.11-slim or -alpine, or build in it and COPY --from into a slim stage", f.Message);
    }

    [Fact]
    public void STR014_slim_alpine_bases_and_builder_stages_are_not_flagged()
    {
        Assert.Empty(At("STR014", "FROM python:3.11-slim\n"));
        Assert.Empty(At("STR014", "FROM node:18-alpine\n"));
        Assert.Empty(At("STR014", "FROM golang:1.22 AS build\nRUN go build -o /app .\nFROM alpine:3.18\nCOPY --from=build /app /app\n"));
    }

    [Fact]
    public void STR015_no_USER_or_a_last_USER_root_is_flagged()
    {
        Assert.Equal([(1, 1)], At("STR015", "FROM alpine:3.18\nRUN true\n"));
        Assert.Equal([(3, 1)], At("STR015", "FROM alpine:3.18\nUSER app\nUSER root\n"));
        Assert.Equal([(3, 1)], At("STR015", "FROM alpine:3.18 AS a\nUSER app\nFROM alpine:3.18\n"));
    }

    [Fact]
    public void STR015_an_unprivileged_last_USER_or_scratch_is_not_flagged()
    {
        Assert.Empty(At("STR015", "FROM alpine:3.18\nUSER 1000:1000\n"));
        Assert.Empty(At("STR015", "FROM alpine:3.18 AS base\nUSER app\nFROM base\nRUN true\n"));
        Assert.Empty(At("STR015", "FROM scratch\nCOPY app /app\n"));
    }

    [Fact]
    public void STR016_ADD_of_a_local_file_is_flagged_but_archives_and_URLs_are_not()
    {
        var f = Single("STR016", "FROM alpine:3.18\nADD app.py /app/\n");
        Assert.Equal((2, 1, LintSeverity.Warning), (f.Line, f.Column, f.Severity));
        Assert.Empty(At("STR016", "FROM alpine:3.18\nADD rootfs.tar.gz /\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/a /a\n"));
    }
}
