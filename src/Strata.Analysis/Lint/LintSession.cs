using Strata.Dockerfile.Instructions;

namespace Strata.Analysis.Lint;

/// <summary>
/// One lint run's state: the typed Dockerfile, its physical lines (to place findings on the exact
/// line and column), the context when given, and the findings, filtered through
/// <c># strata-lint ignore=</c> and <c># check=skip=</c> as they are added.
/// </summary>
internal sealed class LintSession
{
    private readonly LintSuppressions _suppressions;
    private readonly CheckOptions _check;
    private readonly List<LintFinding> _findings = [];
    private readonly Dictionary<RunInstruction, IReadOnlyList<ShellCommand>> _commands = [];

    public LintSession(DockerfileDefinition definition, IReadOnlyList<string> lines, CheckOptions check, LintContext? context)
    {
        Definition = definition;
        Lines = lines;
        _check = check;
        Context = context;
        Instructions = [.. definition.GlobalArgs, .. definition.Stages.SelectMany(s => s.Instructions.Prepend(s.From))];
        _suppressions = LintSuppressions.Parse(lines, Instructions.Select(i => i.Range.StartLine).ToList());
        Shipping = ShippingStages(definition);
    }

    public DockerfileDefinition Definition { get; }

    public IReadOnlyList<string> Lines { get; }

    public LintContext? Context { get; }

    /// <summary>Every instruction in file order (global ARGs, then each stage's FROM and body).</summary>
    public IReadOnlyList<Instruction> Instructions { get; }

    /// <summary>The stages whose layers end up in the image: the last one and the stages it is built FROM.</summary>
    public IReadOnlySet<int> Shipping { get; }

    public IReadOnlyList<LintFinding> Findings => _findings;

    /// <summary>Adds a finding at an exact place, unless a comment or <c># check=skip=</c> silences it.</summary>
    public void Add(LintRule rule, int instructionLine, int line, int column, string message, string? imagePath = null)
    {
        if (!_check.Reports(rule.Code) || _suppressions.Ignores(rule, instructionLine)) return;
        var severity = _check.Error ? LintSeverity.Error : rule.Severity;
        var finding = new LintFinding(rule.Code, severity, message, line, column) { InstructionLine = instructionLine, ImagePath = imagePath };
        if (!_findings.Contains(finding)) _findings.Add(finding);
    }

    /// <summary>
    /// Adds a finding at the first occurrence of <paramref name="needle"/> in the instruction's text
    /// (its start when absent); <paramref name="imagePath"/> is the image path it is about, if any.
    /// </summary>
    public void Add(LintRule rule, Instruction at, string? needle, string message, string? imagePath = null)
    {
        var (line, column) = Locate(at, needle);
        Add(rule, at.Range.StartLine, line, column, message, imagePath);
    }

    /// <summary>The line and column of <paramref name="needle"/> within the instruction's lines (continuations included).</summary>
    public (int Line, int Column) Locate(Instruction at, string? needle)
    {
        if (!string.IsNullOrEmpty(needle))
        {
            for (int line = at.Range.StartLine; line <= at.Range.EndLine && line <= Lines.Count; line++)
            {
                var text = Lines[line - 1];
                int from = line == at.Range.StartLine ? Math.Min(Math.Max(at.Range.StartColumn - 1, 0), text.Length) : 0;
                int i = text.IndexOf(needle, from, StringComparison.Ordinal);
                if (i >= 0) return (line, i + 1);
            }
        }
        // A command split over continuation lines: fall back to its first word.
        int space = needle?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
        if (space > 0) return Locate(at, needle![..space]);
        return (at.Range.StartLine, at.Range.StartColumn);
    }

    /// <summary>The first two words of a command as written (<c>apt-get install</c>), to place a finding on it.</summary>
    public static string Needle(ShellCommand command) =>
        string.Join(' ', command.Text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Take(2));

    /// <summary>The simple commands a RUN executes (exec form <c>["sh", "-c", script]</c> included).</summary>
    public IReadOnlyList<ShellCommand> Commands(RunInstruction run)
    {
        if (_commands.TryGetValue(run, out var cached)) return cached;
        var args = run.Command.Args;
        string script = run.Command.PrependShell ? run.ShellScript()
            : args.Count >= 3 && args[1] == "-c" && args[0].EndsWith("sh", StringComparison.Ordinal) ? args[2]
            : string.Join(' ', args);
        return _commands[run] = ShellScript.Split(script);
    }

    private static HashSet<int> ShippingStages(DockerfileDefinition definition)
    {
        var shipping = new HashSet<int>();
        var stage = definition.Stages.Count > 0 ? definition.Stages[^1] : null;
        while (stage is not null && shipping.Add(stage.Index))
        {
            var parent = definition.Stages.FirstOrDefault(s => s.Index < stage.Index && s.Name is not null && string.Equals(s.Name, stage.BaseName, StringComparison.OrdinalIgnoreCase));
            stage = parent;
        }
        return shipping;
    }
}
