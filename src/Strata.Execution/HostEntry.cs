namespace Strata.Execution;

/// <summary>An extra line of the container's <c>/etc/hosts</c> (<c>--add-host HOST:IP</c>).</summary>
/// <param name="Host">The host name.</param>
/// <param name="Address">An IPv4 or IPv6 address, as text.</param>
public sealed record HostEntry(string Host, string Address);
