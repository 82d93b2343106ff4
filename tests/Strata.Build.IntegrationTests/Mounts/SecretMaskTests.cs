using System.Security.Cryptography;
using System.Text;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Mounts;

/// <summary>
/// A RUN that prints a secret (cat of the secret file, an env secret printed in two pieces by two
/// processes, a key of several lines) shows <c>****</c> instead: in the progress output, in the
/// stored log under <c>&lt;store&gt;/builds/</c> (and <c>build logs</c>), and in a failed step's error.
/// </summary>
public sealed partial class SecretMaskTests : IClassFixture<BaseStore>
{
    private readonly BaseStore _base;

    public SecretMaskTests(BaseStore store) => _base = store;

    [Fact]
    public async Task Printed_secret_values_are_masked_in_progress_the_stored_log_and_errors()
    {
        var (strata, build) = await MountBuild.NewAsync(_base, "secret-mask");
        var fileMarker = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var envMarker = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var keyLine = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var secretFile = Path.Combine(_base.Root, "mask-secret.txt");
        await File.WriteAllTextAsync(secretFile, fileMarker + "\n");
        var keyFile = Path.Combine(_base.Root, "mask-key.pem");
        await File.WriteAllTextAsync(keyFile, $"-----BEGIN TEST KEY-----\n{keyLine}\n-----END TEST KEY-----\n");
        string[] secrets = ["--secret", $"id=tok,src={secretFile}", "--secret", "id=envtok,env=MASK_TOKEN", "--secret", $"id=key,src={keyFile}"];
        var env = new Dictionary<string, string?> { ["MASK_TOKEN"] = envMarker };
        const string mounts = "--mount=type=secret,id=tok --mount=type=secret,id=envtok,env=ENV_TOK --mount=type=secret,id=key";

        var result = (await build.BuildAsync(
            "FROM base:1\n" +
            $"RUN {mounts} cat /run/secrets/tok; " +
            "printf 'env=%s' \"$ENV_TOK\" | /bin/busybox head -c 20; printf '%s;\\n' \"$ENV_TOK\" | /bin/busybox tail -c +17; " +
            "cat /run/secrets/key; echo end\n",
            "mask:1", secrets, env)).EnsureSuccess();

        var step = result.Stderr.Split('\n').Select(l => OutputLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["****", "env=****;", "****", "end"], step);
        var logs = (await strata.RunAsync("build", "logs")).EnsureSuccess().Stdout;
        Assert.Contains("#2 env=****;\n", logs, StringComparison.Ordinal);

        // A failing step's error quotes its last output lines: masked too.
        var failed = await build.BuildAsync($"FROM base:1\nRUN {mounts} cat /run/secrets/tok; exit 7\n", "mask:2", secrets, env);
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("exit code 7; last output: ****", failed.Stderr, StringComparison.Ordinal);

        foreach (var marker in new[] { fileMarker, envMarker, keyLine })
        {
            foreach (var (what, text) in new[] { ("progress", result.Stderr), ("failed progress", failed.Stderr), ("build logs", logs) })
                Assert.False(text.Contains(marker, StringComparison.Ordinal), $"a secret value is in the {what}:\n{text}");
            var found = SecretMountTests.FilesContaining(Path.Combine(strata.StoreRoot, "builds"), Encoding.ASCII.GetBytes(marker)).ToList();
            Assert.True(found.Count == 0, "a secret value is in stored logs:\n  " + string.Join("\n  ", found));
        }
    }

    /// <summary>An output line of step #2 in plain progress: <c>#2 0.123 TEXT</c>.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^#2 [0-9]+\.[0-9]{3} (.*)$")]
    private static partial System.Text.RegularExpressions.Regex OutputLine();
}
