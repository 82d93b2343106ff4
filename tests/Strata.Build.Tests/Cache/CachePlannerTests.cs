using Strata.Build.Cache;

namespace Strata.Build.Tests.Cache;

public sealed class CachePlannerTests
{
    private static readonly CacheKey Parent = CacheKey.Of("scratch\nlinux/amd64");
    private static readonly CacheKey LinkKey = CacheKey.Of("link");

    [Fact]
    public void A_found_record_is_a_hit_that_moves_the_chain_to_the_step_key()
    {
        var facts = Facts() with { Found = new CacheLookup(Record(), null, null, false) };

        var decision = CachePlanner.Decide(facts);

        Assert.Equal(CacheOutcome.Hit, decision.Outcome);
        Assert.Null(decision.Reason);
        Assert.Equal(facts.Key, decision.Next.Key);
        Assert.Equal(1, decision.Next.Step);
        Assert.Null(decision.Next.FirstRebuilt);
        Assert.True(decision.Reused);
    }

    [Fact]
    public void No_cache_misses_without_a_lookup_and_never_rebases()
    {
        var facts = Facts() with { NoCache = true, LinkKey = LinkKey };

        Assert.False(CachePlanner.LooksUp(facts));
        Assert.False(CachePlanner.TriesRebase(facts));
        var decision = CachePlanner.Decide(facts);
        Assert.Equal(CacheOutcome.Miss, decision.Outcome);
        Assert.Equal("--no-cache", decision.Reason);
        Assert.Equal(1, decision.Next.FirstRebuilt);
        Assert.Equal(LinkKey, decision.LinkKey);
    }

    [Fact]
    public void A_no_cache_filter_names_the_stage_entry()
    {
        var decision = CachePlanner.Decide(Facts() with { NoCacheFilter = "build" });

        Assert.Equal("--no-cache-filter build", decision.Reason);
    }

    [Fact]
    public void After_a_rebuilt_step_every_later_step_misses_naming_the_first_one()
    {
        var facts = Facts(new CacheChain(Parent, "scratch") { Step = 3, FirstRebuilt = 2 }) with { HasPrevious = true };

        Assert.False(CachePlanner.LooksUp(facts));
        var decision = CachePlanner.Decide(facts);
        Assert.Equal(CacheOutcome.Miss, decision.Outcome);
        Assert.Equal("parent step 2 rebuilt", decision.Reason);
        Assert.Equal(4, decision.Next.Step);
        Assert.Equal(2, decision.Next.FirstRebuilt);
    }

    [Fact]
    public void A_rebuilt_base_without_a_previous_build_is_a_first_build()
    {
        var decision = CachePlanner.Decide(Facts(new CacheChain(Parent, "stage x") { BaseRebuilt = "base stage deps rebuilt" }));

        Assert.Equal("no previous build", decision.Reason);
    }

    [Fact]
    public void A_miss_names_the_changed_file_from_the_previous_inputs()
    {
        var facts = Facts(files: [File("a.txt", "2")]) with
        {
            HasPrevious = true,
            HadSlot = true,
            Found = CacheLookup.None,
            Previous = Inputs([File("a.txt", "1")]),
        };

        Assert.True(CachePlanner.LooksUp(facts));
        var decision = CachePlanner.Decide(facts);
        Assert.Equal(CacheOutcome.Miss, decision.Outcome);
        Assert.Equal("file changed: a.txt", decision.Reason);
    }

    [Fact]
    public void A_step_the_previous_build_did_not_have_is_a_new_step()
    {
        var decision = CachePlanner.Decide(Facts() with { HasPrevious = true, HadSlot = false, Found = CacheLookup.None });

        Assert.Equal("new step", decision.Reason);
    }

    [Fact]
    public void A_record_whose_layer_is_gone_says_so_when_the_inputs_are_the_same()
    {
        var facts = Facts() with
        {
            HasPrevious = true,
            HadSlot = true,
            Found = CacheLookup.Unusable("cached layer sha256:ab is no longer in the store"),
            Previous = Inputs([]),
        };

        Assert.Equal("cached layer sha256:ab is no longer in the store", CachePlanner.Decide(facts).Reason);
    }

    [Fact]
    public void A_linked_step_found_by_its_own_key_is_rebased_and_remembered_as_the_first_rebase()
    {
        var facts = Facts(new CacheChain(Parent, "stage y") { BaseRebuilt = "base stage base rebuilt" }) with
        {
            HasPrevious = true,
            LinkKey = LinkKey,
        };
        Assert.True(CachePlanner.TriesRebase(facts));
        facts = facts with { LinkFound = new CacheLookup(Record(), null, null, false) };

        var decision = CachePlanner.Decide(facts);

        Assert.Equal(CacheOutcome.Rebase, decision.Outcome);
        Assert.Equal("base stage base rebuilt", decision.Reason);
        Assert.Equal(new RebasedStep(1, "base stage base rebuilt"), decision.Next.Rebased);
        Assert.Null(decision.Next.FirstRebuilt);
        Assert.Null(decision.LinkKey);
        Assert.True(decision.Reused);
    }

    [Fact]
    public void A_step_after_a_rebase_misses_naming_the_rebased_parent()
    {
        var previous = Inputs([]) with { Parent = "sha256:old" };
        var facts = Facts(new CacheChain(Parent, "scratch") { Step = 1, Rebased = new RebasedStep(1, "base stage base rebuilt") }) with
        {
            HasPrevious = true,
            HadSlot = true,
            Found = CacheLookup.None,
            Previous = previous,
        };

        Assert.Equal("parent step 1 rebased (base stage base rebuilt)", CachePlanner.Decide(facts).Reason);
    }

    [Fact]
    public void A_linked_step_whose_own_key_has_no_record_misses_and_keeps_its_link_key()
    {
        var facts = Facts() with { LinkKey = LinkKey, Found = CacheLookup.None, LinkFound = CacheLookup.None };

        var decision = CachePlanner.Decide(facts);

        Assert.Equal(CacheOutcome.Miss, decision.Outcome);
        Assert.Equal("no previous build", decision.Reason);
        Assert.Equal(LinkKey, decision.LinkKey);
    }

    [Fact]
    public void Without_a_previous_build_an_imported_cache_of_another_base_is_the_reason_of_the_first_miss_and_the_later_ones()
    {
        const string other = "the --cache-from cache holds builds of another base: bb:1 is 111111111111 here, 222222222222 in the cache";
        var first = CachePlanner.Decide(Facts() with { Found = CacheLookup.None, OtherBase = other });
        var later = CachePlanner.Decide(Facts(new CacheChain(Parent, "scratch") { Step = 1, FirstRebuilt = 1 }) with { OtherBase = other });

        Assert.Equal((CacheOutcome.Miss, other), (first.Outcome, first.Reason));
        Assert.Equal((CacheOutcome.Miss, other), (later.Outcome, later.Reason));
        // With a previous build of its own, the store's history explains the miss as before.
        var rebuilt = CachePlanner.Decide(Facts(new CacheChain(Parent, "scratch") { Step = 1, FirstRebuilt = 1 }) with { OtherBase = other, HasPrevious = true });
        Assert.Equal("parent step 1 rebuilt", rebuilt.Reason);
    }

    [Fact]
    public void A_cache_base_is_the_from_name_and_the_last_digest_of_the_base_text()
    {
        var config = "sha256:" + new string('c', 64);
        var onImage = Facts().Inputs with { Base = $"image sha256:{new string('a', 64)} config {config}", BaseName = "bb:1" };

        Assert.Equal(new CacheManifestBase { Name = "bb:1", Image = config }, CacheManifestBase.Of(onImage));
        Assert.Null(CacheManifestBase.Of(Facts().Inputs));
        Assert.Null(CacheManifestBase.Of(Facts().Inputs with { Base = "stage " + config, BaseName = "build" }));
    }

    private static CacheFacts Facts(CacheChain? chain = null, List<SourceFile>? files = null)
    {
        var inputs = Inputs(files ?? []);
        return new CacheFacts { Chain = chain ?? new CacheChain(Parent, "scratch"), Key = inputs.Key(), Inputs = inputs };
    }

    private static StepInputs Inputs(List<SourceFile> files) => new()
    {
        Step = 1,
        Parent = Parent.ToString(),
        Base = "scratch",
        BaseName = "scratch",
        Instruction = "COPY a.txt /",
        Definition = "{\"Sources\":[\"a.txt\"]}",
        Platform = "linux/amd64",
        Files = files,
    };

    private static SourceFile File(string path, string sha) => new(path, "file", 0x1A4, 0, 0, 1, sha, null);

    private static CacheRecord Record() => new(CacheKey.Of("record"), null, null, "COPY a.txt /", null);
}
