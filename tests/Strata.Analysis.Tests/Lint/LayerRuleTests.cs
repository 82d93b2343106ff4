using Strata.Analysis.Lint;
using static Strata.Analysis.Tests.Lint.LintAssert;

namespace Strata.Analysis.Tests.Lint;

public sealed class LayerRuleTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-lint-");

    public void Dispose() => _tempDir.Dispose();

    [Fact]
    public void STR004_COPY_dot_before_the_dependency_install_is_flagged_at_the_source()
    {
        var f = Single("STR004", "FROM node:18-alpine\nWORKDIR /app\nCOPY . .\nRUN npm install\n");
        Assert.Equal((3, 6), (f.Line, f.Column));
        Assert.Equal("COPY . on line 3 comes before 'npm install' on line 4: every source change re-runs the install; copy the dependency manifests first", f.Message);
    }

    [Fact]
    public void STR004_manifests_first_then_COPY_dot_is_not_flagged()
    {
        Assert.Empty(At("STR004", "FROM node:18-alpine\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nRUN npm run build\n"));
    }

    [Fact]
    public void STR008_a_secret_copied_then_removed_is_an_error_naming_both_lines()
    {
        var f = Single("STR008", "FROM alpine:3.18\nCOPY secret.key /tmp/\nRUN use-secret /tmp/secret.key\nRUN rm /tmp/secret.key\n");
        Assert.Equal((2, 6, LintSeverity.Error), (f.Line, f.Column, f.Severity));
        Assert.Equal("secret.key is copied on line 2 and removed on line 4, but stays in the layer of line 2: use RUN --mount=type=secret", f.Message);
        Assert.Equal([(2, 13)], At("STR008", "FROM alpine:3.18\nCOPY config .npmrc /root/\n"));
    }

    [Fact]
    public void STR008_a_secret_mount_or_an_ordinary_file_is_not_flagged()
    {
        Assert.Empty(At("STR008", "FROM alpine:3.18\nRUN --mount=type=secret,id=mysecret use-secret /run/secrets/mysecret\nCOPY keyboard.txt monkey.py /\n"));
    }

    [Fact]
    public void STR009_three_consecutive_RUNs_are_flagged_once_at_the_first()
    {
        var f = Single("STR009", "FROM alpine:3.18\nRUN a\nRUN b\nRUN c\nUSER app\n");
        Assert.Equal((2, 1, LintSeverity.Info), (f.Line, f.Column, f.Severity));
        Assert.Equal("3 consecutive RUN instructions (lines 2-4) make 3 layers: join them with &&", f.Message);
    }

    [Fact]
    public void STR009_two_RUNs_or_RUNs_split_by_another_instruction_are_not_flagged()
    {
        Assert.Empty(At("STR009", "FROM alpine:3.18\nRUN a\nRUN b\nCOPY x /x\nRUN c\n"));
    }

    [Fact]
    public void STR010_sed_in_place_on_a_file_copied_earlier_is_flagged()
    {
        const string text = "FROM ubuntu:22.04\nCOPY large-db.sql /data/\nRUN sed -i 's/old/new/g' /data/large-db.sql\n";
        Assert.Equal([(3, 5)], At("STR010", text));
        File.WriteAllBytes(Path.Combine(_tempDir.Path, "large-db.sql"), new byte[2 * 1024 * 1024]);
        var f = Single("STR010", text, LintContext.Read(_tempDir.Path, null));
        Assert.Equal("sed -i rewrites /data/large-db.sql (2097152 bytes), copied on line 2: the whole file is stored again in this layer; transform it while writing it once", f.Message);
    }

    [Fact]
    public void STR010_a_small_copied_file_or_sed_writing_a_new_file_is_not_flagged()
    {
        File.WriteAllText(Path.Combine(_tempDir.Path, "large-db.sql"), "select 1;\n");
        Assert.Empty(At("STR010", "FROM ubuntu:22.04\nCOPY large-db.sql /data/\nRUN sed -i 's/old/new/g' /data/large-db.sql\n", LintContext.Read(_tempDir.Path, null)));
        Assert.Empty(At("STR010", "FROM ubuntu:22.04\nCOPY large-db.sql /tmp/\nRUN sed 's/old/new/g' /tmp/large-db.sql > /data/large-db.sql\n"));
    }

    [Fact]
    public void STR010_resolves_relative_paths_against_WORKDIR()
    {
        Assert.Equal([(4, 5)], At("STR010", "FROM ubuntu:22.04\nWORKDIR /srv\nCOPY dump.sql data.sql\nRUN sed -i -e 's/a/b/' data.sql\n"));
    }

    [Fact]
    public void STR011_a_context_with_node_modules_and_no_dockerignore_is_flagged_at_the_first_COPY()
    {
        Directory.CreateDirectory(Path.Combine(_tempDir.Path, "node_modules"));
        Directory.CreateDirectory(Path.Combine(_tempDir.Path, ".git"));
        var f = Single("STR011", "FROM alpine:3.18\nCOPY . /app\n", LintContext.Read(_tempDir.Path, null));
        Assert.Equal((2, 1), (f.Line, f.Column));
        Assert.Equal("the context holds node_modules, .git and has no .dockerignore: COPY reads them into the build; list them in .dockerignore", f.Message);
    }

    [Fact]
    public void STR011_a_dockerignore_a_clean_context_or_no_context_is_not_flagged()
    {
        const string text = "FROM alpine:3.18\nCOPY . /app\n";
        Assert.Empty(At("STR011", text, LintContext.Read(_tempDir.Path, null)));
        Assert.Empty(At("STR011", text));
        Directory.CreateDirectory(Path.Combine(_tempDir.Path, "node_modules"));
        File.WriteAllText(Path.Combine(_tempDir.Path, ".dockerignore"), "node_modules\n");
        Assert.Empty(At("STR011", text, LintContext.Read(_tempDir.Path, null)));
    }
}
