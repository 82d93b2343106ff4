using Strata.Analysis.Lint;
using static Strata.Analysis.Tests.Lint.LintAssert;

namespace Strata.Analysis.Tests.Lint;

public sealed class PackageRuleTests
{
    [Fact]
    public void STR001_apt_get_update_alone_is_flagged_at_the_command()
    {
        const string text = "FROM debian:12-slim\nRUN apt-get update\nRUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\nUSER app\n";
        var f = Single("STR001", text);
        Assert.Equal((2, 5, LintSeverity.Warning), (f.Line, f.Column, f.Severity));
        Assert.Equal("'apt-get update' runs alone: its layer is cached separately, so a later install can use a stale index; update and install in the same RUN", f.Message);
    }

    [Fact]
    public void STR001_update_and_install_in_one_RUN_is_not_flagged()
    {
        Assert.Empty(At("STR001", "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n"));
    }

    [Fact]
    public void STR002_cleanup_in_its_own_RUN_names_the_installing_line()
    {
        var f = Single("STR002", "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\nRUN apt-get clean\n");
        Assert.Equal((3, 5), (f.Line, f.Column));
        Assert.Equal("'apt-get clean' runs in its own RUN: what it deletes stays in the layer of line 2, so this saves 0 bytes; clean up in that RUN", f.Message);
    }

    [Fact]
    public void STR002_cleanup_in_the_installing_RUN_is_not_flagged()
    {
        Assert.Empty(At("STR002", "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc && apt-get clean && rm -rf /var/lib/apt/lists/*\nRUN echo done\n"));
    }

    [Fact]
    public void STR003_apt_lists_left_in_the_shipped_stage_are_flagged_at_the_install()
    {
        Assert.Equal([(2, 23)], At("STR003", "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\n"));
    }

    [Fact]
    public void STR003_is_quiet_when_lists_are_removed_cached_or_the_stage_does_not_ship()
    {
        Assert.Empty(At("STR003", "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends gcc && rm -rf /var/lib/apt/lists/*\n"));
        Assert.Empty(At("STR003", "FROM debian:12-slim\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y --no-install-recommends gcc\n"));
        Assert.Empty(At("STR003", "FROM debian:12-slim AS build\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\nFROM scratch\nCOPY --from=build /x /x\n"));
    }

    [Fact]
    public void STR003_follows_the_final_stage_to_the_stage_it_is_built_from()
    {
        Assert.Equal([(2, 23)], At("STR003", "FROM debian:12-slim AS base\nRUN apt-get update && apt-get install -y --no-install-recommends gcc\nFROM base\nUSER app\n"));
    }

    [Fact]
    public void STR017_apt_get_install_without_no_install_recommends_is_flagged_on_its_continuation_line()
    {
        const string text = "FROM debian:12-slim\nRUN apt-get update \\\n    && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*\n";
        var f = Single("STR017", text);
        Assert.Equal((3, 8, LintSeverity.Info), (f.Line, f.Column, f.Severity));
    }

    [Fact]
    public void STR017_no_install_recommends_is_not_flagged()
    {
        Assert.Empty(At("STR017", "FROM debian:12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*\n"));
    }

    [Fact]
    public void STR018_pip_install_without_no_cache_dir_is_flagged()
    {
        var f = Single("STR018", "FROM python:3.11-slim\nRUN pip install -r requirements.txt\n");
        Assert.Equal((2, 5, LintSeverity.Warning), (f.Line, f.Column, f.Severity));
        Assert.Equal([(2, 5)], At("STR018", "FROM python:3.11-slim\nRUN python3 -m pip install flask\n"));
    }

    [Fact]
    public void STR018_no_cache_dir_a_cache_mount_or_PIP_NO_CACHE_DIR_are_not_flagged()
    {
        Assert.Empty(At("STR018", "FROM python:3.11-slim\nRUN pip install --no-cache-dir -r requirements.txt\n"));
        Assert.Empty(At("STR018", "FROM python:3.11-slim\nRUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt\n"));
        Assert.Empty(At("STR018", "FROM python:3.11-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install -r requirements.txt\n"));
    }
}
