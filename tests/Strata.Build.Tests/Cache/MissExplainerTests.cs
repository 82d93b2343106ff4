using Strata.Build.Cache;
using Strata.Core;
using static Strata.Build.Tests.Cache.StepInputsTests;

namespace Strata.Build.Tests.Cache;

public sealed class MissExplainerTests
{
    [Fact]
    public void No_previous_inputs_is_a_first_build()
    {
        Assert.Equal("no previous build", MissExplainer.Reason(null, Inputs()));
    }

    [Fact]
    public void A_changed_instruction_quotes_the_old_one()
    {
        Assert.Equal("instruction changed (was: RUN npm ci)", MissExplainer.Reason(Inputs("RUN npm ci"), Inputs("RUN npm install")));
    }

    [Fact]
    public void A_changed_base_image_names_it()
    {
        Assert.Equal("base image node:18 changed digest", MissExplainer.Reason(Inputs(baseImage: "image sha256:1"), Inputs(baseImage: "image sha256:2")));
    }

    [Fact]
    public void A_new_base_image_ID_says_changed_digest_and_explain_names_both_IDs()
    {
        var was = Inputs(baseImage: BaseImageKey.Of(Digest.Compute("config one"u8)));
        var now = Inputs(baseImage: BaseImageKey.Of(Digest.Compute("config two"u8)));

        Assert.Equal("base image node:18 changed digest", MissExplainer.Reason(was, now));
        Assert.Equal($"base image node:18: image ID {Digest.Compute("config one"u8)} -> {Digest.Compute("config two"u8)}", MissExplainer.FullDiff(was, now)[0]);
    }

    [Fact]
    public void A_key_an_older_strata_made_from_the_manifest_digest_says_the_same_base_is_keyed_anew()
    {
        var config = Digest.Compute("config"u8);
        var manifest = Digest.Compute("manifest"u8);
        var was = Inputs(baseImage: $"image {manifest} config {config}");
        var now = Inputs(baseImage: BaseImageKey.Of(config));

        Assert.Equal("base image node:18 is keyed by its image ID now (the previous build's keys named its manifest digest)", MissExplainer.Reason(was, now));
        Assert.Equal($"base image node:18: image ID {config} unchanged; the previous build's keys also named its manifest, keys now follow the image ID only", MissExplainer.FullDiff(was, now)[0]);
        // An older key of another image is a plain base change.
        Assert.Equal("base image node:18 changed digest", MissExplainer.Reason(was, Inputs(baseImage: BaseImageKey.Of(manifest))));
    }

    [Fact]
    public void A_changed_build_context_base_names_the_context()
    {
        Assert.Equal("build context tools changed", MissExplainer.Reason(Inputs(baseImage: "context sha256:1") with { BaseName = "tools" }, Inputs(baseImage: "context sha256:2") with { BaseName = "tools" }));
    }

    [Fact]
    public void Changed_run_options_show_both_and_come_before_args()
    {
        var before = Inputs(args: new() { ["A"] = "1" }) with { RunOptions = "--add-host db:10.0.0.5" };
        var after = Inputs(args: new() { ["A"] = "2" });

        Assert.Equal("RUN options changed: --add-host db:10.0.0.5 -> (none)", MissExplainer.Reason(before, after));
        Assert.Contains("RUN options changed: --add-host db:10.0.0.5 -> (none)", MissExplainer.FullDiff(before, after));
    }

    [Fact]
    public void A_changed_build_arg_shows_both_values()
    {
        Assert.Equal("build arg NODE_ENV changed: dev -> prod",
            MissExplainer.Reason(Inputs(args: new() { ["NODE_ENV"] = "dev" }), Inputs(args: new() { ["NODE_ENV"] = "prod" })));
    }

    [Fact]
    public void Changed_files_name_the_first_and_count_the_rest()
    {
        var before = Inputs(files: [File("src/app.js"), File("src/b.js"), File("src/c.js"), File("src/d.js"), File("src/e.js")]);
        var after = Inputs(files: [File("src/app.js", "x"), File("src/b.js", "x"), File("src/c.js", "x"), File("src/d.js", "x"), File("src/e.js", "x")]);

        Assert.Equal("file changed: src/app.js, src/b.js, src/c.js (+2 more)", MissExplainer.Reason(before, after));
        Assert.Equal("file changed: src/app.js", MissExplainer.Reason(Inputs(files: [File("src/app.js")]), Inputs(files: [File("src/app.js", "x")])));
    }

    [Fact]
    public void A_mode_only_change_says_mode_changed()
    {
        Assert.Equal("mode changed: run.sh", MissExplainer.Reason(Inputs(files: [File("run.sh")]), Inputs(files: [File("run.sh", mode: 0x1ED)])));
    }

    [Fact]
    public void Added_files_are_counted_under_their_common_directory()
    {
        var before = Inputs(files: [File("src/app.js")]);
        var after = Inputs(files: [File("src/app.js"), File("src/a.js"), File("src/lib/b.js"), File("src/lib/c.js")]);

        Assert.Equal("3 files added under src/", MissExplainer.Reason(before, after));
        Assert.Equal("file added: src/a.js", MissExplainer.Reason(before, Inputs(files: [File("src/app.js"), File("src/a.js")])));
    }

    [Fact]
    public void Removed_files_are_listed()
    {
        Assert.Equal("files removed: x", MissExplainer.Reason(Inputs(files: [File("x"), File("y")]), Inputs(files: [File("y")])));
    }

    [Fact]
    public void Equal_inputs_have_no_reason()
    {
        Assert.Null(MissExplainer.Reason(Inputs(files: [File("x")]), Inputs(files: [File("x")])));
    }

    [Fact]
    public void The_full_diff_lists_every_difference()
    {
        var before = Inputs("RUN a", args: new() { ["A"] = "1" }, files: [File("x"), File("gone")]);
        var after = Inputs("RUN b", args: new() { ["A"] = "2" }, files: [File("x", mode: 0x1ED), File("new")]);

        var lines = MissExplainer.FullDiff(before, after);

        Assert.Equal(["- RUN a", "+ RUN b", "arg A: 1 -> 2", "added: new (file)", "removed: gone (file)", "mode: x 0644 0:0 -> 0755 0:0"], lines);
    }

    [Fact]
    public void A_step_on_a_rebased_link_step_names_it_and_why_it_moved()
    {
        Assert.Equal("parent step 2 rebased (base image node:18 changed digest)", MissExplainer.ParentRebased(2, "base image node:18 changed digest"));
        Assert.True(MissExplainer.ParentChanged(Inputs(parent: "sha256:a"), Inputs(parent: "sha256:b")));
        Assert.True(MissExplainer.ParentChanged(Inputs(baseImage: "image sha256:1"), Inputs(baseImage: "image sha256:2")));
        Assert.False(MissExplainer.ParentChanged(Inputs("RUN a"), Inputs("RUN b")));
    }
}

