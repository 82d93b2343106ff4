using System.Text.Json;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Build.IntegrationTests.Reproducibility;

/// <summary>With SOURCE_DATE_EPOCH in the environment, one build on two fresh stores gives one manifest digest.</summary>
public sealed class ReproducibilityTests : IClassFixture<BaseStore>
{
    private readonly BaseStore _base;

    public ReproducibilityTests(BaseStore store) => _base = store;

    [Fact]
    public async Task Same_build_on_two_fresh_stores_gives_byte_identical_manifests()
    {
        var context = Path.Combine(_base.Root, "context");
        Directory.CreateDirectory(Path.Combine(context, "src"));
        await File.WriteAllTextAsync(Path.Combine(context, "src", "app.js"), "console.log(1);\n");
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"), """
            FROM base:1 AS build
            RUN mkdir /out && echo built > /out/artifact && ln -s artifact /out/link
            FROM base:1
            WORKDIR /app
            COPY src/ ./
            COPY --from=build /out /out
            RUN rm /etc/motd && touch /app/new
            LABEL version=1
            CMD ["cat", "/app/app.js"]
            """);
        var environment = new Dictionary<string, string?> { ["SOURCE_DATE_EPOCH"] = "1700000000" };
        var digests = new List<string>();
        foreach (var name in new[] { "first", "second" })
        {
            // The base is imported with the same epoch too, so both stores start from one base digest.
            var strata = await _base.NewStoreAsync(name, environment);
            (await strata.RunAsync(["build", "-q", "-t", "repro:1", context], new RunOptions().WithEnvironment(environment))).EnsureSuccess();
            using var doc = JsonDocument.Parse((await strata.RunAsync("inspect", "repro:1")).EnsureSuccess().Stdout);
            digests.Add(doc.RootElement[0].GetProperty("ManifestDigest").GetString()!);
            Assert.Equal("2023-11-14T22:13:20Z", doc.RootElement[0].GetProperty("Created").GetString());
            // The wall clock must not leak in: the second build runs a second later.
            await Task.Delay(1100);
        }
        Assert.Equal(digests[0], digests[1]);
    }
}
