using System.Text.RegularExpressions;

namespace Strata.Architecture.Tests;

/// <summary>
/// One harness (issue 19): every test project runs strata, dockerd, docker-registry and tmux,
/// makes its temp directories and builds its busybox rootfs through tests/Strata.Testing, never
/// through a copy of its own. These rules scan the test sources (the support project aside) for
/// what a copy would have to contain: a way to find the strata binary or start it bare, the
/// daemons' and tmux's paths, the system temp folder, a copy of the busybox binary. This
/// project is exempt: its tests below plant exactly that text to show each rule failing.
/// </summary>
public sealed class HarnessRulesTests
{
    private const string Harness = "Strata.Testing";

    /// <summary>The harness, and this project, whose tests plant the forbidden text on purpose.</summary>
    private static readonly string[] Exempt = [Harness, "Strata.Architecture.Tests"];

    internal static readonly SourceRule OneStrataRunner = new(
        "only the harness finds and starts the strata binary",
        ["*"],
        new Regex(@"\bSTRATA_BIN\b|""strata\.dll""|""Strata\.Cli"",\s*""bin""|\b(new\s+ProcessStartInfo|Process\.Start)\(\s*(StrataCli\.Binary|StrataBinary\.Path)\b"),
        "StrataBinary finds strata one way and ProcessRunner kills a hung one with its children and fails the test naming the command; use StrataCli (Start for a process the test drives)")
    {
        Except = Exempt,
    };

    internal static readonly SourceRule OneDockerd = new(
        "only the harness starts dockerd",
        ["*"],
        new Regex(@"""(/usr/sbin/)?dockerd""|""--data-root"""),
        "Dockerd has the one skip policy: skip only when an installed engine cannot start, printing why; use it as a fixture")
    {
        Except = Exempt,
    };

    internal static readonly SourceRule OneTempDir = new(
        "only the harness makes temp directories",
        ["*"],
        new Regex(@"\b(CreateTempSubdirectory|GetTempPath|GetTempFileName)\b|\bPath\.Combine\(\s*""/tmp"""),
        "TempDir is deleted on dispose, read-only directories included, and refuses loudly to delete through a mount")
    {
        Except = Exempt,
    };

    internal static readonly SourceRule OneRegistry = new(
        "only the harness starts docker-registry",
        ["*"],
        new Regex(@"""(/usr/bin/)?docker-registry"""),
        "RegistryServer is the one registry fixture (subclass it for TLS or auth)")
    {
        Except = Exempt,
    };

    internal static readonly SourceRule OneTmux = new(
        "only the harness drives tmux",
        ["*"],
        new Regex(@"""(/usr/bin/)?tmux"""),
        "TmuxSession runs a command to its end or a session a test types into")
    {
        Except = Exempt,
    };

    internal static readonly SourceRule OneBusyboxBuilder = new(
        "only the harness copies busybox into a rootfs",
        ["*"],
        new Regex(@"\bFile\.Copy\([^,]*[Bb]usybox"),
        "BusyboxRootfs is the one builder; a project's base is a value of it")
    {
        Except = Exempt,
    };

    private static readonly SourceRule[] Rules = [OneStrataRunner, OneDockerd, OneTempDir, OneRegistry, OneTmux, OneBusyboxBuilder];

    public static TheoryData<string> RuleNames() => SourceRule.Names(Rules);

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Test_sources_keep_the_rule(string name)
    {
        var rule = Rules.Single(r => r.Name == name);
        rule.AssertKeptIn(TestSourceFiles(rule));
    }

    [Fact]
    public void The_rules_cover_every_test_project_but_the_harness_and_this_one()
    {
        var projects = TestSourceFiles(OneTempDir).Select(f => Path.GetRelativePath(Path.Combine(RepoPaths.Root, "tests"), f).Split(Path.DirectorySeparatorChar)[0]).ToHashSet();
        Assert.Contains("Strata.Integration.Tests", projects);
        Assert.Contains("Strata.Build.IntegrationTests", projects);
        Assert.Contains("Strata.Cli.Tests", projects);
        Assert.DoesNotContain(Harness, projects);
        Assert.Equal(Directory.GetDirectories(Path.Combine(RepoPaths.Root, "tests")).Length - Exempt.Length, projects.Count);
    }

    [Fact]
    public void The_harness_holds_what_the_rules_forbid_elsewhere()
    {
        // The rules would be vacuous if the forbidden text named nothing real: the harness itself matches each.
        var harness = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "tests", Harness), "*.cs")
            .Select(f => (Path: f, Text: File.ReadAllText(f))).ToList();
        foreach (var rule in Rules)
            Assert.True(harness.Any(f => rule.Violations(f.Path, f.Text).Any()), $"nothing in {Harness} matches \"{rule.Name}\"");
    }

    // The rules' own tests: each catches a planted copy and lets the harness's use through.

    [Theory]
    [InlineData("if (Environment.GetEnvironmentVariable(\"STRATA_BIN\") is { Length: > 0 } bin) return bin;")]
    [InlineData("var dll = Path.Combine(AppContext.BaseDirectory, \"strata.dll\");")]
    [InlineData("var path = Path.Combine(RepoPaths.Root, \"src\", \"Strata.Cli\", \"bin\", config, \"net10.0\", \"strata\");")]
    [InlineData("var psi = new ProcessStartInfo(StrataCli.Binary) { RedirectStandardOutput = true };")]
    [InlineData("using var strata = Process.Start(StrataBinary.Path, args);")]
    public void The_runner_rule_catches_a_runner_of_its_own(string line) =>
        Assert.Equal([$"Planted.cs:2: {line}"], OneStrataRunner.Violations("Planted.cs", "namespace X;\n" + line + "\n"));

    [Theory]
    [InlineData("/// <summary>The real CLI (env STRATA_BIN, else the built strata).</summary>")]
    [InlineData("var r = await new StrataCli(root).RunAsync(\"images\");")]
    [InlineData("using var process = strata.Start([\"build\", context]);")]
    [InlineData("var script = $\"{StrataCli.Binary} --root {root} run --rm -t base:1 tty\";")]
    public void The_runner_rule_lets_the_harness_through(string line) =>
        Assert.Empty(OneStrataRunner.Violations("Planted.cs", "namespace X;\n" + line + "\n"));

    [Theory]
    [InlineData("var psi = new ProcessStartInfo(\"/usr/sbin/dockerd\") { UseShellExecute = false };")]
    [InlineData("foreach (var a in new[] { \"--iptables=false\", \"--data-root\", data }) psi.ArgumentList.Add(a);")]
    [InlineData("public const string Dockerd = \"dockerd\";")]
    public void The_dockerd_rule_catches_a_daemon_of_its_own(string line) =>
        Assert.Equal([$"Planted.cs:2: {line}"], OneDockerd.Violations("Planted.cs", "namespace X;\n" + line + "\n"));

    [Theory]
    [InlineData("public sealed class DockerInteropTests(RegistryServer registry, Dockerd docker) : IDisposable")]
    [InlineData("docker.SkipIfUnavailable(); // dockerd cannot start without root")]
    public void The_dockerd_rule_lets_the_fixture_through(string line) =>
        Assert.Empty(OneDockerd.Violations("Planted.cs", "namespace X;\n" + line + "\n"));

    [Theory]
    [InlineData("private readonly string _dir = Directory.CreateTempSubdirectory(\"strata-x-\").FullName;")]
    [InlineData("Root = Path.Combine(Path.GetTempPath(), \"strata-tests\", Guid.NewGuid().ToString(\"N\"));")]
    [InlineData("var file = Path.GetTempFileName();")]
    [InlineData("public string BinaryDirectory { get; } = Path.Combine(\"/tmp\", \"strata-bin-\" + Guid.NewGuid().ToString(\"N\"));")]
    public void The_temp_rule_catches_a_temp_directory_of_its_own(string line) =>
        Assert.Equal([$"Planted.cs:2: {line}"], OneTempDir.Violations("Planted.cs", "namespace X;\n" + line + "\n"));

    [Theory]
    [InlineData("private readonly TempDir _temp = new(\"strata-x-\");")]
    [InlineData("// not Path.GetTempPath(): TempDir refuses to delete through a mount")]
    public void The_temp_rule_lets_the_harness_through(string line) =>
        Assert.Empty(OneTempDir.Violations("Planted.cs", "namespace X;\n" + line + "\n"));

    [Theory]
    [InlineData("public const string Binary = \"/usr/bin/docker-registry\";")]
    public void The_registry_rule_catches_a_registry_of_its_own(string line) =>
        Assert.Equal([$"Planted.cs:2: {line}"], OneRegistry.Violations("Planted.cs", "namespace X;\n" + line + "\n"));

    [Theory]
    [InlineData("private const string Tmux = \"/usr/bin/tmux\";")]
    [InlineData("return StrataRun.RunAsync(\"tmux\", [\"-L\", socket, .. args]);")]
    public void The_tmux_rule_catches_a_terminal_of_its_own(string line) =>
        Assert.Equal([$"Planted.cs:2: {line}"], OneTmux.Violations("Planted.cs", "namespace X;\n" + line + "\n"));

    [Theory]
    [InlineData("var (screen, exit) = await TmuxSession.RunToEndAsync(strata.Command(\"pull\", reference));")]
    public void The_tmux_rule_lets_the_harness_through(string line) =>
        Assert.Empty(OneTmux.Violations("Planted.cs", "namespace X;\n" + line + "\n"));

    [Theory]
    [InlineData("File.Copy(\"/bin/busybox\", Path.Combine(rootfs, \"bin\", \"busybox\"));")]
    [InlineData("File.Copy(Tool.Busybox, Path.Combine(rootfs, \"bin\", \"busybox\"));")]
    public void The_busybox_rule_catches_a_builder_of_its_own(string line) =>
        Assert.Equal([$"Planted.cs:2: {line}"], OneBusyboxBuilder.Violations("Planted.cs", "namespace X;\n" + line + "\n"));

    [Theory]
    [InlineData("BusyboxRootfs.Minimal.Create(rootfs);")]
    [InlineData("File.Copy(source, Path.Combine(context, \"busybox.tar\"));")]
    public void The_busybox_rule_lets_the_builder_through(string line) =>
        Assert.Empty(OneBusyboxBuilder.Violations("Planted.cs", "namespace X;\n" + line + "\n"));

    /// <summary>Every .cs file of every test project the rule covers (build output aside).</summary>
    private static IEnumerable<string> TestSourceFiles(SourceRule rule)
    {
        var tests = Path.Combine(RepoPaths.Root, "tests");
        return Directory.GetDirectories(tests)
            .Where(d => !rule.Except.Contains(Path.GetFileName(d)))
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
    }
}
