using System.Xml.Linq;

namespace Strata.Architecture.Tests;

/// <summary>
/// DESIGN.md's "who may import whom", enforced: every src project's ProjectReferences must be
/// in its allowed set, so the rooms cannot quietly grow into each other.
/// </summary>
public sealed class ReferenceRulesTests
{
    private static readonly string[] Base = ["Strata.Core"];

    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Strata.Core"] = [],
        ["Strata.Oci"] = [.. Base, "Strata.Content", "Strata.Archive"],
        ["Strata.Content"] = Base,
        ["Strata.Archive"] = Base,
        ["Strata.Dockerfile"] = Base,
        ["Strata.Snapshots"] = Base,
        ["Strata.Execution"] = Base,
        ["Strata.Images"] = [.. Base, "Strata.Oci", "Strata.Content", "Strata.Archive"],
        ["Strata.Registry"] = [.. Base, "Strata.Oci", "Strata.Content", "Strata.Images"],
        ["Strata.Rootfs"] = [.. Base, "Strata.Oci", "Strata.Archive", "Strata.Snapshots", "Strata.Images"],
        // "Build and Containers -> the rooms above them": never each other.
        ["Strata.Build"] = [.. Base, "Strata.Oci", "Strata.Content", "Strata.Archive", "Strata.Dockerfile", "Strata.Snapshots", "Strata.Execution", "Strata.Images", "Strata.Registry", "Strata.Rootfs"],
        ["Strata.Containers"] = [.. Base, "Strata.Oci", "Strata.Content", "Strata.Archive", "Strata.Dockerfile", "Strata.Snapshots", "Strata.Execution", "Strata.Images", "Strata.Registry", "Strata.Rootfs"],
        ["Strata.Analysis"] = [.. Base, "Strata.Oci", "Strata.Images", "Strata.Archive", "Strata.Dockerfile", "Strata.Registry"],
        ["Strata.Cli"] = ["*"],
    };

    public static TheoryData<string> SourceProjects()
    {
        var data = new TheoryData<string>();
        foreach (var dir in Directory.GetDirectories(Path.Combine(RepoPaths.Root, "src")).Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(dir));
        return data;
    }

    [Theory]
    [MemberData(nameof(SourceProjects))]
    public void Project_references_only_what_DESIGN_allows(string project)
    {
        Assert.True(Allowed.TryGetValue(project, out var allowed), $"{project} is not a room DESIGN.md names; add it to the rules first");
        var refs = ProjectReferences(project);
        if (allowed.Contains("*")) return;
        var forbidden = refs.Where(r => !allowed.Contains(r)).ToList();
        Assert.True(forbidden.Count == 0, $"{project} references {string.Join(", ", forbidden)}, which DESIGN.md does not allow");
    }

    [Fact]
    public void Nothing_references_the_cli()
    {
        foreach (var project in Allowed.Keys.Where(p => Directory.Exists(Path.Combine(RepoPaths.Root, "src", p))))
            Assert.DoesNotContain("Strata.Cli", ProjectReferences(project).Where(_ => project != "Strata.Cli"));
    }

    [Theory]
    [InlineData("Strata.Containers", "Strata.Build")]
    [InlineData("Strata.Build", "Strata.Containers")]
    public void Build_and_Containers_never_reference_each_other(string project, string other)
    {
        Assert.DoesNotContain(other, ProjectReferences(project));
        Assert.DoesNotContain(other, Allowed[project]);
    }

    [Fact]
    public void Dockerfile_room_takes_no_packages_that_do_io()
    {
        var csproj = XDocument.Load(Path.Combine(RepoPaths.Root, "src", "Strata.Dockerfile", "Strata.Dockerfile.csproj"));
        var packages = csproj.Descendants("PackageReference").Select(e => (string?)e.Attribute("Include")).ToList();
        Assert.Empty(packages);
    }

    private static List<string> ProjectReferences(string project)
    {
        var csproj = XDocument.Load(Path.Combine(RepoPaths.Root, "src", project, project + ".csproj"));
        return csproj.Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension((string?)e.Attribute("Include") ?? ""))
            .ToList();
    }
}
