namespace Strata.Cli.Formatting;

/// <summary>
/// The Go type behind a piece of docker's JSON. Templates need it where JSON alone cannot say
/// what Go does: an unset struct field is its zero value (an empty line, not an error), a nil
/// slice prints <c>[]</c> but a nil pointer <c>&lt;nil&gt;</c>, a field that the struct lacks is
/// an error, and <c>{{json}}</c> writes fields in the struct's order and drops <c>omitempty</c> ones.
/// </summary>
internal sealed record GoShape(GoKind Kind, string TypeName)
{
    /// <summary>A struct's fields in declaration order (for a pointer, those of <see cref="Element"/>).</summary>
    public IReadOnlyList<GoField> Fields { get; init; } = [];

    /// <summary>The element of a slice or map, the struct a pointer points to.</summary>
    public GoShape? Element { get; init; }

    public static GoShape String { get; } = new(GoKind.String, "string");

    public static GoShape Bool { get; } = new(GoKind.Bool, "bool");

    public static GoShape Int64 { get; } = new(GoKind.Int, "int64");

    public static GoShape Int { get; } = new(GoKind.Int, "int");

    public static GoShape Time { get; } = new(GoKind.Time, "time.Time");

    public static GoShape Interface { get; } = new(GoKind.Interface, "interface {}");

    public static GoShape Strings { get; } = SliceOf(String);

    public static GoShape SliceOf(GoShape element) => new(GoKind.Slice, "[]" + element.TypeName) { Element = element };

    public static GoShape MapOf(GoShape element) => new(GoKind.Map, "map[string]" + element.TypeName) { Element = element };

    public static GoShape Struct(string typeName, params GoField[] fields) => new(GoKind.Struct, typeName) { Fields = fields };

    public static GoShape PointerTo(GoShape structShape) => new(GoKind.Pointer, "*" + structShape.TypeName) { Element = structShape, Fields = structShape.Fields };

    /// <summary>A formatter context, named as Go prints its type (<c>*formatter.imageContext</c>).</summary>
    public static GoShape Context(string typeName) => new(GoKind.Context, typeName);

    public GoField? Field(string name)
    {
        foreach (var f in Fields) if (f.Name == name) return f;
        return null;
    }
}
