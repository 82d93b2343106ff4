namespace Strata.Dockerfile.Instructions;

/// <summary>
/// A build stage: its FROM and the instructions up to the next FROM. <see cref="Name"/> is the
/// lower-cased <c>AS</c> name, or null; stages are also addressable by <see cref="Index"/>.
/// </summary>
public sealed record Stage(int Index, string? Name, string BaseName, string? Platform, FromInstruction From, IReadOnlyList<Instruction> Instructions)
{
    /// <summary>The name when there is one, else the index as text (how <c>--from=0</c> refers to it).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string DisplayName => Name ?? Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
