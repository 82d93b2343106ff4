using System.Net.Sockets;
using Strata.Cli.Verbs;
using Strata.Core;

namespace Strata.Cli.Tests.Verbs;

/// <summary><c>--secret</c> and <c>--ssh</c> as docker buildx spells them, and their one-line errors.</summary>
public sealed class BuildSecretOptionsTests : IDisposable
{
    private readonly TempDir _tempDir = new("strata-secret-opts-");

    private readonly string _variable = "STRATA_TEST_SECRET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    [Fact]
    public void File_and_env_sources_in_every_spelling_are_read()
    {
        var file = Path.Combine(_tempDir.Path, "token");
        File.WriteAllText(file, "from-file");
        Environment.SetEnvironmentVariable(_variable, "from-env");

        var secrets = BuildSecretOptions.Secrets([
            $"id=a,src={file}", $"id=b,source={file},type=file", $"id=c,env={_variable}", $"type=env,id=d,src={_variable}", $"id={_variable}",
        ]);

        Assert.Equal("from-file", System.Text.Encoding.UTF8.GetString(secrets["a"]));
        Assert.Equal("from-file", System.Text.Encoding.UTF8.GetString(secrets["b"]));
        Assert.Equal("from-env", System.Text.Encoding.UTF8.GetString(secrets["c"]));
        Assert.Equal("from-env", System.Text.Encoding.UTF8.GetString(secrets["d"]));
        // id alone: the variable of that name when it is set.
        Assert.Equal("from-env", System.Text.Encoding.UTF8.GetString(secrets[_variable]));
    }

    [Theory]
    [InlineData("src=/x", "an id is required")]
    [InlineData("id=a,colour=red", "unexpected key \"colour\"")]
    [InlineData("id=a,type=ssh,src=/x", "unsupported type \"ssh\"")]
    public void Bad_secret_specs_are_one_line_errors(string spec, string expected)
    {
        var ex = Assert.Throws<InvalidArgumentException>(() => BuildSecretOptions.Secrets([spec]));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void An_unreadable_file_or_unset_variable_names_the_source_and_never_a_value()
    {
        var missing = Path.Combine(_tempDir.Path, "missing");
        var file = Assert.Throws<InvalidArgumentException>(() => BuildSecretOptions.Secrets([$"id=tok,src={missing}"]));
        Assert.Contains(missing, file.Message, StringComparison.Ordinal);
        Assert.Contains("id=tok", file.Message, StringComparison.Ordinal);

        var env = Assert.Throws<InvalidArgumentException>(() => BuildSecretOptions.Secrets([$"id=tok,env={_variable}_UNSET"]));
        Assert.Contains(_variable + "_UNSET is not set", env.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ssh_takes_a_socket_path_and_refuses_what_is_not_a_socket()
    {
        var socketPath = Path.Combine(_tempDir.Path, "agent.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socketPath));
        var file = Path.Combine(_tempDir.Path, "plain");
        File.WriteAllText(file, "");

        Assert.Equal(socketPath, BuildSecretOptions.SshAgents([$"deploy={socketPath}"])["deploy"]);
        var ex = Assert.Throws<InvalidArgumentException>(() => BuildSecretOptions.SshAgents([$"default={file}"]));
        Assert.Contains($"{file} is not an SSH agent socket", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(_variable, null);
        _tempDir.Dispose();
    }
}
