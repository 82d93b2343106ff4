using System.Text;
using System.Text.RegularExpressions;
using Strata.Dockerfile.Shell;

namespace Strata.Dockerfile.Syntax;

/// <summary>
/// Text to syntax tree, following BuildKit's parser rule for rule: parser directives at the top,
/// line continuations with the escape token (comments and blank lines inside a continuation are
/// skipped, blank ones with a warning), flags before arguments, per-instruction argument shapes,
/// and here-documents for RUN, COPY and ADD. Pure: no disk, no network.
/// </summary>
public static partial class DockerfileParser
{
    private static readonly HashSet<string> HeredocKeywords = ["add", "copy", "run"];

    /// <summary>Parses a whole Dockerfile. Throws <see cref="DockerfileException"/> on malformed input.</summary>
    public static ParseResult Parse(string text, string fileName = "Dockerfile")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileName);
        var physical = SplitLines(text);
        var display = new List<string>(physical.Count);
        foreach (var l in physical) display.Add(TrimNewline(l));
        if (display.Count > 0 && display[0].StartsWith('\uFEFF')) display[0] = display[0][1..];

        var directives = new DirectiveState();
        var root = new Node { StartLine = -1 };
        var warnings = new List<DockerfileWarning>();
        var comments = new List<string>();
        var buf = new StringBuilder();
        int currentLine = 0;
        int index = 0;

        DockerfileException Error(string reason, int line, int column = 1) =>
            new(reason, fileName, new SourcePosition(line, column), line >= 1 && line <= display.Count ? display[line - 1] : null);

        while (index < physical.Count)
        {
            var raw = physical[index++];
            if (currentLine == 0 && raw.StartsWith('\uFEFF')) raw = raw[1..];
            var trimmedRaw = raw.TrimStart();
            if (trimmedRaw.StartsWith('#'))
            {
                var comment = TrimNewline(trimmedRaw[1..]).Trim();
                if (comment.Length == 0) comments.Clear();
                else comments.Add(comment);
            }
            string processed;
            try
            {
                processed = ProcessLine(directives, raw, stripLeadingWhitespace: true, out bool isDirective);
                if (isDirective && comments.Count > 0) comments.RemoveAt(comments.Count - 1);
            }
            catch (DockerfileException ex)
            {
                throw Error(ex.Reason, currentLine + 1);
            }
            currentLine++;
            int startLine = currentLine;
            int startColumn = LeadingWhitespace(raw) + 1;
            var (line, isEnd) = TrimContinuation(processed, directives.Escape);
            if (isEnd && line.Length == 0) continue;
            buf.Clear().Append(line);

            bool emptyContinuation = false;
            while (!isEnd && index < physical.Count)
            {
                var next = physical[index++];
                try
                {
                    processed = ProcessLine(directives, next, stripLeadingWhitespace: false, out _);
                }
                catch (DockerfileException ex)
                {
                    throw Error(ex.Reason, currentLine + 1);
                }
                currentLine++;
                if (IsComment(next)) continue;
                if (processed.TrimStart().Length == 0)
                {
                    emptyContinuation = true;
                    continue;
                }
                (line, isEnd) = TrimContinuation(processed, directives.Escape);
                buf.Append(line);
            }

            var logical = buf.ToString();
            if (emptyContinuation)
                warnings.Add(new DockerfileWarning("NoEmptyContinuation", "Empty continuation line found in: " + logical.Trim(), currentLine));

            Node child;
            try
            {
                child = NodeFromLine(logical, directives.Escape, 0);
            }
            catch (DockerfileException ex)
            {
                throw Error(ex.Reason, startLine, startColumn);
            }
            child.PrevComments = [.. comments];
            child.StartColumn = startColumn;

            if (CanContainHeredoc(child) && logical.Contains("<<", StringComparison.Ordinal))
            {
                List<Heredoc> heredocs;
                try
                {
                    heredocs = HeredocsFromLine(logical);
                }
                catch (DockerfileException ex)
                {
                    throw Error(ex.Reason, startLine, startColumn);
                }
                var target = child.Value == "onbuild" && child.Next is { ChildList.Count: > 0 } holder ? holder.ChildList[0] : child;
                foreach (var heredoc in heredocs)
                {
                    bool terminated = false;
                    var content = new StringBuilder();
                    while (index < physical.Count)
                    {
                        var bodyLine = physical[index++];
                        currentLine++;
                        var candidate = TrimNewline(bodyLine);
                        if (heredoc.Chomp) candidate = candidate.TrimStart('\t');
                        if (candidate == heredoc.Name)
                        {
                            terminated = true;
                            break;
                        }
                        content.Append(bodyLine);
                    }
                    if (!terminated) throw Error($"unterminated heredoc {heredoc.Name}", startLine, startColumn);
                    var complete = heredoc with { Content = content.ToString() };
                    child.HeredocList.Add(complete);
                    if (!ReferenceEquals(target, child)) target.HeredocList.Add(complete);
                }
            }

            root.AddChild(child, startLine, currentLine);
            foreach (var c in child.ChildList) { c.StartLine = startLine; c.EndLine = currentLine; c.StartColumn = startColumn; }
            if (child.Next is { } n && n.ChildList.Count > 0)
                foreach (var c in n.ChildList) { c.StartLine = startLine; c.EndLine = currentLine; c.StartColumn = startColumn; }
            comments.Clear();
        }

        if (root.StartLine < 0) throw Error("file with no instructions", Math.Max(currentLine, 1));
        return new ParseResult(root, directives.ToDirectives(), warnings, display, fileName);
    }

    private static int LeadingWhitespace(string s)
    {
        int i = 0;
        while (i < s.Length && char.IsWhiteSpace(s[i]) && s[i] != '\n') i++;
        return i;
    }

    private static bool IsComment(string line) => line.TrimStart().StartsWith('#');

    private static string TrimNewline(string s)
    {
        int end = s.Length;
        while (end > 0 && s[end - 1] is '\r' or '\n') end--;
        return end == s.Length ? s : s[..end];
    }

    private static string ProcessLine(DirectiveState directives, string token, bool stripLeadingWhitespace, out bool isDirective)
    {
        token = TrimNewline(token);
        if (stripLeadingWhitespace) token = token.TrimStart();
        isDirective = directives.TryParse(token);
        return IsComment(token) ? "" : token;
    }

    /// <summary>
    /// A trailing escape token (then only blanks) continues the line, unless the escape token is
    /// itself escaped (<c>\\</c> at the end is a literal backslash).
    /// </summary>
    internal static (string Line, bool IsEnd) TrimContinuation(string line, char escape)
    {
        int end = line.Length;
        while (end > 0 && line[end - 1] is ' ' or '\t') end--;
        if (end == 0 || line[end - 1] != escape) return (line, true);
        if (end == 1) return ("", false);
        if (line[end - 2] == escape) return (line, true);
        return (line[..(end - 1)], false);
    }

    /// <summary>Lines with their line endings, the way BuildKit's scanner hands them out.</summary>
    private static List<string> SplitLines(string text)
    {
        var lines = new List<string>();
        int start = 0;
        while (start < text.Length)
        {
            int nl = text.IndexOf('\n', start);
            if (nl < 0)
            {
                lines.Add(text[start..]);
                break;
            }
            lines.Add(text[start..(nl + 1)]);
            start = nl + 1;
        }
        return lines;
    }

    internal static Node NodeFromLine(string line, char escape, int depth)
    {
        var (keyword, flags, args) = SplitCommand(line);
        var (next, isJson) = LineParsers.Dispatch(keyword, args, escape, depth);
        return new Node { Value = keyword, Original = line, Flags = flags, Next = next, IsJson = isJson };
    }

    private static bool CanContainHeredoc(Node node)
    {
        if (node.Value == "onbuild" && node.Next is { ChildList.Count: > 0 } holder) node = holder.ChildList[0];
        return HeredocKeywords.Contains(node.Value) && !node.IsJson;
    }

    private static (string Keyword, List<string> Flags, string Args) SplitCommand(string line)
    {
        var trimmed = line.Trim();
        var parts = LineParsers.SplitWhitespace(trimmed, 2);
        var keyword = parts[0].ToLowerInvariant();
        var flags = new List<string>();
        string args = "";
        if (parts.Count == 2) args = ExtractFlags(parts[1], flags);
        return (keyword, flags, args.Trim());
    }

    /// <summary>Takes the leading <c>--flag[=value]</c> words off; returns the rest of the line.</summary>
    private static string ExtractFlags(string line, List<string> words)
    {
        const int InSpaces = 0, InWord = 1, InQuote = 2;
        int phase = InSpaces;
        var word = new StringBuilder();
        char quote = '\0';
        bool blankOk = false;
        for (int pos = 0; pos <= line.Length; pos++)
        {
            char ch = pos < line.Length ? line[pos] : '\0';
            if (phase == InSpaces)
            {
                if (pos == line.Length) break;
                if (char.IsWhiteSpace(ch)) continue;
                if (ch != '-' || pos + 1 == line.Length || line[pos + 1] != '-') return line[pos..];
                phase = InWord;
            }
            if (pos == line.Length)
            {
                if (word.ToString() != "--" && (blankOk || word.Length > 0)) words.Add(word.ToString());
                break;
            }
            if (phase == InWord)
            {
                if (char.IsWhiteSpace(ch))
                {
                    phase = InSpaces;
                    // A flag's value is joined with '=' (--from=x); "--" alone ends the flags.
                    if (word.ToString() == "--") return line[pos..];
                    if (blankOk || word.Length > 0) words.Add(word.ToString());
                    word.Clear();
                    blankOk = false;
                    continue;
                }
                if (ch is '\'' or '"')
                {
                    quote = ch;
                    blankOk = true;
                    phase = InQuote;
                    continue;
                }
                if (ch == '\\')
                {
                    if (pos + 1 == line.Length) continue;
                    pos++;
                    ch = line[pos];
                }
                word.Append(ch);
                continue;
            }
            if (ch == quote)
            {
                phase = InWord;
                continue;
            }
            if (ch == '\\')
            {
                if (pos + 1 == line.Length)
                {
                    phase = InWord;
                    continue;
                }
                pos++;
                ch = line[pos];
            }
            word.Append(ch);
        }
        return "";
    }

    [GeneratedRegex(@"^(\d*)<<(-?)[\t\n\f\r ]*([^<]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex HeredocPattern();

    /// <summary>Finds the here-documents a line opens, in order (<c>&lt;&lt;EOF</c>, <c>&lt;&lt;-"EOT"</c>, <c>3&lt;&lt;X</c>).</summary>
    internal static List<Heredoc> HeredocsFromLine(string line)
    {
        var lexer = new ShellLexer('\\') { RawQuotes = true, RawEscapes = true, SkipUnsetEnv = true, HeredocOperators = true };
        IReadOnlyList<string> words;
        try
        {
            words = lexer.ProcessWords(line, EmptyEnv);
        }
        catch (DockerfileException)
        {
            words = [];
        }
        var docs = new List<Heredoc>();
        foreach (var word in words)
        {
            var doc = ParseHeredoc(word);
            if (doc is not null) docs.Add(doc);
        }
        return docs;
    }

    private static readonly Dictionary<string, string> EmptyEnv = [];

    /// <summary>Parses one heredoc opener word; null when the word is not one.</summary>
    public static Heredoc? ParseHeredoc(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var m = HeredocPattern().Match(word);
        if (!m.Success) return null;
        int fd = 0;
        if (m.Groups[1].Value.Length > 0 && !int.TryParse(m.Groups[1].Value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out fd)) fd = 0;
        bool chomp = m.Groups[2].Value == "-";
        var rest = m.Groups[3].Value;
        if (rest.Length == 0) return null;
        var words = new ShellLexer('\\') { SkipUnsetEnv = true }.ProcessWords(rest, EmptyEnv);
        if (words.Count != 1) return null;
        var raw = new ShellLexer('\\') { SkipUnsetEnv = true, RawQuotes = true }.ProcessWords(rest, EmptyEnv);
        if (raw.Count != words.Count) throw new DockerfileException($"internal lexing of heredoc produced inconsistent results: {rest}");
        static int Quotes(string s) => s.Count(c => c is '\'' or '"');
        bool expand = Quotes(words[0]) == Quotes(raw[0]);
        return new Heredoc(words[0], fd, expand, chomp, "");
    }
}
