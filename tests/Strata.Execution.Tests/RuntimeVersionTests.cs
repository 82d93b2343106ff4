namespace Strata.Execution.Tests;

public sealed class RuntimeVersionTests
{
    [Theory]
    [InlineData("runc version 1.1.5+ds1\ncommit: 1.1.5+ds1-1+deb12u1\nspec: 1.0.2-dev\n", "runc", "1.1.5+ds1", false)]
    [InlineData("runc version 1.0.0-rc93\nspec: 1.0.2-dev\n", "runc", "1.0.0-rc93", true)]
    [InlineData("runc version 0.1.1\n", "runc", "0.1.1", true)]
    [InlineData("runc version 1.0.0\n", "runc", "1.0.0", false)]
    [InlineData("crun version 1.8.1\ncommit: f8a096be060b22ccd3d5f3ebe44108517fbf6c30\nspec: 1.0.0\n+SYSTEMD +SELINUX\n", "crun", "1.8.1", false)]
    [InlineData("crun version 0.17\n", "crun", "0.17.0", true)]
    public void Version_line_is_parsed_and_pre_1_0_is_flagged(string output, string name, string version, bool before1)
    {
        var v = RuntimeVersion.TryParse(output);
        Assert.NotNull(v);
        Assert.Equal(name, v.Name);
        Assert.Equal(version, v.ToString());
        Assert.Equal(before1, v.IsBefore1);
    }

    [Theory]
    [InlineData("")]
    [InlineData("usage: runc [options]")]
    public void Output_without_a_version_is_not_parsed(string output)
    {
        Assert.Null(RuntimeVersion.TryParse(output));
    }
}
