namespace Strata.Cli.Formatting;

/// <summary>A field of a Go struct: the name templates use, the JSON key (docker's tag), and <c>omitempty</c>.</summary>
internal sealed record GoField(string Name, GoShape Shape, bool OmitEmpty = false, string? JsonName = null)
{
    public string Key => JsonName ?? Name;
}
