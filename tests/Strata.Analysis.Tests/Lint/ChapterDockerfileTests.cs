using Strata.Analysis.Lint;
using static Strata.Analysis.Tests.Lint.LintAssert;

namespace Strata.Analysis.Tests.Lint;

/// <summary>
/// The image-layers chapter's Dockerfiles (its "❌" and "✅" examples), with the chapter's trailing
/// annotations removed (a Dockerfile has no end-of-line comments). The bad ones give exactly the
/// findings the chapter explains; the good ones give no warning or error (notes only, listed).
/// </summary>
public sealed class ChapterDockerfileTests
{
    private static List<(string Code, int Line, int Column)> Findings(string text) =>
        LintText(text).Findings.Select(f => (f.Code, f.Line, f.Column)).ToList();

    [Fact]
    public void Python_before_copies_everything_before_pip_on_a_full_base()
    {
        const string text = "FROM python:3.11\n\nWORKDIR /app\n\nCOPY . .\n\nRUN pip install -r requirements.txt\n\nCMD [\"python\", \"app.py\"]\n";
        Assert.Equal([("STR015", 1, 1), ("STR014", 1, 6), ("STR004", 5, 6), ("STR018", 7, 5)], Findings(text));
    }

    [Fact]
    public void Node_cache_order_bad_example_copies_the_source_before_npm_install()
    {
        const string text = "FROM node:18-alpine\n\nCOPY . .\n\nRUN npm install\n\nCMD [\"npm\", \"start\"]\n";
        Assert.Equal([("STR015", 1, 1), ("STR004", 3, 6)], Findings(text));
    }

    [Fact]
    public void Apt_clean_in_a_separate_RUN_is_flagged_as_saving_nothing()
    {
        const string text = "FROM ubuntu:22.04\n\nRUN apt-get update\nRUN apt-get install -y build-essential\nRUN apt-get clean\n";
        Assert.Equal(
            [("STR015", 1, 1), ("STR009", 3, 1), ("STR001", 3, 5), ("STR003", 4, 5), ("STR017", 4, 5), ("STR002", 5, 5)],
            Findings(text));
    }

    [Fact]
    public void Layer_explosion_is_five_consecutive_RUNs()
    {
        const string text = "FROM ubuntu:22.04\nRUN apt-get update\nRUN apt-get install -y curl\nRUN apt-get install -y vim\nRUN apt-get install -y git\nRUN apt-get install -y wget\n";
        var f = Single("STR009", text);
        Assert.Equal("5 consecutive RUN instructions (lines 2-6) make 5 layers: join them with &&", f.Message);
        Assert.Equal([(2, 5)], At("STR001", text));
        Assert.Equal([(3, 5), (4, 5), (5, 5), (6, 5)], At("STR017", text));
    }

    [Fact]
    public void The_timestamp_step_is_flagged()
    {
        const string text = "FROM alpine\nRUN apk add --no-cache curl\nRUN date > /timestamp.txt\nRUN echo \"Done\"\n";
        Assert.Equal([("STR015", 1, 1), ("STR013", 1, 6), ("STR009", 2, 1), ("STR005", 3, 5)], Findings(text));
    }

    [Fact]
    public void The_secret_copied_then_removed_is_an_error()
    {
        const string text = "FROM alpine\nCOPY secret.key /tmp/\nRUN use-secret /tmp/secret.key\nRUN rm /tmp/secret.key\n";
        var f = Single("STR008", text);
        Assert.Equal((2, 6, LintSeverity.Error), (f.Line, f.Column, f.Severity));
        Assert.True(LintText(text).Fails(LintSeverity.Error));
    }

    [Fact]
    public void The_big_file_edited_with_sed_in_place_is_flagged()
    {
        Assert.Equal([(3, 5)], At("STR010", "FROM ubuntu\nCOPY large-db.sql /data/\nRUN sed -i 's/old/new/g' /data/large-db.sql\n"));
    }

    public static TheoryData<string, string> GoodDockerfiles => new()
    {
        { "python-after", "FROM python:3.11-slim\n\nWORKDIR /app\n\nCOPY requirements.txt .\n\nRUN pip install --no-cache-dir -r requirements.txt\n\nCOPY . .\n\nCMD [\"python\", \"app.py\"]\n" },
        { "node-cache-order", "FROM node:18-alpine\n\nWORKDIR /app\n\nCOPY package*.json ./\n\nRUN npm install\n\nCOPY . .\n\nCMD [\"npm\", \"start\"]\n" },
        { "node-multistage", "FROM node:18-alpine AS builder\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci --only=production\nCOPY . .\nRUN npm run build\n\nFROM node:18-alpine\nWORKDIR /app\nCOPY --from=builder /app/dist ./dist\nCOPY --from=builder /app/node_modules ./node_modules\nCOPY package*.json ./\nUSER node\nCMD [\"node\", \"dist/index.js\"]\n" },
        { "apt-same-run", "FROM ubuntu:22.04\n\nRUN apt-get update && \\\n    apt-get install -y build-essential && \\\n    apt-get clean && \\\n    rm -rf /var/lib/apt/lists/*\n" },
        { "layers-merged", "FROM ubuntu:22.04\nRUN apt-get update && apt-get install -y \\\n    curl \\\n    vim \\\n    git \\\n    wget \\\n  && rm -rf /var/lib/apt/lists/*\n" },
        { "no-timestamp", "FROM alpine\nRUN apk add --no-cache curl\nRUN echo \"Done\"\n" },
        { "secret-mount", "FROM alpine\nRUN --mount=type=secret,id=mysecret \\\n    use-secret /run/secrets/mysecret\n" },
        { "sed-once", "FROM ubuntu\nCOPY large-db.sql /tmp/\nRUN sed 's/old/new/g' /tmp/large-db.sql > /data/large-db.sql\n" },
        { "cache-mount", "# syntax=docker/dockerfile:1\n\nFROM node:18-alpine\n\nWORKDIR /app\n\nRUN --mount=type=cache,target=/root/.npm \\\n    npm install\n" },
    };

    [Theory]
    [MemberData(nameof(GoodDockerfiles))]
    public void A_good_Dockerfile_has_no_warning_or_error(string name, string text)
    {
        var report = LintText(text);
        Assert.False(report.Fails(LintSeverity.Warning), name + ": " + LintOutput.ToText(report));
    }

    [Fact]
    public void The_good_Dockerfiles_notes_are_exactly_these()
    {
        var notes = GoodDockerfiles.ToDictionary(row => (string)row[0], row => string.Join(' ', LintText((string)row[1]).Findings.Select(f => $"{f.Code}@{f.Line}:{f.Column}")));
        Assert.Equal("STR015@1:1", notes["python-after"]);
        Assert.Equal("", notes["node-multistage"]);
        Assert.Equal("STR015@1:1 STR017@4:5", notes["apt-same-run"]);
        Assert.Equal("STR015@1:1 STR017@2:23", notes["layers-merged"]);
        Assert.Equal("STR015@1:1 STR013@1:6", notes["no-timestamp"]);
    }
}
