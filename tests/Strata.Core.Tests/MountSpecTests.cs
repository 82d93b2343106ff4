using Strata.Core;

namespace Strata.Core.Tests;

public sealed class MountSpecTests
{
    [Fact]
    public void Option_returns_the_value_of_the_first_named_option_or_null()
    {
        var spec = new MountSpec("overlay", "overlay", ["ro", "lowerdir=/a:/b", "upperdir=/u", "lowerdir=/ignored"]);

        Assert.Equal("/a:/b", spec.Option("lowerdir"));
        Assert.Equal("/u", spec.Option("upperdir"));
        Assert.Null(spec.Option("workdir"));
        Assert.Null(spec.Option("ro"));
    }

    [Fact]
    public void A_spec_reads_like_a_mount_command()
    {
        Assert.Equal("bind /src rbind,ro", new MountSpec("bind", "/src", ["rbind", "ro"]).ToString());
    }
}
