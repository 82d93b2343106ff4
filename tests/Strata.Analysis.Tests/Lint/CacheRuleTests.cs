using Strata.Analysis.Lint;
using static Strata.Analysis.Tests.Lint.LintAssert;

namespace Strata.Analysis.Tests.Lint;

public sealed class CacheRuleTests
{
    [Fact]
    public void STR005_date_at_build_time_is_flagged_as_a_command_or_a_substitution()
    {
        var f = Single("STR005", "FROM alpine:3.18\nRUN date > /timestamp.txt\n");
        Assert.Equal((2, 5, LintSeverity.Warning), (f.Line, f.Column, f.Severity));
        Assert.Equal([(2, 12)], At("STR005", "FROM alpine:3.18\nRUN echo $(date) > /t\n"));
        Assert.Equal([(2, 11)], At("STR005", "FROM alpine:3.18\nRUN echo `date +%s` > /t\n"));
    }

    [Fact]
    public void STR005_words_that_merely_contain_date_are_not_flagged()
    {
        Assert.Empty(At("STR005", "FROM alpine:3.18\nRUN apk add --no-cache tzdata && echo update date-fns\n"));
    }

    [Fact]
    public void STR006_ADD_of_a_URL_without_checksum_is_flagged_at_the_URL()
    {
        var f = Single("STR006", "FROM alpine:3.18\nADD https://example.com/a.tgz /a.tgz\n");
        Assert.Equal((2, 5), (f.Line, f.Column));
        Assert.Equal("ADD https://example.com/a.tgz has no --checksum: it is fetched on every build and the step misses whenever the remote changes; pin it with --checksum=sha256:...", f.Message);
    }

    [Fact]
    public void STR006_ADD_with_checksum_is_not_flagged()
    {
        Assert.Empty(At("STR006", "FROM alpine:3.18\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/a.tgz /a.tgz\n"));
    }

    [Fact]
    public void STR007_a_CACHEBUST_like_ARG_is_flagged_wherever_declared()
    {
        Assert.Equal([(1, 5), (3, 5)], At("STR007", "ARG CACHEBUST=1\nFROM alpine:3.18\nARG CACHEBUST\nRUN echo $CACHEBUST\n"));
        Assert.Equal([(2, 5)], At("STR007", "FROM alpine:3.18\nARG BUILD_DATE\n"));
    }

    [Fact]
    public void STR007_an_ordinary_ARG_is_not_flagged()
    {
        Assert.Empty(At("STR007", "ARG VERSION=1\nFROM alpine:3.18\nARG VERSION\n"));
    }
}
