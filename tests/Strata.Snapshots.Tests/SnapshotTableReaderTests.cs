using System.Text;
using System.Text.Json;
using Strata.Snapshots.Metadata;

namespace Strata.Snapshots.Tests;

/// <summary>
/// metadata.json read by hand gives what the serializer read: tables the serializer wrote, and
/// files with unknown, missing, null and differently cased values.
/// </summary>
public sealed class SnapshotTableReaderTests
{
    private static string Serialized(SnapshotTable? table) => JsonSerializer.Serialize(table, SnapshotsJsonContext.Default.SnapshotTable);

    private static void AssertReadAsTheSerializerReads(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        var mine = SnapshotTableReader.Read(bytes);

        Assert.Equal(Serialized(JsonSerializer.Deserialize(bytes, SnapshotsJsonContext.Default.SnapshotTable)), Serialized(mine));
    }

    [Fact]
    public void A_table_the_serializer_wrote_reads_back_the_same()
    {
        var created = new DateTimeOffset(2026, 12, 7, 20, 37, 19, TimeSpan.Zero).AddTicks(2825995);
        var table = new SnapshotTable
        {
            NextId = 42,
            Snapshots =
            [
                new SnapshotRecord(1, "239aa2e318f16d6d", SnapshotKind.Committed, null, created, []),
                new SnapshotRecord(4, "build-1234-abc", SnapshotKind.Active, "239aa2e318f16d6d", created.AddHours(-3).ToOffset(TimeSpan.FromHours(2)), new() { ["a"] = "b", ["é\"\\"] = "\u2028<>" }),
                new SnapshotRecord(long.MaxValue, "view-9-x", SnapshotKind.View, "build-1234-abc", DateTimeOffset.MinValue, []),
            ],
        };

        AssertReadAsTheSerializerReads(Serialized(table));
        Assert.Equal(Serialized(table), Serialized(SnapshotTableReader.Read(Encoding.UTF8.GetBytes(Serialized(table)))));
    }

    [Theory]
    [InlineData("""{"version": 1, "nextId": 3, "snapshots": [], "other": {"x": [1, {"y": null}]}}""")]
    [InlineData("""{"snapshots": [{"id": 2, "key": "k", "kind": "committed", "created": "2026-01-02T03:04:05Z", "labels": null, "extra": true}]}""")]
    [InlineData("""{"snapshots": [{"id": 2, "kind": 1, "parent": null}]}""")]
    [InlineData("""{"version": 2, "snapshots": null}""")]
    [InlineData("""{"Version": 5, "NEXTID": 9}""")]
    [InlineData("""{}""")]
    public void Hand_made_files_read_as_the_serializer_reads_them(string json) => AssertReadAsTheSerializerReads(json);

    [Fact]
    public void Null_is_no_table() => Assert.Null(SnapshotTableReader.Read("null"u8));

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("""{"version": "one"}""")]
    [InlineData("""{"snapshots": [{"kind": "Frozen"}]}""")]
    [InlineData("""{} {}""")]
    public void Broken_files_fail_as_JSON_errors(string json)
    {
        Assert.ThrowsAny<JsonException>(() => SnapshotTableReader.Read(Encoding.UTF8.GetBytes(json)));
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(Encoding.UTF8.GetBytes(json), SnapshotsJsonContext.Default.SnapshotTable));
    }
}
