namespace Strata.Cli.Formatting;

/// <summary>A parsed piece of a Go template.</summary>
internal abstract record TemplateNode;

internal sealed record TextNode(string Text) : TemplateNode;

internal sealed record ActionNode(List<List<Operand>> Pipeline) : TemplateNode;

/// <summary><c>if</c> or <c>with</c> (Kind says which).</summary>
internal sealed record IfNode(string Kind, List<List<Operand>> Pipeline, List<TemplateNode> Body, List<TemplateNode> Else) : TemplateNode;

internal sealed record RangeNode(List<List<Operand>> Pipeline, List<TemplateNode> Body, List<TemplateNode> Else) : TemplateNode;

/// <summary>An argument in a template command.</summary>
internal abstract record Operand;

/// <summary>
/// A field chain. <paramref name="Position"/> is where Go's parser places the node (the first
/// field, or the second for a chain), which error messages report as <c>line:column</c>.
/// </summary>
internal sealed record FieldOperand(string[] Path, int Position = 0, string Text = "") : Operand;

internal sealed record LiteralOperand(object? Value) : Operand;

internal sealed record FunctionOperand(string Name) : Operand;

internal sealed record SubPipelineOperand(List<List<Operand>> Pipeline) : Operand;
