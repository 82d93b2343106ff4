using Strata.Core;
using Strata.Execution;

namespace Strata.Cli.Verbs;

/// <summary><c>--network</c> of <c>run</c>, <c>create</c> and <c>build</c>: docker's names for the modes Strata has.</summary>
internal static class NetworkFlag
{
    /// <summary><c>default</c> and <c>bridge</c> (docker's name of its default network) are the NAT network; <c>none</c>; <c>host</c>.</summary>
    public static NetworkMode Parse(string? value) => value switch
    {
        null or "default" or "bridge" => NetworkMode.Nat,
        "none" => NetworkMode.None,
        "host" => NetworkMode.Host,
        _ => throw new InvalidArgumentException($"network mode \"{value}\" not supported: use default (or bridge), none or host"),
    };
}
