using Strata.Core;

namespace Strata.Oci.Tests;

public sealed class ChainIdTests
{
    // Expected values computed independently: sha256("<chain> <diffid>") with Python's hashlib.
    private static readonly DiffId[] DiffIds =
    [
        DiffId.Parse("sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1"),
        DiffId.Parse("sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef"),
        DiffId.Parse("sha256:9d3dd9504c685a304985025df4ed0283e47ac9ffa9bd0326fddf4d59513f0827"),
    ];

    [Fact]
    public void Chain_id_of_one_layer_is_its_diff_id()
    {
        Assert.Equal(DiffIds[0].Digest, ChainId.Compute(DiffIds[..1]).Digest);
    }

    [Fact]
    public void Chain_ids_of_a_stack_match_the_spec_formula()
    {
        var all = ChainId.ComputeAll(DiffIds);

        Assert.Equal(
            [
                "sha256:c6f988f4874bb0add23a778f753c65efe992244e148a1d2ec2a8b664fb66bbd1",
                "sha256:c3191d32a37d7159b2e30830937d2e30268ad6c375a773a8994911a3aba9b93f",
                "sha256:ff8cfeda54e0666b498a66a1170e981ed583879510dc2700199bb4b3ba10dc12",
            ],
            all.Select(c => c.ToString()));
        Assert.Equal(all[^1], ChainId.Compute(DiffIds));
    }

    [Fact]
    public void Chain_id_of_no_layers_is_an_error()
    {
        Assert.Throws<InvalidArgumentException>(() => ChainId.Compute([]));
        Assert.Empty(ChainId.ComputeAll([]));
    }
}
