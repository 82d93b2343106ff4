using Strata.Containers.Tests.Fixtures;
using Strata.Build.IntegrationTests.Fixtures;

namespace Strata.Containers.Tests.Cli;

/// <summary>The seed's copy-on-write walkthroughs, through <c>strata diff</c>.</summary>
[Collection(ContainerGroup.Name)]
public sealed class DiffTests(ContainerStore store)
{
    private readonly StrataCli _cli = store.Cli;

    private async Task<string> DiffAfterAsync(string name, string image, string script, params string[] diffArgs)
    {
        (await _cli.RunAsync("run", "--name", name, image, "sh", "-c", script)).EnsureSuccess();
        try
        {
            return (await _cli.RunAsync(["diff", .. diffArgs, name])).EnsureSuccess().Stdout;
        }
        finally
        {
            (await _cli.RunAsync("rm", name)).EnsureSuccess();
        }
    }

    [Fact]
    public async Task Creating_a_file_is_A()
    {
        Assert.Equal("A /test.txt\n", await DiffAfterAsync("d-create", "base:1", "echo hello > /test.txt"));
    }

    [Fact]
    public async Task Appending_to_a_lower_file_is_C_with_its_parent_C()
    {
        Assert.Equal("C /etc\nC /etc/motd\n", await DiffAfterAsync("d-append", "base:1", "echo more >> /etc/motd"));
    }

    [Fact]
    public async Task Removing_a_lower_file_is_D_under_a_C_parent()
    {
        Assert.Equal("C /srv\nC /srv/data\nD /srv/data/old1\n", await DiffAfterAsync("d-remove", "base:1", "rm /srv/data/old1"));
    }

    [Fact]
    public async Task Lines_come_in_docker_walk_order()
    {
        var diff = await DiffAfterAsync("d-order", "base:1", "echo a > /zz; echo b > /aa; rm /srv/keep; echo c >> /etc/motd; echo d > /etc/new");
        Assert.Equal("A /aa\nC /etc\nC /etc/motd\nA /etc/new\nC /srv\nD /srv/keep\nA /zz\n", diff);
    }

    [Fact]
    public async Task A_directory_replaced_by_one_of_the_same_name_shows_its_new_contents_A_and_the_old_ones_D()
    {
        // docker compares the merged trees: the old files are gone from the container's view.
        var diff = await DiffAfterAsync("d-opaque", "base:1", "rm -r /srv/data; mkdir /srv/data; echo new > /srv/data/fresh");
        Assert.Equal("C /srv\nC /srv/data\nA /srv/data/fresh\nD /srv/data/old1\nD /srv/data/old2\n", diff);
    }

    [Fact]
    public async Task Appending_one_byte_to_a_big_lower_file_copies_all_of_it_up_while_a_new_small_file_costs_only_itself()
    {
        var diff = await DiffAfterAsync("d-big", "big:1", "printf x >> /srv/big.bin; echo small > /small.txt", "--size");
        var lines = diff.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"C /srv/big.bin\t{ContainerStore.BigFileSize + 1} (67.1MB)", Assert.Single(lines, l => l.StartsWith("C /srv/big.bin", StringComparison.Ordinal)));
        Assert.Equal("A /small.txt\t6 (6B)", Assert.Single(lines, l => l.StartsWith("A /small.txt", StringComparison.Ordinal)));
        Assert.StartsWith($"total\t{ContainerStore.BigFileSize + 7} ", lines[^1]);
    }

    [Fact]
    public async Task Running_a_big_image_copies_nothing_until_a_write()
    {
        // Reading the whole 64 MiB file leaves the writable layer empty.
        Assert.Equal("", await DiffAfterAsync("d-read", "big:1", "cat /srv/big.bin > /dev/null"));
    }
}
