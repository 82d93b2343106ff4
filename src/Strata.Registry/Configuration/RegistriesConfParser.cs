using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace Strata.Registry.Configuration;

/// <summary>
/// Reads registries.conf (TOML) through Tomlyn's model (<see cref="TomlTable"/>, no reflection
/// mapping, so the binary stays AOT-clean) into <see cref="RegistriesConf"/>, checking what
/// containers/image checks: locations without a URI scheme, a wildcard prefix without a
/// location, no <c>pull-from-mirror</c> beside <c>mirror-by-digest-only</c>, one
/// <c>insecure</c>/<c>blocked</c> setting per location, v1 (<c>[registries.insecure]</c>,
/// <c>[registries.block]</c>) not mixed with v2. Keys Strata does not use
/// (<c>unqualified-search-registries</c>, <c>aliases</c>, ...) are accepted and ignored.
/// Every error is one line: <c>FILE:LINE: what</c>.
/// </summary>
public static class RegistriesConfParser
{
    public static RegistriesConf Parse(string text, string path) => Parse(text, path, dropIn: false);

    /// <summary>A file of a registries.conf.d directory: v2 only, as containers/image requires of drop-ins.</summary>
    public static RegistriesConf ParseDropIn(string text, string path) => Parse(text, path, dropIn: true);

    private static RegistriesConf Parse(string text, string path, bool dropIn)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(path);
        var metadata = new TomlMetadataStore();
        TomlTable root;
        try
        {
            var context = new RegistriesConfToml(new TomlSerializerOptions { SourceName = path, MetadataStore = metadata });
            root = TomlSerializer.Deserialize(text, context.TomlTable) ?? new TomlTable();
        }
        catch (TomlException e)
        {
            // A converter wraps the parser's own exception, which has the position.
            var inner = e;
            while (inner.InnerException is TomlException deeper) inner = deeper;
            throw new RegistriesConfException($"{path}:{inner.Line ?? e.Line}: {FirstLine(inner)}", e);
        }
        var reader = new Reader(path, metadata);
        var v2 = root.TryGetValue("registry", out var tables) ? reader.Registries(root, tables) : [];
        var v1 = root.TryGetValue("registries", out var legacy) ? reader.Version1(root, legacy) : [];
        if (v1.Count > 0 && (v2.Count > 0 || root.ContainsKey("unqualified-search-registries")))
            throw new RegistriesConfException($"{path}:{reader.Line(root, "registries")}: mixing sysregistry v1 ([registries.*]) and v2 ([[registry]]) is not supported");
        if (dropIn && root.ContainsKey("registries"))
            throw new RegistriesConfException($"{path}:{reader.Line(root, "registries")}: a registries.conf.d drop-in must use the v2 format ([[registry]]), not [registries.*]");
        var registries = v1.Count > 0 ? v1 : v2;
        CheckConflicts(path, registries);
        return new RegistriesConf(path, registries);
    }

    /// <summary>Tomlyn's message without its own position prefix (the file and line are ours).</summary>
    private static string FirstLine(TomlException e)
    {
        var message = e.Diagnostics is { Count: > 0 } bag ? bag[0].Message : e.Message;
        message = message.Split('\n')[0].Trim();
        const string marker = " : error : ";
        int at = message.LastIndexOf(marker, StringComparison.Ordinal);
        return at >= 0 ? message[(at + marker.Length)..] : message;
    }

    internal static void CheckConflicts(string path, IReadOnlyList<RegistryEntry> registries)
    {
        foreach (var group in registries.GroupBy(r => r.Location, StringComparer.Ordinal))
        {
            if (group.Select(r => r.Insecure).Distinct().Count() > 1)
                throw new RegistriesConfException($"{path}: registry '{group.Key}' is defined multiple times with conflicting 'insecure' setting");
            if (group.Select(r => r.Blocked).Distinct().Count() > 1)
                throw new RegistriesConfException($"{path}: registry '{group.Key}' is defined multiple times with conflicting 'blocked' setting");
        }
    }

    /// <summary>Typed reads of the model, each error naming the file and the key's line.</summary>
    private sealed class Reader(string path, TomlMetadataStore metadata)
    {
        public List<RegistryEntry> Registries(TomlTable root, object tables)
        {
            if (tables is not TomlTableArray array) throw Error(root, "registry", "'registry' must be an array of tables ([[registry]])");
            var entries = new List<RegistryEntry>(array.Count);
            foreach (var table in array) entries.Add(Registry(table));
            return entries;
        }

        private RegistryEntry Registry(TomlTable table)
        {
            var location = Location(table, "location", allowEmpty: true);
            var prefix = Location(table, "prefix", allowEmpty: true);
            bool wildcard = prefix.StartsWith("*.", StringComparison.Ordinal);
            if (wildcard && location.Length > 0) throw Error(table, "location", $"[[registry]] with the wildcarded prefix \"{prefix}\" cannot set a location");
            if (prefix.Contains('*', StringComparison.Ordinal) && !wildcard) throw Error(table, "prefix", $"invalid prefix \"{prefix}\": a wildcard is allowed only as \"*.domain\"");
            if (location.Length == 0 && !wildcard) throw Error(table, prefix.Length > 0 ? "prefix" : null, "invalid location: cannot be empty");
            if (prefix.Length == 0) prefix = location;
            bool byDigestOnly = Bool(table, "mirror-by-digest-only");
            var mirrors = new List<RegistryMirror>();
            if (table.TryGetValue("mirror", out var value))
            {
                if (value is not TomlTableArray array) throw Error(table, "mirror", "'mirror' must be an array of tables ([[registry.mirror]])");
                foreach (var mirror in array)
                {
                    var pullFrom = PullFrom(mirror);
                    if (byDigestOnly && mirror.ContainsKey("pull-from-mirror"))
                        throw Error(mirror, "pull-from-mirror", $"[[registry]] {prefix} sets mirror-by-digest-only, so its mirrors cannot set pull-from-mirror");
                    var mirrorLocation = Location(mirror, "location", allowEmpty: false);
                    mirrors.Add(new RegistryMirror(mirrorLocation, Bool(mirror, "insecure"), pullFrom));
                }
            }
            return new RegistryEntry(prefix, location, Bool(table, "insecure"), Bool(table, "blocked"), byDigestOnly, mirrors);
        }

        /// <summary>v1: <c>[registries.insecure] registries = [...]</c> and <c>[registries.block]</c>, one table per location.</summary>
        public List<RegistryEntry> Version1(TomlTable root, object value)
        {
            if (value is not TomlTable registries) throw Error(root, "registries", "'registries' must be a table ([registries.insecure], [registries.block])");
            var insecure = Hosts(registries, "insecure");
            var blocked = Hosts(registries, "block");
            return [.. insecure.Concat(blocked).Distinct(StringComparer.Ordinal)
                .Select(host => new RegistryEntry(host, host, insecure.Contains(host), blocked.Contains(host), false, []))];
        }

        private List<string> Hosts(TomlTable registries, string category)
        {
            if (!registries.TryGetValue(category, out var value)) return [];
            if (value is not TomlTable table || !table.TryGetValue("registries", out var list)) return [];
            if (list is not TomlArray array) throw Error(table, "registries", $"[registries.{category}] registries must be an array of strings");
            var hosts = new List<string>(array.Count);
            foreach (var item in array)
            {
                if (item is not string text) throw Error(table, "registries", $"[registries.{category}] registries must be an array of strings");
                hosts.Add(CheckLocation(table, "registries", text, allowEmpty: false));
            }
            return hosts;
        }

        private PullFromMirror PullFrom(TomlTable mirror) => String(mirror, "pull-from-mirror") switch
        {
            "" or "all" => PullFromMirror.All,
            "digest-only" => PullFromMirror.DigestOnly,
            "tag-only" => PullFromMirror.TagOnly,
            var other => throw Error(mirror, "pull-from-mirror", $"unsupported pull-from-mirror \"{other}\" (want all, digest-only or tag-only)"),
        };

        private string Location(TomlTable table, string key, bool allowEmpty) => CheckLocation(table, key, String(table, key), allowEmpty);

        /// <summary>containers/image's parseLocation: trailing slashes dropped, no URI scheme, not empty.</summary>
        private string CheckLocation(TomlTable table, string key, string value, bool allowEmpty)
        {
            var trimmed = value.TrimEnd('/');
            if (trimmed.Length == 0 && !allowEmpty) throw Error(table, key, $"invalid {key}: cannot be empty");
            if (trimmed.StartsWith("http://", StringComparison.Ordinal) || trimmed.StartsWith("https://", StringComparison.Ordinal))
                throw Error(table, key, $"invalid {key} \"{value}\": URI schemes are not supported");
            return trimmed;
        }

        private string String(TomlTable table, string key) => !table.TryGetValue(key, out var value) ? ""
            : value as string ?? throw Error(table, key, $"'{key}' must be a string");

        private bool Bool(TomlTable table, string key) => table.TryGetValue(key, out var value)
            && (value as bool? ?? throw Error(table, key, $"'{key}' must be true or false"));

        /// <summary>The 1-based line of <paramref name="key"/> in <paramref name="table"/>, else of any key in it; 0 when unknown.</summary>
        public int Line(TomlTable table, string? key)
        {
            if (!metadata.TryGetProperties(table, out var properties) || properties is null) return 0;
            foreach (var candidate in key is null ? table.Keys : [key, .. table.Keys])
                if (properties.TryGetProperty(candidate, out var property) && property?.Span is { } span) return span.Start.Line + 1;
            return 0;
        }

        private RegistriesConfException Error(TomlTable table, string? key, string message)
        {
            int line = Line(table, key);
            return new RegistriesConfException(line > 0 ? $"{path}:{line}: {message}" : $"{path}: {message}");
        }
    }
}
