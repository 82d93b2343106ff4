using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Strata.Core;

namespace Strata.Build.Logs;

/// <summary>
/// The <c>builds/</c> folder of a store: one folder per build named <c>yyyyMMddTHHmmssfffZ-xxxxxx</c>
/// (UTC time then random hex), so ordinal order of names is start order. Holds <c>build.json</c> and
/// one <c>step-N.log</c> per step. Only the newest <see cref="Keep"/> builds are kept.
/// </summary>
public sealed class BuildLogStore
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

    /// <summary>
    /// The build <c>builder logs</c> shows: the newest when <paramref name="wanted"/> is null,
    /// else the one with that id or the only one whose id starts with it.
    /// </summary>
    public string Resolve(string? wanted)
    {
        var ids = List();
        if (wanted is null) return ids.Count > 0 ? ids[0] : throw new NotFoundException("no builds recorded in this store");
        var matches = ids.Where(b => b.StartsWith(wanted, StringComparison.Ordinal)).ToList();
        if (matches.Count == 0) throw new NotFoundException($"build {wanted} not found");
        if (matches.Count > 1 && !matches.Contains(wanted)) throw new InvalidArgumentException($"build id prefix {wanted} is ambiguous");
        return matches.Contains(wanted) ? wanted : matches[0];
    }

    /// <summary>Every recorded build, newest first (a build whose <c>build.json</c> is missing is left out).</summary>
    public async IAsyncEnumerable<BuildLogRecord> ListRecordsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var id in List())
            if (await ReadAsync(id, cancellationToken).ConfigureAwait(false) is { } record) yield return record;
    }

    /// <summary>Where step <paramref name="step"/> of build <paramref name="id"/> wrote its output.</summary>
    public string StepLog(string id, int step) => StepLogPath(BuildDirectory(id), step);

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
