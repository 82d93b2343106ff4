using System.Text.Json;

namespace Strata.Snapshots.Metadata;

/// <summary>
/// Reads <c>metadata.json</c> (written by <see cref="SnapshotsJsonContext"/>) without
/// System.Text.Json's serializer: building its metadata for the table and record types (their
/// attributes read by reflection at first use) cost more than the read itself, and every command
/// reads the table when it opens a store (the leftover reaper lists snapshots) and a no-op build
/// again for each snapshot it stats. What it accepts and makes is what the serializer did:
/// camelCase names matched exactly, unknown ones skipped, missing ones left at their defaults,
/// kinds by name in any case or by number. SnapshotTableReaderTests compares the two.
/// </summary>
internal static class SnapshotTableReader
{
    /// <summary>The table in <paramref name="json"/>, or null for a JSON null.</summary>
    /// <exception cref="JsonException">Not JSON, or not the table's shape.</exception>
    public static SnapshotTable? Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.Null) return null;
            Expect(ref reader, JsonTokenType.StartObject);
            var table = new SnapshotTable();
            while (Property(ref reader) is { } name)
            {
                switch (name)
                {
                    case "version":
                        table.Version = reader.GetInt32();
                        break;
                    case "nextId":
                        table.NextId = reader.GetInt64();
                        break;
                    case "snapshots":
                        table.Snapshots = reader.TokenType == JsonTokenType.Null ? null! : Records(ref reader);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            Next(ref reader, end: true);
            return table;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new JsonException($"snapshot metadata: {e.Message}", e);
        }
    }

    private static List<SnapshotRecord> Records(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        var records = new List<SnapshotRecord>();
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndArray) return records;
            records.Add(reader.TokenType == JsonTokenType.Null ? null! : Record(ref reader));
        }
    }

    private static SnapshotRecord Record(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        long id = 0;
        string? key = null, parent = null;
        SnapshotKind kind = default;
        DateTimeOffset created = default;
        Dictionary<string, string>? labels = null;
        while (Property(ref reader) is { } name)
        {
            switch (name)
            {
                case "id":
                    id = reader.GetInt64();
                    break;
                case "key":
                    key = reader.GetString();
                    break;
                case "kind":
                    kind = Kind(ref reader);
                    break;
                case "parent":
                    parent = reader.GetString();
                    break;
                case "created":
                    created = reader.GetDateTimeOffset();
                    break;
                case "labels":
                    labels = reader.TokenType == JsonTokenType.Null ? null : Labels(ref reader);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        return new SnapshotRecord(id, key!, kind, parent, created, labels!);
    }

    private static SnapshotKind Kind(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number) return (SnapshotKind)reader.GetInt32();
        var text = reader.GetString();
        if (string.Equals(text, "Committed", StringComparison.OrdinalIgnoreCase)) return SnapshotKind.Committed;
        if (string.Equals(text, "Active", StringComparison.OrdinalIgnoreCase)) return SnapshotKind.Active;
        if (string.Equals(text, "View", StringComparison.OrdinalIgnoreCase)) return SnapshotKind.View;
        throw new JsonException($"snapshot metadata: unknown snapshot kind \"{text}\"");
    }

    private static Dictionary<string, string> Labels(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        var labels = new Dictionary<string, string>();
        while (Property(ref reader) is { } name) labels[name] = reader.GetString()!;
        return labels;
    }

    /// <summary>The next property's name with the reader on its value, or null at the object's end.</summary>
    private static string? Property(ref Utf8JsonReader reader)
    {
        Next(ref reader);
        if (reader.TokenType == JsonTokenType.EndObject) return null;
        Expect(ref reader, JsonTokenType.PropertyName);
        var name = reader.GetString()!;
        Next(ref reader);
        return name;
    }

    private static void Next(ref Utf8JsonReader reader, bool end = false)
    {
        if (reader.Read() == end) throw new JsonException(end ? "snapshot metadata: text after the table" : "snapshot metadata: the file ends early");
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (reader.TokenType != token) throw new JsonException($"snapshot metadata: {reader.TokenType} where {token} was expected");
    }
}
