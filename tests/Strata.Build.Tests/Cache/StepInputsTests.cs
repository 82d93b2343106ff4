using Strata.Build.Cache;

namespace Strata.Build.Tests.Cache;

public sealed class StepInputsTests
{
    internal static StepInputs Inputs(string instruction = "RUN npm ci", Dictionary<string, string>? args = null, List<SourceFile>? files = null, string parent = "sha256:p", string baseImage = "image sha256:b") => new()
    {
        Step = 1,
        Parent = parent,
        Base = baseImage,
        BaseName = "node:18",
        Instruction = instruction,
        Definition = "{\"def\":\"" + instruction + "\"}",
        Platform = "linux/amd64",
        Args = args ?? new Dictionary<string, string>(StringComparer.Ordinal),
        Files = files ?? [],
    };

    internal static SourceFile File(string path, string sha = "aa", uint mode = 0x1A4, long size = 1) => new(path, "file", mode, 0, 0, size, sha, null);

    [Fact]
    public void Equal_inputs_give_equal_keys_whatever_the_order_of_args_and_files()
    {
        var a = Inputs(args: new() { ["A"] = "1", ["B"] = "2" }, files: [File("x"), File("y")]);
        var b = Inputs(args: new() { ["B"] = "2", ["A"] = "1" }, files: [File("y"), File("x")]);

        Assert.Equal(a.Key(), b.Key());
    }

    [Fact]
    public void Every_input_changes_the_key()
    {
        var key = Inputs(args: new() { ["A"] = "1" }, files: [File("x")]).Key();

        Assert.NotEqual(key, Inputs("RUN npm install", args: new() { ["A"] = "1" }, files: [File("x")]).Key());
        Assert.NotEqual(key, Inputs(args: new() { ["A"] = "2" }, files: [File("x")]).Key());
        Assert.NotEqual(key, Inputs(args: new() { ["A"] = "1" }, files: [File("x", sha: "bb")]).Key());
        Assert.NotEqual(key, Inputs(args: new() { ["A"] = "1" }, files: [File("x", mode: 0x1ED)]).Key());
        Assert.NotEqual(key, Inputs(args: new() { ["A"] = "1" }, files: [File("x")], parent: "sha256:q").Key());
        Assert.NotEqual(key, Inputs(args: new() { ["A"] = "1" }, files: [File("x")], baseImage: "image sha256:c").Key());
    }

    [Fact]
    public void Run_options_change_the_key_and_none_keeps_the_key_of_inputs_without_them()
    {
        var plain = Inputs();

        Assert.Equal(plain.Key(), (plain with { RunOptions = "" }).Key());
        Assert.NotEqual(plain.Key(), (plain with { RunOptions = "--add-host db:10.0.0.5" }).Key());
        Assert.NotEqual((plain with { RunOptions = "--add-host db:10.0.0.5" }).Key(), (plain with { RunOptions = "--add-host db:10.0.0.6" }).Key());
    }

    [Fact]
    public void Values_cannot_collide_by_moving_text_between_fields()
    {
        var a = Inputs(args: new() { ["A"] = "1\narg B=2" });
        var b = Inputs(args: new() { ["A"] = "1", ["B"] = "2" });

        Assert.NotEqual(a.Key(), b.Key());
    }

    [Fact]
    public void The_key_is_the_sha256_of_the_canonical_text()
    {
        var inputs = Inputs();

        Assert.Equal(Strata.Core.Digest.Compute(System.Text.Encoding.UTF8.GetBytes(inputs.Canonical())), inputs.Key().Value);
        Assert.StartsWith("sha256:", inputs.Key().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_key_leaves_out_parent_and_base_but_differs_from_the_chained_key()
    {
        var none = new LinkInputs(null, null);
        var key = Inputs(files: [File("x")]).LinkKey(none);

        Assert.Equal(key, Inputs(files: [File("x")], parent: "sha256:q", baseImage: "image sha256:c").LinkKey(none));
        Assert.NotEqual(key, Inputs(files: [File("x")]).Key());
    }

    [Fact]
    public void A_link_key_changes_with_everything_the_layer_depends_on()
    {
        var none = new LinkInputs(null, null);
        var key = Inputs(args: new() { ["SOURCE_DATE_EPOCH"] = "1" }, files: [File("x")]).LinkKey(none);

        Assert.NotEqual(key, Inputs("COPY --link x /y", args: new() { ["SOURCE_DATE_EPOCH"] = "1" }, files: [File("x")]).LinkKey(none));
        Assert.NotEqual(key, Inputs(args: new() { ["SOURCE_DATE_EPOCH"] = "2" }, files: [File("x")]).LinkKey(none));
        Assert.NotEqual(key, Inputs(args: new() { ["SOURCE_DATE_EPOCH"] = "1" }, files: [File("x", sha: "bb")]).LinkKey(none));
        Assert.NotEqual(key, Inputs(args: new() { ["SOURCE_DATE_EPOCH"] = "1" }, files: [File("x", mode: 0x1ED)]).LinkKey(none));
        Assert.NotEqual(key, Inputs(args: new() { ["SOURCE_DATE_EPOCH"] = "1" }, files: [File("x")]).LinkKey(new LinkInputs("/app", null)));
        Assert.NotEqual(key, Inputs(args: new() { ["SOURCE_DATE_EPOCH"] = "1" }, files: [File("x")]).LinkKey(new LinkInputs(null, "1000:1000")));
        Assert.NotEqual(
            Inputs(files: [File("x")]).LinkKey(new LinkInputs("/a", null)),
            Inputs(files: [File("x")]).LinkKey(new LinkInputs("/b", null)));
    }
}
