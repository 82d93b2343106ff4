using Strata.Analysis.Image;
using Strata.Analysis.Image.Gates;
using Strata.Core;

namespace Strata.Analysis.Tests.Image.Gates;

public sealed class CiGateTests
{
    private static ImageAnalysis Analysis(long total, long wasted, long userWasted, params Finding[] findings) =>
        new(1, "img", "sha256:x", "sha256:y", 1, "store", total, total - wasted, wasted, wasted - userWasted, userWasted,
            Math.Round((double)(total - wasted) / total, 6), Math.Round(userWasted * 100.0 / total, 4), [], findings);

    private static Finding Secret() =>
        new("secret-github-token", "secret", "error", "GitHub token in /app/.env (layer 1)", 1, null, null, null, null, null, 10, 1, [], "fix", "ghp_********");

    [Fact]
    public void Dive_ci_keys_are_read_under_rules_with_units_and_disabled()
    {
        var t = CiConfigFile.Parse("rules:\n  # dive's defaults\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: disabled\n", ".dive-ci");
        Assert.Equal((0.95, 20_000_000L, (double?)null, false, 0L), (t.LowestEfficiency!.Value, t.HighestWastedBytes!.Value, t.HighestUserWastedPercent, t.AllowSecrets, t.MinWastedBytes));
        var s = CiConfigFile.Parse("highestUserWastedPercent: 10%\nallowSecrets: true\nminWastedBytes: 1MiB\n", ".strata-ci.yaml");
        Assert.Equal((0.1, true, 1_048_576L), (s.HighestUserWastedPercent!.Value, s.AllowSecrets, s.MinWastedBytes));
    }

    [Fact]
    public void A_bad_key_or_value_names_the_file_and_line()
    {
        Assert.Equal(".dive-ci:2: unknown key \"lowestEfficency\"", Assert.Throws<InvalidArgumentException>(() => CiConfigFile.Parse("rules:\n  lowestEfficency: 0.9\n", ".dive-ci")).Message);
        Assert.Equal("x.yaml:1: \"lots\" is not a byte size (like 20MB)", Assert.Throws<InvalidArgumentException>(() => CiConfigFile.Parse("highestWastedBytes: lots", "x.yaml")).Message);
    }

    [Fact]
    public void Each_breached_gate_is_one_line_and_secrets_fail_unless_allowed()
    {
        var a = Analysis(1_000_000, 400_000, 300_000, Secret());
        var breaches = CiGate.Check(a, new CiThresholds { LowestEfficiency = 0.9, HighestWastedBytes = 100_000, HighestUserWastedPercent = 0.2 });
        Assert.Equal([
            "lowest-efficiency: efficiency 0.6 is below 0.9 (400 kB wasted)",
            "highest-wasted-bytes: 400 kB (400000 bytes) wasted is above 100 kB",
            "highest-user-wasted-percent: user layers waste 0.3 of the image (300 kB), above 0.2",
            "secrets: secret-github-token: GitHub token in /app/.env (layer 1)",
        ], breaches);
        Assert.Empty(CiGate.Check(a, new CiThresholds { LowestEfficiency = 0.5, HighestWastedBytes = 400_000, HighestUserWastedPercent = 0.3, AllowSecrets = true }));
    }

    [Fact]
    public void The_byte_floor_keeps_ratio_gates_quiet_on_small_waste()
    {
        var a = Analysis(3000, 1500, 1500);
        var gates = new CiThresholds { LowestEfficiency = 0.9, HighestUserWastedPercent = 0.1, MinWastedBytes = 1_000_000 };
        Assert.Empty(CiGate.Check(a, gates));
        Assert.Equal(2, CiGate.Check(a, gates with { MinWastedBytes = 1500 }).Count);
    }

    [Fact]
    public void Flags_override_the_file()
    {
        var file = new CiThresholds { LowestEfficiency = 0.9, HighestWastedBytes = 10 };
        var merged = file.Over(new CiThresholds { LowestEfficiency = 0.5 });
        Assert.Equal((0.5, 10L), (merged.LowestEfficiency!.Value, merged.HighestWastedBytes!.Value));
    }
}
