using Strata.Core;

namespace Strata.Containers;

/// <summary>
/// <see cref="ContainerStatus"/> as the words stored and shown (docker's <c>State</c>):
/// <c>created</c>, <c>starting</c>, <c>running</c>, <c>exited</c>. Parsing is exact (ordinal,
/// lower case), since the text is only ever what <see cref="ToText"/> wrote.
/// </summary>
public static class ContainerStatusText
{
    public static string ToText(this ContainerStatus status) => status switch
    {
        ContainerStatus.Created => "created",
        ContainerStatus.Starting => "starting",
        ContainerStatus.Running => "running",
        ContainerStatus.Exited => "exited",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a container status"),
    };

    /// <summary>The status written as <paramref name="text"/>; false for any other text.</summary>
    public static bool TryParse(string? text, out ContainerStatus status)
    {
        (bool known, status) = text switch
        {
            "created" => (true, ContainerStatus.Created),
            "starting" => (true, ContainerStatus.Starting),
            "running" => (true, ContainerStatus.Running),
            "exited" => (true, ContainerStatus.Exited),
            _ => (false, default),
        };
        return known;
    }

    /// <exception cref="InvalidArgumentException"><paramref name="text"/> is not a status.</exception>
    public static ContainerStatus Parse(string? text) =>
        TryParse(text, out var status) ? status : throw new InvalidArgumentException($"unknown container status \"{text}\": expected created, starting, running or exited");
}
