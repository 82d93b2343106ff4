
namespace Strata.Architecture.Tests;

/// <summary>
/// DESIGN.md: runtime types stay in Strata.Execution. Everyone else holds
/// <c>IContainerExecutor</c> or <c>IContainerRuntime</c>; only the CLI's composition root
/// (<c>RuntimeOpener</c>) names runc, to make one.
/// </summary>
public sealed class RuntimeTypeRulesTests : IDisposable
{
    private static readonly string[] Allowed = ["Strata.Execution", "Strata.Cli/RuntimeOpener.cs"];

    private readonly TempDir _tempDir = new("strata-arch-");

    public void Dispose() => _tempDir.Dispose();

    private static string Src => Path.Combine(RepoPaths.Root, "src");

    [Fact]
    public void The_runc_types_are_found_in_Strata_Execution()
    {
        var types = RuntimeTypeScan.RuncTypes(Path.Combine(Src, "Strata.Execution"));
        Assert.Contains("RuncExecutor", types);
        Assert.Contains("RuncOptions", types);
    }

    [Fact]
    public void No_runc_type_is_named_outside_Execution_and_the_composition_root()
    {
        var types = RuntimeTypeScan.RuncTypes(Path.Combine(Src, "Strata.Execution"));
        var uses = RuntimeTypeScan.UsesOutside(Src, types, Allowed);
        Assert.True(uses.Count == 0, "runc types used outside Strata.Execution and Strata.Cli/RuntimeOpener.cs (take IContainerRuntime instead):\n" + string.Join('\n', uses));
    }

    [Fact]
    public void The_scan_reports_a_downcast_outside_the_allowed_files_and_skips_comments()
    {
        // The rule's own test: a tree that breaks it must be reported, line by line.
        Directory.CreateDirectory(Path.Combine(_tempDir.Path, "Strata.Execution"));
        File.WriteAllText(Path.Combine(_tempDir.Path, "Strata.Execution", "RuncThing.cs"), "public sealed partial class RuncThing : IContainerRuntime;\n");
        Directory.CreateDirectory(Path.Combine(_tempDir.Path, "Strata.Containers"));
        File.WriteAllText(Path.Combine(_tempDir.Path, "Strata.Containers", "Manager.cs"),
            "/// <summary>see RuncThing</summary>\nclass Manager\n{\n    bool Check(object e) => e is RuncThing;\n}\n");
        Directory.CreateDirectory(Path.Combine(_tempDir.Path, "Strata.Cli"));
        File.WriteAllText(Path.Combine(_tempDir.Path, "Strata.Cli", "RuntimeOpener.cs"), "var r = new RuncThing();\n");
        File.WriteAllText(Path.Combine(_tempDir.Path, "Strata.Cli", "PsVerb.cs"), "var r = (RuncThing)x; var s = RuncThingy.Make();\n");

        var types = RuntimeTypeScan.RuncTypes(Path.Combine(_tempDir.Path, "Strata.Execution"));
        Assert.Equal(["RuncThing"], types);
        var uses = RuntimeTypeScan.UsesOutside(_tempDir.Path, types, Allowed);
        Assert.Equal(["Strata.Cli/PsVerb.cs:1: RuncThing", "Strata.Containers/Manager.cs:4: RuncThing"], uses);
    }
}
