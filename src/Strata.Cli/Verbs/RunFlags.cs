using System.CommandLine;
using Strata.Containers;
using Strata.Core;
using Strata.Execution;

namespace Strata.Cli.Verbs;

/// <summary>The options <c>run</c> and <c>create</c> share, and how they become <see cref="ContainerRunOptions"/>.</summary>
internal sealed class RunFlags
{
    public Argument<string> Image { get; } = new("IMAGE");
    public Argument<string[]> Cmd { get; } = new("COMMAND") { Arity = ArgumentArity.ZeroOrMore, Description = "Command and arguments (replace the image's CMD)" };
    public Option<string?> Name { get; } = new("--name") { Description = "Assign a name to the container" };
    public Option<string[]> Env { get; } = new("--env", "-e") { Description = "Set environment variables (KEY=VALUE, or KEY to take it from the environment)" };
    public Option<string?> Workdir { get; } = new("--workdir", "-w") { Description = "Working directory inside the container" };
    public Option<string?> User { get; } = new("--user", "-u") { Description = "Username or UID (format: <name|uid>[:<group|gid>])" };
    public Option<string?> Entrypoint { get; } = new("--entrypoint") { Description = "Overwrite the default ENTRYPOINT of the image" };
    public Option<string> Network { get; } = new("--network", "--net") { Description = "default (a network of its own with outbound access, also called bridge), none or host", DefaultValueFactory = _ => "default" };
    public Option<string[]> AddHosts { get; } = new("--add-host") { Description = "Add a custom host-to-IP mapping (HOST:IP; IP may be host-gateway, the host's loopback)" };
    public Option<string[]> Publish { get; } = new("--publish", "-p") { Description = "Publish a container's port to the host: [IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL]" };
    public Option<string[]> Volumes { get; } = new("--volume", "-v") { Description = "Bind mount a host path: HOST:CONTAINER[:ro]" };
    public Option<string?> Hostname { get; } = new("--hostname") { Description = "Container host name" };
    public Option<bool> Interactive { get; } = new("--interactive", "-i") { Description = "Keep STDIN open (the process reads strata's standard input)" };
    public Option<bool> Tty { get; } = new("--tty", "-t") { Description = "Allocate a pseudo-TTY" };
    public Option<string?> Platform { get; } = new("--platform") { Description = "Run this platform's image of a multi-platform image (os/arch[/variant]; default: the host's)" };

    /// <summary>Options that take a value: what follows them is not IMAGE (see <see cref="RunVerb.SeparateCommand"/>).</summary>
    public static readonly HashSet<string> ValueOptions = new(StringComparer.Ordinal)
    {
        "--name", "-e", "--env", "-w", "--workdir", "-u", "--user", "--entrypoint", "--network", "--root",
        "-v", "--volume", "--hostname", "--net", "--add-host", "-p", "--publish", "--platform",
    };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Image);
        command.Arguments.Add(Cmd);
        foreach (Option o in new Option[] { Name, Env, Workdir, User, Entrypoint, Network, AddHosts, Publish, Volumes, Hostname, Interactive, Tty, Platform })
            command.Options.Add(o);
    }

    public ContainerRunOptions Read(ParseResult parse, bool remove, bool detach = false)
    {
        var network = NetworkFlag.Parse(parse.GetValue(Network));
        var publish = parse.GetValue(Publish) ?? [];
        if (network == NetworkMode.Host && publish.Length > 0)
            Console.Error.WriteLine("WARNING: Published ports are discarded when using host network mode");
        // Only a run that attaches reads stdin: docker checks neither run -d nor create.
        if (!detach) TtyCheck.RequireTerminalForInput(parse.GetValue(Interactive), parse.GetValue(Tty));
        return new ContainerRunOptions
        {
            Name = parse.GetValue(Name),
            Command = parse.GetValue(Cmd) ?? [],
            Entrypoint = parse.GetValue(Entrypoint),
            Env = [.. (parse.GetValue(Env) ?? []).Select(EnvEntry).OfType<string>()],
            WorkingDir = parse.GetValue(Workdir),
            User = parse.GetValue(User),
            Network = network,
            AddHosts = parse.GetValue(AddHosts) ?? [],
            Publish = publish,
            Remove = remove,
            Volumes = parse.GetValue(Volumes) ?? [],
            Hostname = parse.GetValue(Hostname),
            Interactive = parse.GetValue(Interactive),
            Tty = parse.GetValue(Tty),
            Platform = parse.GetValue(Platform) is { } platform ? Core.Platform.Parse(platform) : null,
        };
    }

    public static string? EnvEntry(string item) =>
        item.Contains('=', StringComparison.Ordinal) ? item
        : Environment.GetEnvironmentVariable(item) is { } v ? $"{item}={v}" : null;
}
