using System.Globalization;
using System.Text;
using Strata.Core;

namespace Strata.Cli.Formatting;

/// <summary>Recursive-descent parser for the Go template subset <see cref="GoTemplate"/> runs.</summary>
internal sealed class TemplateParser
{
    private readonly string _text;
    private int _pos;

    public TemplateParser(string text) => _text = text;

    /// <summary>Parses until the end or a block keyword (<c>end</c>, <c>else</c>), returned in <paramref name="terminator"/>.</summary>
    public List<TemplateNode> ParseList(out string? terminator)
    {
        var nodes = new List<TemplateNode>();
        terminator = null;
        while (_pos < _text.Length)
        {
            int open = _text.IndexOf("{{", _pos, StringComparison.Ordinal);
            if (open < 0)
            {
                nodes.Add(new TextNode(_text[_pos..]));
                _pos = _text.Length;
                break;
            }
            int close = _text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0) throw Error("unclosed action");
            var text = _text[_pos..open];
            var action = _text[(open + 2)..close];
            // {{- and -}} trim the neighbouring white space, as in Go.
            if (action.StartsWith("- ", StringComparison.Ordinal)) { text = text.TrimEnd(); action = action[1..]; }
            bool trimAfter = false;
            if (action.EndsWith(" -", StringComparison.Ordinal)) { trimAfter = true; action = action[..^1]; }
            if (text.Length > 0) nodes.Add(new TextNode(text));
            _pos = close + 2;
            if (trimAfter) while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;

            action = action.Trim();
            if (action.StartsWith("/*", StringComparison.Ordinal)) continue;
            var keyword = action.Split(' ', 2)[0];
            switch (keyword)
            {
                case "end":
                case "else":
                    terminator = action;
                    return nodes;
                case "if":
                case "with":
                case "range":
                    {
                        var pipeline = ParsePipeline(action[keyword.Length..]);
                        var body = ParseList(out var term);
                        var elseBody = new List<TemplateNode>();
                        if (term == "else")
                        {
                            elseBody = ParseList(out term);
                        }
                        else if (term is not null && term.StartsWith("else if ", StringComparison.Ordinal))
                        {
                            // "else if X" is sugar for "else" + nested "if X ... end" sharing this end.
                            var nestedPipeline = ParsePipeline(term["else if".Length..]);
                            var nestedBody = ParseList(out var nestedTerm);
                            var nestedElse = nestedTerm == "else" ? ParseList(out nestedTerm) : [];
                            elseBody = [new IfNode("if", nestedPipeline, nestedBody, nestedElse)];
                            term = nestedTerm;
                        }
                        if (term != "end") throw Error($"missing {{{{end}}}} for {keyword}");
                        nodes.Add(keyword == "range" ? new RangeNode(pipeline, body, elseBody) : new IfNode(keyword, pipeline, body, elseBody));
                        break;
                    }
                default:
                    nodes.Add(new ActionNode(ParsePipeline(action)));
                    break;
            }
        }
        return nodes;
    }

    private static List<List<Operand>> ParsePipeline(string text)
    {
        var tokens = Tokenize(text);
        int i = 0;
        var pipeline = ParseCommands(tokens, ref i, inParens: false);
        if (pipeline.Count == 0 || pipeline.Any(c => c.Count == 0)) throw Error($"empty command in \"{text.Trim()}\"");
        return pipeline;
    }

    private static List<List<Operand>> ParseCommands(List<string> tokens, ref int i, bool inParens)
    {
        var pipeline = new List<List<Operand>> { new() };
        for (; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t == ")") { if (!inParens) throw Error("unexpected )"); return pipeline; }
            if (t == "|") { pipeline.Add([]); continue; }
            if (t == "(")
            {
                i++;
                var sub = ParseCommands(tokens, ref i, inParens: true);
                pipeline[^1].Add(new SubPipelineOperand(sub));
                continue;
            }
            pipeline[^1].Add(ParseOperand(t));
        }
        if (inParens) throw Error("unclosed (");
        return pipeline;
    }

    private static Operand ParseOperand(string t)
    {
        if (t == ".") return new FieldOperand([]);
        if (t.StartsWith('.')) return new FieldOperand(t[1..].Split('.'));
        if (t.StartsWith('"')) return new LiteralOperand(Unquote(t));
        if (t.StartsWith('`')) return new LiteralOperand(t[1..^1]);
        if (t is "true" or "false") return new LiteralOperand(t == "true");
        if (t == "nil") return new LiteralOperand(null);
        if (long.TryParse(t, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return new LiteralOperand(n);
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return new LiteralOperand(d);
        if (t.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) return new FunctionOperand(t);
        throw Error($"bad token \"{t}\"");
    }

    private static string Unquote(string t)
    {
        var sb = new StringBuilder();
        for (int i = 1; i < t.Length - 1; i++)
        {
            if (t[i] == '\\' && i + 1 < t.Length - 1)
            {
                i++;
                sb.Append(t[i] switch { 'n' => '\n', 't' => '\t', '"' => '"', '\\' => '\\', var c => c });
            }
            else
            {
                sb.Append(t[i]);
            }
        }
        return sb.ToString();
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c is '|' or '(' or ')') { tokens.Add(c.ToString()); i++; continue; }
            if (c is '"' or '`')
            {
                int j = i + 1;
                while (j < text.Length && text[j] != c) j += text[j] == '\\' && c == '"' ? 2 : 1;
                if (j >= text.Length) throw Error("unterminated quoted string");
                tokens.Add(text[i..(j + 1)]);
                i = j + 1;
                continue;
            }
            int start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('|' or '(' or ')')) i++;
            tokens.Add(text[start..i]);
        }
        return tokens;
    }

    private static InvalidArgumentException Error(string what) => new($"template parsing error: {what}");
}
