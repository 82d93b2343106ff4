using System.Text;
using Strata.Core;
using Strata.Oci.Tests.Schema;

namespace Strata.Oci.Tests;

/// <summary>Documents built from our records (as the builder will) are valid spec documents.</summary>
public sealed class OurDocumentsTests
{
    private static readonly DiffId Layer0 = DiffId.Parse("sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1");
    private static readonly DiffId Layer1 = DiffId.Parse("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");

    internal static ImageConfig FullConfig() => new("amd64", "linux", new RootFs([Layer0, Layer1]))
    {
        Created = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567),
        Author = "Strata <strata@example.com>",
        Variant = "v8",
        OsVersion = "6.1",
        Config = new ContainerConfig
        {
            User = "1000:1000",
            ExposedPorts = new Dictionary<string, EmptyObject> { ["8080/tcp"] = EmptyObject.Instance },
            Env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "EMPTY="],
            Entrypoint = ["/bin/app"],
            Cmd = ["--serve"],
            Volumes = new Dictionary<string, EmptyObject> { ["/data"] = EmptyObject.Instance },
            WorkingDir = "/srv",
            Labels = new Dictionary<string, string> { ["org.opencontainers.image.title"] = "demo" },
            StopSignal = "SIGTERM",
            ArgsEscaped = true,
            Healthcheck = new HealthConfig
            {
                Test = ["CMD-SHELL", "curl -f http://localhost/ || exit 1"],
                Interval = HealthConfig.ToNanoseconds(TimeSpan.FromSeconds(30)),
                Timeout = HealthConfig.ToNanoseconds(TimeSpan.FromSeconds(3)),
                StartPeriod = HealthConfig.ToNanoseconds(TimeSpan.FromSeconds(5)),
                StartInterval = HealthConfig.ToNanoseconds(TimeSpan.FromSeconds(1)),
                Retries = 3,
            },
            OnBuild = ["RUN echo child"],
            Shell = ["/bin/bash", "-c"],
        },
        History =
        [
            new HistoryEntry { Created = DateTimeOffset.UnixEpoch, CreatedBy = "ADD rootfs.tar / # buildkit", Comment = "buildkit.dockerfile.v0" },
            new HistoryEntry { Created = DateTimeOffset.UnixEpoch, CreatedBy = "ENV EMPTY=", EmptyLayer = true },
            new HistoryEntry { Created = DateTimeOffset.UnixEpoch, CreatedBy = "RUN make", Author = "Strata" },
        ],
    };

    internal static ImageManifest ManifestFor(byte[] config) => new(
        new Descriptor(MediaTypes.OciConfig, Digest.Compute(config), config.Length),
        [
            new Descriptor(MediaTypes.OciLayerGzip, Digest.Compute("layer0"u8), 6),
            new Descriptor(MediaTypes.OciLayerZstd, Digest.Compute("layer1"u8), 6),
        ])
    {
        MediaType = MediaTypes.OciManifest,
        Annotations = new Dictionary<string, string> { ["org.opencontainers.image.created"] = "2026-01-02T03:04:05Z" },
    };

    [Fact]
    public void Our_config_validates_against_the_config_schema()
    {
        var bytes = OciJson.Serialize(FullConfig());

        var errors = SpecValidation.Validate(MediaTypes.OciConfig, bytes);

        Assert.True(errors.Count == 0, string.Join("; ", errors));
    }

    [Fact]
    public void Our_manifest_and_index_validate_against_their_schemas()
    {
        var config = OciJson.Serialize(FullConfig());
        var manifest = OciJson.Serialize(ManifestFor(config));
        var index = OciJson.Serialize(new ImageIndex([
            new Descriptor(MediaTypes.OciManifest, Digest.Compute(manifest), manifest.Length)
            {
                Platform = new Platform("linux", "arm64", "v8"),
                Annotations = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = "latest" },
            },
        ]) { MediaType = MediaTypes.OciIndex });

        Assert.Empty(SpecValidation.Validate(MediaTypes.OciManifest, manifest));
        Assert.Empty(SpecValidation.Validate(MediaTypes.OciIndex, index));
        Assert.Empty(SpecValidation.Validate(MediaTypes.OciLayoutHeader, OciJson.Serialize(new OciLayoutHeader(OciLayoutHeader.CurrentVersion))));
    }

    [Fact]
    public void Config_is_written_compact_in_spec_order_without_nulls()
    {
        var config = new ImageConfig("amd64", "linux", new RootFs([Layer0]))
        {
            Created = DateTimeOffset.UnixEpoch,
            Config = new ContainerConfig { Env = ["A=b"], Healthcheck = new HealthConfig { Test = ["NONE"], Interval = 30_000_000_000 } },
            History = [new HistoryEntry { CreatedBy = "ENV A=b", EmptyLayer = true }, new HistoryEntry { CreatedBy = "COPY x /" }],
        };

        var json = Encoding.UTF8.GetString(OciJson.Serialize(config));

        Assert.Equal(
            "{\"created\":\"1970-01-01T00:00:00Z\",\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"A=b\"],\"Healthcheck\":{\"Test\":[\"NONE\"],\"Interval\":30000000000}},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Layer0 + "\"]},\"history\":[{\"created_by\":\"ENV A=b\",\"empty_layer\":true},{\"created_by\":\"COPY x /\"}]}",
            json);
    }

    [Fact]
    public void Full_config_round_trips_with_every_field()
    {
        var bytes = OciJson.Serialize(FullConfig());

        var back = OciJson.DeserializeConfig(bytes, "test");

        Assert.Equal(bytes, OciJson.Serialize(back));
        Assert.Equal(3, back.Config!.Healthcheck!.Retries);
        Assert.Equal(TimeSpan.FromSeconds(30), HealthConfig.FromNanoseconds(back.Config.Healthcheck.Interval!.Value));
        Assert.Equal(["/bin/bash", "-c"], back.Config.Shell!);
        Assert.Equal(FullConfig().Created, back.Created);
        Assert.Equal(new[] { Layer0, Layer1 }, back.RootFs.DiffIds);
    }

    [Theory]
    [InlineData("2015-10-31T22:22:56.015925234Z", "2015-10-31T22:22:56.0159252Z")]
    [InlineData("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z")]
    [InlineData("2016-06-10T18:44:31.7847959Z", "2016-06-10T18:44:31.7847959Z")]
    [InlineData("2020-01-01T02:00:00.5+02:00", "2020-01-01T00:00:00.5Z")]
    public void Timestamps_read_nanoseconds_and_write_utc_rfc3339(string input, string written)
    {
        var config = OciJson.DeserializeConfig(Encoding.UTF8.GetBytes($$$"""{"created":"{{{input}}}","architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"""), "test");

        var json = Encoding.UTF8.GetString(OciJson.Serialize(config));

        Assert.StartsWith($"{{\"created\":\"{written}\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_rooms_source_generated_context_reads_nanosecond_timestamps_too()
    {
        var json = """{"created":"2015-10-31T22:22:56.015925234Z","architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"history":[{"created":"2016-09-23T16:29:57.276868291Z"}]}""";

        var config = System.Text.Json.JsonSerializer.Deserialize(json, EmbeddingContext.Default.ImageConfig)!;

        Assert.Equal("2015-10-31T22:22:56.0159252Z", Rfc3339JsonConverter.Format(config.Created!.Value));
        Assert.Equal("2016-09-23T16:29:57.2768682Z", Rfc3339JsonConverter.Format(config.History![0].Created!.Value));
    }

    [Fact]
    public void Media_types_with_plus_are_written_unescaped()
    {
        var json = Encoding.UTF8.GetString(OciJson.Serialize(new Descriptor(MediaTypes.OciLayerGzip, Digest.Compute("x"u8), 1)));

        Assert.Contains("application/vnd.oci.image.layer.v1.tar+gzip", json, StringComparison.Ordinal);
    }
}
