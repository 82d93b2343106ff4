namespace Strata.Cli.Formatting;

/// <summary>The kinds of Go value a template meets in docker's typed data; each prints and zeroes its own way.</summary>
internal enum GoKind
{
    String,
    Bool,
    Int,
    /// <summary>A time.Time: JSON holds RFC 3339, a template prints Go's <c>Time.String()</c>.</summary>
    Time,
    Slice,
    Map,
    Struct,
    /// <summary>A pointer to a struct (<see cref="GoShape.Element"/>): nil prints <c>&lt;nil&gt;</c>.</summary>
    Pointer,
    Interface,
    /// <summary>A docker formatter context (imageContext, historyContext...): string methods, JSON with sorted keys.</summary>
    Context,
}
