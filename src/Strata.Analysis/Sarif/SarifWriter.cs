using System.Text.Encodings.Web;
using System.Text.Json;

namespace Strata.Analysis.Sarif;

/// <summary>
/// Writes and reads SARIF logs. Any report can use it: map findings to <see cref="SarifRule"/>s and
/// <see cref="SarifResult"/>s, wrap them in one <see cref="SarifRun"/>, and write.
/// </summary>
public static class SarifWriter
{
    // Relaxed escaping so messages read as written ("&&", quotes) in the file.
    private static readonly SarifJsonContext Json = new(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public static string ToJson(SarifLog log) => JsonSerializer.Serialize(log, Json.SarifLog);

    public static SarifLog? FromJson(string json) => JsonSerializer.Deserialize(json, Json.SarifLog);

    /// <summary>SARIF's level for a severity word: <c>error</c>, <c>warning</c>, or <c>note</c> for anything milder.</summary>
    public static string Level(string severity) => severity switch
    {
        "error" => "error",
        "warning" => "warning",
        _ => "note",
    };
}
