using System.Text.RegularExpressions;

namespace Strata.Architecture.Tests;

/// <summary>
/// What the project references cannot show: rules over the source text of each room (DESIGN.md,
/// "Rooms"). The Dockerfile front end is pure (no disk, no network, no process, no environment),
/// nothing but the CLI names the CLI's namespace, and SQLite stays in the store room: no other
/// room (the CLI included) names Microsoft.Data.Sqlite or its types, and the store room's public
/// surface hands out none of them (owners of tables work through <c>IMetadataSession</c>), and
/// the store room names no build secrets (their directories are Build's, reached as an owner).
/// </summary>
public sealed class SourceRulesTests
{
    internal static readonly SourceRule DockerfileIsPure = new(
        "the Dockerfile front end does no I/O",
        ["Strata.Dockerfile"],
        new Regex(@"\b(File|Directory|FileInfo|DirectoryInfo|DriveInfo|FileStream|StreamReader|StreamWriter|FileSystemWatcher|HttpClient|Socket|TcpClient)\s*[.(]|\bSystem\.(IO\.File|Net|Diagnostics\.Process)\b|\bProcess\.Start\b|\bEnvironment\.(GetEnvironmentVariable|CurrentDirectory)\b|\bnew\s+(FileStream|StreamReader|StreamWriter|HttpClient|Process)\b"),
        "Strata.Dockerfile is text in, typed instructions out (DESIGN.md: PURE)");

    internal static readonly SourceRule NothingNamesTheCli = new(
        "no room names the CLI",
        ["*"],
        new Regex(@"\b(using\s+Strata\.Cli\b|Strata\.Cli\.)"),
        "the CLI is the composition root; nothing references it");

    internal static readonly SourceRule SqliteStaysInTheStore = new(
        "only the store room uses SQLite",
        ["*"],
        new Regex(@"\bMicrosoft\.Data\.Sqlite\b|\bSqlite(Connection|Command|DataReader|Exception|Transaction|Parameter|ConnectionStringBuilder)\b"),
        "metadata.db is the store room's (DESIGN.md: SQLite stays in the store room); other rooms keep their tables through MetadataTables and IMetadataSession")
    {
        Except = ["Strata.Images"],
    };

    internal static readonly SourceRule StoreHandsOutNoConnection = new(
        "the store room's public members name no SQLite type",
        ["Strata.Images"],
        new Regex(@"^\s*(public|protected)\b[^=]*\bSqlite\w+"),
        "a public member taking or returning a connection, command or reader would let other rooms write raw SQL into metadata.db");

    internal static readonly SourceRule StoreNamesNoBuildSecrets = new(
        "the store room names no build secrets",
        ["Strata.Images"],
        new Regex(@"(?i)secret|/dev/shm"),
        "secret mounts and their private directories are the build room's (Build/Secrets); the store's check and prune reach them as one more IStorageOwner");

    private static readonly SourceRule[] Rules = [DockerfileIsPure, NothingNamesTheCli, SqliteStaysInTheStore, StoreHandsOutNoConnection, StoreNamesNoBuildSecrets];

    public static TheoryData<string> RuleNames() => SourceRule.Names(Rules);

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Sources_keep_the_rule(string name)
    {
        var rule = Rules.Single(r => r.Name == name);
        rule.AssertKeptIn(SourceFiles(rule));
    }

    [Fact]
    public void Every_rule_covers_source_files_that_exist()
    {
        foreach (var rule in Rules) Assert.NotEmpty(SourceFiles(rule));
    }

    // The rules' own tests: each catches a planted violation and lets comments through.

    [Theory]
    [InlineData("var text = File.ReadAllText(path);")]
    [InlineData("using var s = new FileStream(p, FileMode.Open);")]
    [InlineData("var home = Environment.GetEnvironmentVariable(\"HOME\");")]
    [InlineData("Process.Start(\"sh\");")]
    [InlineData("var ok = Directory.Exists(dir); // checks")]
    public void The_purity_rule_catches_io(string line)
    {
        Assert.Equal([$"Planted.cs:2: {line}"], DockerfileIsPure.Violations("Planted.cs", "namespace X;\n" + line + "\n"));
    }

    [Theory]
    [InlineData("/// <summary>Never reads a File.</summary> File.ReadAllText is not used here")]
    [InlineData("// File.ReadAllText(path) would break purity")]
    [InlineData("/* Directory.Exists(x) */ var n = 1;")]
    [InlineData("var s = \"http://a\"; // File.Open")]
    [InlineData("string FileName = at.FileName;")]
    public void The_purity_rule_ignores_comments_and_lookalikes(string line)
    {
        Assert.Empty(DockerfileIsPure.Violations("Planted.cs", "namespace X;\n" + line + "\n"));
    }

    [Fact]
    public void The_cli_rule_catches_a_using_of_the_cli()
    {
        Assert.Equal(["Planted.cs:1: using Strata.Cli.Formatting;"], NothingNamesTheCli.Violations("Planted.cs", "using Strata.Cli.Formatting;\n"));
    }

    [Theory]
    [InlineData("using Microsoft.Data.Sqlite;")]
    [InlineData("await using var c = new SqliteConnection(text);")]
    [InlineData("catch (SqliteException e) when (e.SqliteErrorCode == 13)")]
    [InlineData("Func<Microsoft.Data.Sqlite.SqliteDataReader, T> map = Read;")]
    public void The_sqlite_rule_catches_sqlite_outside_the_store(string line)
    {
        Assert.Equal([$"Planted.cs:2: {line}"], SqliteStaysInTheStore.Violations("Planted.cs", "namespace X;\n" + line + "\n"));
    }

    [Theory]
    [InlineData("// SqliteConnection stays in Strata.Images")]
    [InlineData("var tables = new MetadataTables(\"build-cache\", Schema);")]
    [InlineData("await store.Metadata.WriteAsync(Tables, (s, ct) => s.ExecuteAsync(Sql, ct), ct);")]
    public void The_sqlite_rule_ignores_comments_and_the_owner_api(string line)
    {
        Assert.Empty(SqliteStaysInTheStore.Violations("Planted.cs", "namespace X;\n" + line + "\n"));
    }

    [Fact]
    public void The_sqlite_rule_covers_every_room_but_the_store_and_includes_the_cli()
    {
        var rooms = SourceFiles(SqliteStaysInTheStore).Select(f => Path.GetRelativePath(Path.Combine(RepoPaths.Root, "src"), f).Split(Path.DirectorySeparatorChar)[0]).ToHashSet();
        Assert.Contains("Strata.Cli", rooms);
        Assert.Contains("Strata.Build", rooms);
        Assert.DoesNotContain("Strata.Images", rooms);
    }

    [Theory]
    [InlineData("    public Task<T> WriteAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)")]
    [InlineData("    public static Task PutLayerAsync(SqliteConnection c, LayerRecord layer, CancellationToken cancellationToken)")]
    [InlineData("    protected SqliteCommand Command(string sql) => _c.CreateCommand();")]
    public void The_connection_rule_catches_a_public_member_naming_sqlite(string line)
    {
        Assert.Equal([$"Planted.cs:2: {line.Trim()}"], StoreHandsOutNoConnection.Violations("Planted.cs", "namespace X;\n" + line + "\n"));
    }

    [Theory]
    [InlineData("    internal Task<T> WriteAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)")]
    [InlineData("    public Task<T> ReadAsync<T>(MetadataTables tables, Func<IMetadataSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken)")]
    [InlineData("    public static string Name = nameof(SqliteConnection);")]
    public void The_connection_rule_lets_internal_members_and_the_owner_api_through(string line)
    {
        Assert.Empty(StoreHandsOutNoConnection.Violations("Planted.cs", "namespace X;\n" + line + "\n"));
    }

    [Theory]
    [InlineData("var secretLeftovers = SecretDirectories.Orphans(store.Layout);")]
    [InlineData("foreach (var dir in Directory.EnumerateDirectories(\"/dev/shm\", \"strata-secrets-*\"))")]
    [InlineData("public const string Prefix = \"strata-secrets-\";")]
    public void The_secrets_rule_catches_the_store_naming_build_secrets(string line)
    {
        Assert.Equal([$"Planted.cs:2: {line}"], StoreNamesNoBuildSecrets.Violations("Planted.cs", "namespace X;\n" + line + "\n"));
    }

    [Theory]
    [InlineData("// Owners report what killed builds left (their secret directories among it).")]
    [InlineData("findings.AddRange(ownerLeftovers.Select(l => new CheckFinding(CheckSeverity.Garbage, l.Finding)));")]
    public void The_secrets_rule_ignores_comments_and_the_owner_api(string line)
    {
        Assert.Empty(StoreNamesNoBuildSecrets.Violations("Planted.cs", "namespace X;\n" + line + "\n"));
    }

    [Fact]
    public void Only_the_store_room_references_the_sqlite_package()
    {
        var projects = Directory.GetDirectories(Path.Combine(RepoPaths.Root, "src"))
            .Select(d => Path.Combine(d, Path.GetFileName(d) + ".csproj"))
            .Where(p => SqlitePackageReferences(File.ReadAllText(p)) > 0)
            .Select(Path.GetFileNameWithoutExtension);
        Assert.Equal(["Strata.Images"], projects);
    }

    [Theory]
    [InlineData(@"<Project><ItemGroup><PackageReference Include=""Microsoft.Data.Sqlite"" /></ItemGroup></Project>", 1)]
    [InlineData(@"<Project><ItemGroup><PackageReference Include=""Microsoft.Data.Sqlite.Core"" /><PackageReference Include=""SQLitePCLRaw.bundle_e_sqlite3"" /></ItemGroup></Project>", 2)]
    [InlineData(@"<Project><ItemGroup><PackageReference Include=""System.CommandLine"" /></ItemGroup></Project>", 0)]
    public void The_package_rule_counts_sqlite_references_in_a_planted_project(string csproj, int expected)
    {
        Assert.Equal(expected, SqlitePackageReferences(csproj));
    }

    /// <summary>PackageReferences of a project that bring SQLite (the ADO.NET provider or the native bundle).</summary>
    private static int SqlitePackageReferences(string csproj) =>
        System.Xml.Linq.XDocument.Parse(csproj).Descendants("PackageReference")
            .Count(e => ((string?)e.Attribute("Include") ?? "") is var name
                && (name.StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal) || name.StartsWith("SQLitePCLRaw", StringComparison.Ordinal)));

    private static IEnumerable<string> SourceFiles(SourceRule rule)
    {
        var src = Path.Combine(RepoPaths.Root, "src");
        var rooms = rule.Rooms.Contains("*")
            ? Directory.GetDirectories(src).Select(Path.GetFileName).Where(r => !rule.Except.Contains(r!))
            : rule.Rooms;
        return rooms.SelectMany(room => Directory.EnumerateFiles(Path.Combine(src, room!), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
    }
}
