using System.Text;

namespace Strata.Dockerfile.Syntax;

/// <summary>
/// One node of the syntax tree, in BuildKit's shape so that <see cref="Dump"/> can be compared with
/// its test vectors: the root has one child per instruction; an instruction node holds the
/// lower-cased keyword in <see cref="Value"/>, its <c>--flags</c>, and its arguments as a chain
/// through <see cref="Next"/> (ONBUILD's chain holds one node whose only child is the trigger).
/// The typed view of an instruction is built from this by <see cref="Instructions.InstructionParser"/>.
/// </summary>
public sealed class Node
{
    /// <summary>The keyword (instruction nodes, lower case) or one argument.</summary>
    public string Value { get; internal set; } = "";

    /// <summary>The next argument of the same instruction.</summary>
    public Node? Next { get; internal set; }

    /// <summary>Instructions (root) or the trigger of ONBUILD.</summary>
    public IReadOnlyList<Node> Children => ChildList;

    internal List<Node> ChildList { get; } = [];

    /// <summary>Here-documents read after this instruction's line.</summary>
    public IReadOnlyList<Heredoc> Heredocs => HeredocList;

    internal List<Heredoc> HeredocList { get; } = [];

    /// <summary>The flags as written (<c>--name=value</c> or <c>--name</c>).</summary>
    public IReadOnlyList<string> Flags { get; internal set; } = [];

    /// <summary>True when the arguments were given as a JSON array (exec form).</summary>
    public bool IsJson { get; internal set; }

    /// <summary>The whole logical line (continuations joined, comments removed).</summary>
    public string Original { get; internal set; } = "";

    /// <summary>First physical line (1-based) of this node; -1 for an empty root.</summary>
    public int StartLine { get; internal set; }

    /// <summary>Last physical line, including continuation and heredoc lines.</summary>
    public int EndLine { get; internal set; }

    /// <summary>Column (1-based) where the keyword starts on <see cref="StartLine"/>.</summary>
    public int StartColumn { get; internal set; } = 1;

    /// <summary>Comment lines directly above this instruction (directives excluded).</summary>
    public IReadOnlyList<string> PrevComments { get; internal set; } = [];

    /// <summary>The arguments as a list of strings (the <see cref="Next"/> chain).</summary>
    public IReadOnlyList<string> Arguments()
    {
        var list = new List<string>();
        for (var n = Next; n is not null; n = n.Next) list.Add(n.Value);
        return list;
    }

    internal void AddChild(Node child, int startLine, int endLine)
    {
        child.StartLine = startLine;
        child.EndLine = endLine;
        if (StartLine < 0) StartLine = startLine;
        EndLine = endLine;
        ChildList.Add(child);
    }

    /// <summary>
    /// The tree as BuildKit's s-expressions: <c>(copy ["--from=a"] "src" "/dst/")</c>, one line
    /// per instruction, values quoted with Go's <c>%q</c> rules.
    /// </summary>
    public string Dump()
    {
        var sb = new StringBuilder();
        DumpInto(sb);
        return sb.ToString().Trim();
    }

    private void DumpInto(StringBuilder outer)
    {
        // Mirrors BuildKit: each level trims its own text, so build it separately.
        var sb = new StringBuilder();
        sb.Append(Value.ToLowerInvariant());
        if (Flags.Count > 0)
        {
            sb.Append(" [");
            for (int i = 0; i < Flags.Count; i++)
            {
                if (i > 0) sb.Append(' ');
                GoQuote.Append(sb, Flags[i]);
            }
            sb.Append(']');
        }
        foreach (var child in ChildList)
        {
            sb.Append('(');
            child.DumpInto(sb);
            sb.Append(")\n");
        }
        for (var n = Next; n is not null; n = n.Next)
        {
            sb.Append(' ');
            if (n.ChildList.Count > 0) n.DumpInto(sb);
            else GoQuote.Append(sb, n.Value);
        }
        outer.Append(sb.ToString().Trim());
    }
}
