using System.Text.Json.Serialization;
using Strata.Execution;

namespace Strata.Containers;

/// <summary>What <c>strata run</c> overrides of the image's config. Null fields keep the image's value.</summary>
public sealed record ContainerRunOptions
{
    /// <summary>The container's name; default: a generated one.</summary>
    public string? Name { get; init; }
    /// <summary>Replaces the image's Cmd when not empty (docker's rule: CMD arguments after the image).</summary>
    public IReadOnlyList<string> Command { get; init; } = [];
    /// <summary>Replaces the image's Entrypoint (and drops its Cmd unless <see cref="Command"/> is given). Empty string: no entrypoint.</summary>
    public string? Entrypoint { get; init; }
    /// <summary><c>KEY=VALUE</c> entries added to (or replacing those of) the image's Env.</summary>
    public IReadOnlyList<string> Env { get; init; } = [];
    public string? WorkingDir { get; init; }
    public string? User { get; init; }
    /// <summary>
    /// The container's network: <see cref="NetworkMode.Nat"/> (docker's default: a namespace of its
    /// own with outbound access), <see cref="NetworkMode.None"/> (loopback only) or <see cref="NetworkMode.Host"/>.
    /// </summary>
    [JsonConverter(typeof(JsonStringEnumConverter<NetworkMode>))]
    public NetworkMode Network { get; init; } = NetworkMode.Nat;
    /// <summary><c>HOST:IP</c> lines for /etc/hosts (<c>--add-host</c>); IP may be <c>host-gateway</c>.</summary>
    public IReadOnlyList<string> AddHosts { get; init; } = [];
    /// <summary><c>[IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL]</c> ports to publish (<c>-p</c>), as given; see <see cref="PortSpec"/>.</summary>
    public IReadOnlyList<string> Publish { get; init; } = [];
    /// <summary>Remove the container and its writable layer when the process exits. Default false.</summary>
    public bool Remove { get; init; }
    /// <summary><c>HOST:CONTAINER[:ro]</c> bind mounts.</summary>
    public IReadOnlyList<string> Volumes { get; init; } = [];
    /// <summary>The container's hostname; default: the first 12 characters of its id (docker's).</summary>
    public string? Hostname { get; init; }
    /// <summary>Keep standard input open (<c>-i</c>): the process reads strata's. Default false: empty input.</summary>
    public bool Interactive { get; init; }
    /// <summary>Allocate a pseudo-terminal (<c>-t</c>). Default false.</summary>
    public bool Tty { get; init; }
    /// <summary>
    /// The platform whose image of a multi-platform name runs (<c>--platform</c>); an image named
    /// directly must be of it. Default null: the host's child of an index, any image.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Strata.Core.Platform? Platform { get; init; }
}
