using System.Diagnostics;

namespace Strata.Analysis.Tests.Sarif;

/// <summary>
/// Validates a SARIF document against the vendored SARIF 2.1.0 JSON schema (Sarif/Schema) with a
/// real JSON-schema validator: Debian's python3-jsonschema. Lint's and analyze's tests share it.
/// </summary>
internal static class SarifValidator
{
    private const string Script = """
        import json, sys
        import jsonschema
        schema = json.load(open(sys.argv[1]))
        doc = json.load(open(sys.argv[2]))
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)
        errors = sorted(cls(schema).iter_errors(doc), key=lambda e: list(e.path))
        for e in errors:
            print("/".join(str(p) for p in e.path) + ": " + e.message)
        print("draft=" + cls.__name__)
        sys.exit(1 if errors else 0)
        """;

    /// <summary>Exit code 0 and the validator's name when valid; 1 and one line per error otherwise.</summary>
    public static async Task<(int ExitCode, string Output)> ValidateAsync(string sarifJson, string workDirectory)
    {
        var doc = Path.Combine(workDirectory, "out.sarif");
        var script = Path.Combine(workDirectory, "validate.py");
        await File.WriteAllTextAsync(doc, sarifJson);
        await File.WriteAllTextAsync(script, Script);
        var schema = Path.Combine(RepoPaths.Root, "tests", "Strata.Analysis.Tests", "Sarif", "Schema", "sarif-2.1.0-rtm.5.json");
        // Debian's interpreter, where python3-jsonschema is installed (another python3 may be first on PATH).
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var psi = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { script, schema, doc }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout + await stderr);
    }
}
