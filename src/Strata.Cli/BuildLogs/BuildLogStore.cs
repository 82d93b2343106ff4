using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Strata.Cli.BuildLogs;

/// <summary>
/// The <c>builds/</c> folder of a store: one folder per build named <c>yyyyMMddTHHmmssfffZ-xxxxxx</c>
/// (UTC time then random hex), so ordinal order of names is start order. Holds <c>build.json</c> and
/// one <c>step-N.log</c> per step. Only the newest <see cref="Keep"/> builds are kept.
/// </summary>
internal sealed class BuildLogStore
{
    /// <summary>How many builds are kept; older ones are deleted when a new build starts.</summary>
    public const int Keep = 50;

    public BuildLogStore(string storeRoot) => Directory = Path.Combine(storeRoot, "builds");

    public string Directory { get; }

    public static string NewId(DateTimeOffset now) =>
        now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture) + "-" +
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    public string BuildDirectory(string id) => Path.Combine(Directory, id);

    public static string StepLogPath(string buildDirectory, int step) => Path.Combine(buildDirectory, $"step-{step.ToString(CultureInfo.InvariantCulture)}.log");

    /// <summary>Build ids, newest first.</summary>
    public IReadOnlyList<string> List()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        return [.. System.IO.Directory.EnumerateDirectories(Directory).Select(Path.GetFileName).OfType<string>()
            .Where(n => !n.StartsWith('.')).OrderDescending(StringComparer.Ordinal)];
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> builds.</summary>
    public void Prune(int keep = Keep)
    {
        foreach (var old in List().Skip(keep))
        {
            try { System.IO.Directory.Delete(BuildDirectory(old), recursive: true); }
            catch (IOException) { } // another build may be pruning the same folder; the next prune retries
            catch (UnauthorizedAccessException) { }
        }
    }

    public async Task<BuildLogRecord?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        var path = Path.Combine(BuildDirectory(id), "build.json");
        if (!File.Exists(path)) return null;
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
            return await JsonSerializer.DeserializeAsync(stream, BuildLogJsonContext.Default.BuildLogRecord, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes <c>build.json</c> atomically (temp file + rename) so readers never see half a file.</summary>
    public static void Write(string buildDirectory, BuildLogRecord record)
    {
        var path = Path.Combine(buildDirectory, "build.json");
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(record, BuildLogJsonContext.Default.BuildLogRecord));
        File.Move(temp, path, overwrite: true);
    }
}
