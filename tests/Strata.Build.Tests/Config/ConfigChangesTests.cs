using Strata.Build.Config;
using Strata.Core;

namespace Strata.Build.Tests.Config;

public sealed class ConfigChangesTests
{
    [Fact]
    public void Changes_apply_in_order_and_expand_earlier_env()
    {
        var config = ConfigChanges.Apply(["ENV A=1", "ENV B=${A}x", "CMD [\"sh\"]", "EXPOSE 8080", "WORKDIR /srv"]);
        Assert.NotNull(config);
        Assert.Equal(["A=1", "B=1x"], config.Env);
        Assert.Equal(["sh"], config.Cmd);
        Assert.Equal(["8080/tcp"], config.ExposedPorts!.Keys);
        Assert.Equal("/srv", config.WorkingDir);
    }

    [Theory]
    [InlineData("RUN echo hi", "RUN is not a valid change command")]
    [InlineData("FROM busybox", "want exactly one Dockerfile instruction")]
    public void Changes_that_are_not_config_instructions_are_refused(string change, string message)
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => ConfigChanges.Apply([change]));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Contains(change, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_changes_leave_the_config_alone()
    {
        Assert.Null(ConfigChanges.Apply([]));
    }
}
