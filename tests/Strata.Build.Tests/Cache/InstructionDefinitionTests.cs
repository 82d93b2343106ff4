using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Strata.Build.Cache;
using Strata.Dockerfile;
using Strata.Dockerfile.Instructions;

namespace Strata.Build.Tests.Cache;

/// <summary>
/// The definition line of every cache key must keep its bytes: the hand-written writer against
/// the source-generated serializer that made them before (same options as the build's context
/// had), for every instruction kind and flag, and a few definitions pinned as literal text.
/// </summary>
public sealed partial class InstructionDefinitionTests
{
    private const string EveryKind = """
        # syntax=docker/dockerfile:1
        ARG BASE=busybox
        FROM --platform=linux/amd64 ${BASE} AS build
        ARG VERSION=1.0 OTHER
        ENV A=1 B="two words" C=ü<>&'+
        ENV LEGACY value with spaces
        LABEL org.example="x y" other=z
        LABEL legacy value
        MAINTAINER Jane <jane@example.com>
        EXPOSE 80/tcp 443
        WORKDIR /app
        USER 1000:1000
        VOLUME ["/data", "/cache"]
        VOLUME /plain
        SHELL ["/bin/sh", "-c"]
        STOPSIGNAL SIGTERM
        HEALTHCHECK --interval=30s --timeout=5s --start-period=1m --start-interval=2s --retries=4 CMD curl -f http://localhost/ || exit 1
        HEALTHCHECK NONE
        ONBUILD RUN echo triggered
        ONBUILD COPY --chown=1:2 a /b
        RUN --mount=type=cache,target=/root/.cache,id=c1,sharing=locked,mode=0755,uid=1,gid=2 --mount=type=bind,source=src,target=/src,from=build,rw --mount=type=secret,id=tok,env=TOKEN,required=true --mount=type=tmpfs,target=/tmp,size=1048576 --mount=type=ssh --network=none make "all" 'x'	tab
        RUN --network=host --security=insecure ["echo", "exec form", "\t"]
        RUN <<EOF
        echo heredoc
        EOF
        RUN <<-EOT cat >/x
        	tabbed
        	EOT
        COPY --from=build --chown=app:app --chmod=0644 --link --exclude=*.tmp a b /dest/
        COPY --parents x/*.txt /out/
        COPY <<EOF /etc/conf
        line $VAR
        EOF
        ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/x.tar.gz /x/
        ADD --keep-git-dir=true https://github.com/a/b.git#main /src
        ADD --chown=5:6 --chmod=755 --link --exclude=x local.tar /
        CMD ["run", "é", "\u0001"]
        CMD plain shell form
        ENTRYPOINT ["/entry"]
        ENTRYPOINT exec me
        FROM scratch
        COPY --from=build /out /
        """;

    public static TheoryData<int> EveryInstruction()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < Instructions().Count; i++) data.Add(i);
        return data;
    }

    private static List<Instruction> Instructions()
    {
        var definition = DockerfileFrontend.Parse(EveryKind);
        var list = new List<Instruction>(definition.GlobalArgs);
        foreach (var stage in definition.Stages)
        {
            list.Add(stage.From);
            list.AddRange(stage.Instructions);
        }
        return list;
    }

    [Theory]
    [MemberData(nameof(EveryInstruction))]
    public void Every_instruction_of_a_Dockerfile_has_the_serializers_bytes(int index)
    {
        var instruction = Instructions()[index];

        Assert.Equal(Serialized(instruction), InstructionDefinition.Of(instruction));
    }

    [Fact]
    public void The_Dockerfile_has_every_instruction_kind()
    {
        var kinds = Instructions().Select(i => i.Keyword).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(18, kinds.Count);
    }

    [Fact]
    public void Values_the_parser_never_makes_have_the_serializers_bytes_too()
    {
        foreach (var instruction in OddValues()) Assert.Equal(Serialized(instruction), InstructionDefinition.Of(instruction));
    }

    private static Instruction[] OddValues() =>
        [
            new RunInstruction(new CommandLine(["a"], true), [], [new RunMount { Type = (MountType)9, Sharing = (CacheSharing)7, Size = long.MaxValue, Mode = -1 }], (RunNetwork)5, (RunSecurity)6),
            new HealthcheckInstruction(new HealthcheckConfig(["CMD", "x"], TimeSpan.FromDays(2.5), TimeSpan.FromTicks(1), TimeSpan.Zero, TimeSpan.FromMilliseconds(1500), -3)),
            new OnbuildInstruction("ONBUILD ENV A=\"b\"", new EnvInstruction([new KeyValue("A", "\"b\"")], false) { Range = new SourceRange(7, 3, 8), Original = "ENV A=\"b\"" }),
            new ArgInstruction([new ArgDefinition("A", null), new ArgDefinition("B", "\u2028</script>")]),
            new CopyInstruction(["\ud83d\ude00", "a\\b"], [new HeredocSource("EOF", "x\r\ny", true, false, 3)], "/d", null, null, null, false, false, []),
            new MaintainerInstruction("") { Range = new SourceRange(1, 2, 3), Original = "MAINTAINER" },
        ];

    /// <summary>
    /// The comparisons above only see properties the corpus sets: a property added to an
    /// instruction (or to a record inside one) that the hand-written writer forgets would go
    /// unseen, and two builds differing only in it would share a cache key. So every serialized
    /// property of every instruction type, and of the records they hold, must occur in the corpus.
    /// </summary>
    [Fact]
    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "A test reading the Dockerfile assembly's types by reflection; tests are never trimmed.")]
    public void The_corpus_sets_every_property_the_serializer_writes()
    {
        var corpus = Instructions().Concat(OddValues()).ToList();
        var missing = new List<string>();
        var nested = new HashSet<Type>();
        foreach (var type in typeof(Instruction).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Instruction)) && !t.IsAbstract))
        {
            var keys = corpus.Where(i => i.GetType() == type).SelectMany(i => Keys(JsonNode.Parse(Serialized(i))!)).ToHashSet(StringComparer.Ordinal);
            foreach (var property in Serializable(type).Where(p => p.Name is not ("Range" or "Original")))
            {
                if (!keys.Contains(property.Name)) missing.Add($"{type.Name}.{property.Name}");
                CollectRecords(property.PropertyType, nested);
            }
        }
        var everyKey = corpus.SelectMany(i => Keys(JsonNode.Parse(Serialized(i))!)).ToHashSet(StringComparer.Ordinal);
        foreach (var type in nested)
        {
            missing.AddRange(Serializable(type).Where(p => !everyKey.Contains(p.Name)).Select(p => $"{type.Name}.{p.Name}"));
        }

        Assert.Empty(missing);
        Assert.Contains(typeof(RunMount), nested);
    }

    [UnconditionalSuppressMessage("Trimming", "IL2070", Justification = "Tests are never trimmed.")]
    private static IEnumerable<System.Reflection.PropertyInfo> Serializable(Type type) =>
        type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Where(p => p.GetCustomAttributes(typeof(JsonIgnoreAttribute), true).Length == 0 && p.Name != "EqualityContract");

    private static void CollectRecords(Type type, HashSet<Type> records)
    {
        var element = type.IsGenericType ? type.GetGenericArguments()[0] : type.IsArray ? type.GetElementType()! : type;
        if (element.Assembly != typeof(Instruction).Assembly || element.IsEnum || element.IsSubclassOf(typeof(Instruction)) || element == typeof(Instruction)) return;
        if (!records.Add(element)) return;
        foreach (var property in Serializable(element)) CollectRecords(property.PropertyType, records);
    }

    private static IEnumerable<string> Keys(JsonNode node) => node switch
    {
        JsonObject o => o.SelectMany(p => new[] { p.Key }.Concat(p.Value is null ? [] : Keys(p.Value))),
        JsonArray a => a.Where(e => e is not null).SelectMany(e => Keys(e!)),
        _ => [],
    };

    [Fact]
    public void Definitions_of_the_bench_workloads_are_pinned()
    {
        var steps = DockerfileFrontend.Parse("""
            FROM busybox
            COPY src-a.txt /src.txt
            RUN mkdir /out && cat /src.txt >> /out/a.txt
            CMD ["cat", "/a.txt", "/b.txt"]
            ENV NODE_ENV=production
            WORKDIR /app
            """).Stages[0].Instructions;

        Assert.Equal(
            [
                """{"instruction":"COPY","Sources":["src-a.txt"],"Contents":[],"Destination":"/src.txt","Link":false,"Parents":false,"Excludes":[]}""",
                """{"instruction":"RUN","Command":{"Args":["mkdir /out \u0026\u0026 cat /src.txt \u003E\u003E /out/a.txt"],"PrependShell":true},"Heredocs":[],"Mounts":[],"Network":"default","Security":"sandbox"}""",
                """{"instruction":"CMD","Command":{"Args":["cat","/a.txt","/b.txt"],"PrependShell":false}}""",
                """{"instruction":"ENV","Variables":[{"Key":"NODE_ENV","Value":"production"}],"IsLegacyForm":false}""",
                """{"instruction":"WORKDIR","Path":"/app"}""",
            ],
            steps.Select(InstructionDefinition.Of));
    }

    /// <summary>What the build wrote before: the source-generated serializer, then Range and Original taken off the top level.</summary>
    private static string Serialized(Instruction instruction)
    {
        var node = Assert.IsType<JsonObject>(JsonSerializer.SerializeToNode(instruction, ReferenceJsonContext.Default.Instruction));
        node.Remove("Range");
        node.Remove("Original");
        return node.ToJsonString();
    }

    /// <summary>The options the build's CacheJsonContext serialized instructions with.</summary>
    [JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonSerializable(typeof(Instruction))]
    internal sealed partial class ReferenceJsonContext : JsonSerializerContext;
}
