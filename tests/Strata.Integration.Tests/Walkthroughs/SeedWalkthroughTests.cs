using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Strata.Integration.Tests.Fixtures;

namespace Strata.Integration.Tests.Walkthroughs;

/// <summary>
/// The seed chapter's command walkthroughs (SEED-SCENARIOS S2, S3, S5, S14, S16) on images
/// imported from the busybox rootfs, with every output in docker's shape. Tables are written
/// out as docker's tabwriter lays them: columns padded to the widest cell plus three spaces,
/// at least ten wide, the last column unpadded.
/// </summary>
public sealed partial class SeedWalkthroughTests : IDisposable
{
    private const string Comment = "busybox from a directory";

    private readonly Workspace _ws = new(Workspace.ThreeYearsAgo);

    [Fact]
    public async Task S14_history_in_its_default_no_trunc_quiet_and_template_forms_has_docker_columns()
    {
        string id = await _ws.ImportBusyboxAsync("walk/busybox:1", "-c", "CMD [\"sh\"]", "-m", Comment);
        long bytes = (await _ws.InspectAsync("walk/busybox:1"))["Size"]!.GetValue<long>();
        string size = DockerUnits.Size(bytes);

        Assert.Equal(
            "IMAGE          CREATED       CREATED BY   SIZE      COMMENT\n" +
            $"{id[7..19]}   3 years ago   {"",-13}{size,-10}{Comment}\n",
            await _ws.Strata.OkAsync("history", "walk/busybox:1"));
        Assert.Equal(
            $"{"IMAGE",-74}CREATED       CREATED BY   SIZE      COMMENT\n" +
            $"{id}   3 years ago   {"",-13}{size,-10}{Comment}\n",
            await _ws.Strata.OkAsync("history", "--no-trunc", "walk/busybox:1"));
        Assert.Equal($"{id[7..19]}\n", await _ws.Strata.OkAsync("history", "-q", "walk/busybox:1"));
        // An import records no command, so CREATED BY is empty, as in docker's history of `docker import`.
        Assert.Equal($"{size}\t\n", await _ws.Strata.OkAsync("history", "--format", "{{.Size}}\t{{.CreatedBy}}", "walk/busybox:1"));
        Assert.Equal($"{id[7..19]}: {Comment} ({bytes} bytes)\n",
            await _ws.Strata.OkAsync("history", "--human=false", "--format", "{{.ID}}: {{.Comment}} ({{.Size}} bytes)", "walk/busybox:1"));
    }

    [Fact]
    public async Task S14_S3_inspect_has_docker_fields_and_its_rootfs_lists_the_one_real_layer()
    {
        string id = await _ws.ImportBusyboxAsync("walk/busybox:1",
            "-c", "CMD [\"sh\"]", "-c", "ENV GREETING=hello", "-c", "LABEL stage=seed", "-c", "WORKDIR /root", "-c", "EXPOSE 80", "-m", Comment);
        var manifestDigest = (await _ws.InspectAsync("walk/busybox:1"))["ManifestDigest"]!.GetValue<string>();
        string layer = Assert.Single(StoreFiles.LayerDigests(_ws.Strata.StoreRoot, manifestDigest));
        // import stores its layer uncompressed (compressed once, on save or push): the blob is the tar its diff ID names.
        string diffId = StoreFiles.Sha256OfFile(StoreFiles.BlobPath(_ws.Strata.StoreRoot, layer));
        string created = Workspace.ThreeYearsAgo.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        string inspect = await _ws.Strata.OkAsync("inspect", "walk/busybox:1");

        var lastTagTime = LastTagTime().Match(inspect);
        Assert.True(lastTagTime.Success, "no RFC 3339 LastTagTime in:\n" + inspect);
        long bytes = JsonNode.Parse(inspect)![0]!["Size"]!.GetValue<long>();
        Assert.Equal(
            $$"""
            [
                {
                    "Id": "{{id}}",
                    "RepoTags": [
                        "walk/busybox:1"
                    ],
                    "RepoDigests": [],
                    "Parent": "",
                    "Comment": "{{Comment}}",
                    "Created": "{{created}}",
                    "Container": "",
                    "ContainerConfig": {
                        "Hostname": "",
                        "Domainname": "",
                        "User": "",
                        "AttachStdin": false,
                        "AttachStdout": false,
                        "AttachStderr": false,
                        "Tty": false,
                        "OpenStdin": false,
                        "StdinOnce": false,
                        "Env": null,
                        "Cmd": null,
                        "Image": "",
                        "Volumes": null,
                        "WorkingDir": "",
                        "Entrypoint": null,
                        "OnBuild": null,
                        "Labels": null
                    },
                    "DockerVersion": "",
                    "Author": "",
                    "Config": {
                        "Hostname": "",
                        "Domainname": "",
                        "User": "",
                        "AttachStdin": false,
                        "AttachStdout": false,
                        "AttachStderr": false,
                        "ExposedPorts": {
                            "80/tcp": {}
                        },
                        "Tty": false,
                        "OpenStdin": false,
                        "StdinOnce": false,
                        "Env": [
                            "GREETING=hello"
                        ],
                        "Cmd": [
                            "sh"
                        ],
                        "Image": "",
                        "Volumes": null,
                        "WorkingDir": "/root",
                        "Entrypoint": null,
                        "OnBuild": null,
                        "Labels": {
                            "stage": "seed"
                        }
                    },
                    "Architecture": "amd64",
                    "Os": "linux",
                    "Size": {{bytes}},
                    "VirtualSize": {{bytes}},
                    "GraphDriver": {
                        "Data": {},
                        "Name": "overlay"
                    },
                    "RootFS": {
                        "Type": "layers",
                        "Layers": [
                            "{{diffId}}"
                        ]
                    },
                    "Metadata": {
                        "LastTagTime": "{{lastTagTime.Groups[1].Value}}"
                    },
                    "ManifestDigest": "{{manifestDigest}}"
                }
            ]

            """,
            inspect);
        // Configuration changes are metadata: still one layer, and one history row of the layer's size.
        Assert.Equal($"[\"{diffId}\"]\n", await _ws.Strata.OkAsync("inspect", "--format", "{{json .RootFS.Layers}}", "walk/busybox:1"));
        Assert.Equal($"{DockerUnits.Size(bytes)}\n", await _ws.Strata.OkAsync("history", "--format", "{{.Size}}", "walk/busybox:1"));
    }

    [Fact]
    public async Task S5_save_writes_manifest_repositories_and_an_oci_layout_whose_layer_lists_the_rootfs()
    {
        string id = await _ws.ImportBusyboxAsync("layer-test:1", "-c", "CMD [\"sh\"]");
        var inspect = await _ws.InspectAsync("layer-test:1");
        string stored = Assert.Single(StoreFiles.LayerDigests(_ws.Strata.StoreRoot, inspect["ManifestDigest"]!.GetValue<string>()));
        string archive = _ws.Scratch.PathOf("layer-test.tar");

        Assert.Equal("", await _ws.Strata.OkAsync("save", "-o", archive, "layer-test:1"));

        // import stores its layer uncompressed (issue 17): the stored blob is the tar its diff ID
        // names, and save compresses it once, so the archive holds the gzip layer under the
        // manifest save wrote for it.
        Assert.Equal(inspect["RootFS"]!["Layers"]![0]!.GetValue<string>(), stored);
        string manifestDigest = JsonNode.Parse(await Tools.OkAsync(Tools.Tar, "-xOf", archive, "index.json"))!["manifests"]![0]!["digest"]!.GetValue<string>();
        var savedManifest = JsonNode.Parse(await Tools.OkAsync(Tools.Tar, "-xOf", archive, "blobs/sha256/" + manifestDigest[7..]))!;
        string layer = savedManifest["layers"]![0]!["digest"]!.GetValue<string>();
        Assert.Equal("application/vnd.oci.image.layer.v1.tar+gzip", savedManifest["layers"]![0]!["mediaType"]!.GetValue<string>());

        Assert.Equal(
            "blobs/\nblobs/sha256/\n" +
            // Children before parents, as a streaming sink writes them: layer, config, manifest.
            $"blobs/sha256/{layer[7..]}\nblobs/sha256/{id[7..]}\nblobs/sha256/{manifestDigest[7..]}\n" +
            "index.json\nmanifest.json\noci-layout\nrepositories\n",
            await Tools.OkAsync(Tools.Tar, "-tf", archive));
        string extracted = _ws.Scratch.NewDir("layer-test");
        await Tools.OkAsync(Tools.Tar, "-C", extracted, "-xf", archive);
        Assert.Equal(
            $"[{{\"Config\":\"blobs/sha256/{id[7..]}\",\"RepoTags\":[\"layer-test:1\"],\"Layers\":[\"blobs/sha256/{layer[7..]}\"]}}]",
            await File.ReadAllTextAsync(Path.Combine(extracted, "manifest.json")));
        Assert.Equal($"{{\"layer-test\":{{\"1\":\"{layer[7..]}\"}}}}", await File.ReadAllTextAsync(Path.Combine(extracted, "repositories")));
        Assert.Equal("{\"imageLayoutVersion\":\"1.0.0\"}", await File.ReadAllTextAsync(Path.Combine(extracted, "oci-layout")));
        var index = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(extracted, "index.json")))!;
        var entry = Assert.Single(index["manifests"]!.AsArray())!;
        Assert.Equal(manifestDigest, entry["digest"]!.GetValue<string>());
        Assert.Equal("docker.io/library/layer-test:1", entry["annotations"]!["io.containerd.image.name"]!.GetValue<string>());
        // Every blob is named by its content.
        foreach (var blob in Directory.GetFiles(Path.Combine(extracted, "blobs", "sha256")))
            Assert.Equal("sha256:" + Path.GetFileName(blob), StoreFiles.Sha256OfFile(blob));

        // The layer is a gzip tar of exactly the rootfs, and its uncompressed digest is the config's diff ID.
        string layerBlob = Path.Combine(extracted, "blobs", "sha256", layer[7..]);
        Assert.Equal(string.Concat(BaseRootfs.TarListing().Select(p => p + "\n")), await Tools.OkAsync(Tools.Tar, "-tzf", layerBlob));
        Assert.Equal(inspect["RootFS"]!["Layers"]![0]!.GetValue<string>(), StoreFiles.DiffIdOfGzipLayer(layerBlob));
    }

    [Fact]
    public async Task S2_S16_two_images_of_one_rootfs_share_one_layer_that_only_the_last_rmi_frees()
    {
        string shell = await _ws.ImportBusyboxAsync("shell:1", "-c", "CMD [\"sh\"]");
        string lister = await _ws.ImportBusyboxAsync("lister:1", "-c", "CMD [\"ls\", \"-l\"]");
        Assert.NotEqual(shell, lister);
        var shellInspect = await _ws.InspectAsync("shell:1");
        var listerInspect = await _ws.InspectAsync("lister:1");
        Assert.Equal(shellInspect["RootFS"]!.ToJsonString(), listerInspect["RootFS"]!.ToJsonString());
        string layer = Assert.Single(StoreFiles.LayerDigests(_ws.Strata.StoreRoot, shellInspect["ManifestDigest"]!.GetValue<string>()));
        Assert.Equal([layer], StoreFiles.LayerDigests(_ws.Strata.StoreRoot, listerInspect["ManifestDigest"]!.GetValue<string>()));
        // docker's system df prints go-units HumanSize: four significant digits.
        string size = DockerUnits.HumanSize(shellInspect["Size"]!.GetValue<long>());
        // Rows come in image ID order (both were created at the same instant).
        var rows = new[] { ("shell", shell), ("lister", lister) }.OrderBy(r => r.Item2, StringComparer.Ordinal).ToList();

        Assert.Equal(
            DfVerbose(string.Concat(rows.Select(r => $"{r.Item1,-13}1         {r.Item2[7..19]}   3 years ago   {size,-10}{size,-14}0B            0\n"))),
            await _ws.Strata.OkAsync("system", "df", "-v"));
        Assert.Equal(
            "TYPE            TOTAL     ACTIVE    SIZE      RECLAIMABLE\n" +
            $"Images          2         0         {size,-10}{size} (100%)\n" +
            "Containers      0         0         0B        0B\n" +
            "Local Volumes   0         0         0B        0B\n" +
            "Build Cache     0         0         0B        0B\n",
            await _ws.Strata.OkAsync("system", "df"));

        Assert.Equal($"Untagged: shell:1\nDeleted: {shell}\n", await _ws.Strata.OkAsync("rmi", "shell:1"));
        Assert.True(File.Exists(StoreFiles.BlobPath(_ws.Strata.StoreRoot, layer)), "the layer lister:1 still uses was deleted");
        Assert.Equal(
            DfVerbose($"lister       1         {lister[7..19]}   3 years ago   {size,-10}0B            {size,-14}0\n"),
            await _ws.Strata.OkAsync("system", "df", "-v"));
        Assert.Equal("checked 3 blobs, 1 images, 0 unpacked layers: 0 faults, 0 unused items\n", await _ws.AssertCheckPassesAsync());

        Assert.Equal($"Untagged: lister:1\nDeleted: {lister}\n", await _ws.Strata.OkAsync("rmi", "lister:1"));
        Assert.False(File.Exists(StoreFiles.BlobPath(_ws.Strata.StoreRoot, layer)), "the last image's rmi kept its layer");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_ws.Strata.StoreRoot, "blobs", "sha256")));
        Assert.Equal("checked 0 blobs, 0 images, 0 unpacked layers: 0 faults, 0 unused items\n", await _ws.AssertCheckPassesAsync());
    }

    public void Dispose() => _ws.Dispose();

    private static string DfVerbose(string imageRows) =>
        "Images space usage:\n\n" +
        "REPOSITORY   TAG       IMAGE ID       CREATED       SIZE      SHARED SIZE   UNIQUE SIZE   CONTAINERS\n" +
        imageRows +
        "\nContainers space usage:\n\n" +
        "CONTAINER ID   IMAGE     COMMAND   LOCAL VOLUMES   SIZE      CREATED   STATUS    NAMES\n" +
        "\nLocal Volumes space usage:\n\n" +
        "VOLUME NAME   LINKS     SIZE\n" +
        "\nBuild cache usage: 0B\n\n" +
        "CACHE ID   CACHE TYPE   SIZE      CREATED   LAST USED   USAGE     SHARED\n";

    [GeneratedRegex("\"LastTagTime\": \"([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z)\"")]
    private static partial Regex LastTagTime();
}
