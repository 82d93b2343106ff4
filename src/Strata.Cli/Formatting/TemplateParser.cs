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
    public List<TemplateNode> ParseList(out string? terminator) => ParseList(out terminator, out _);

    private List<TemplateNode> ParseList(out string? terminator, out int terminatorOffset)
    {
        var nodes = new List<TemplateNode>();
        terminator = null;
        terminatorOffset = 0;
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
            int actionOffset = open + 2;
            // {{- and -}} trim the neighbouring white space, as in Go.
            if (action.StartsWith("- ", StringComparison.Ordinal)) { text = text.TrimEnd(); action = action[1..]; actionOffset++; }
            bool trimAfter = false;
            if (action.EndsWith(" -", StringComparison.Ordinal)) { trimAfter = true; action = action[..^1]; }
            if (text.Length > 0) nodes.Add(new TextNode(text));
            _pos = close + 2;
            if (trimAfter) while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos])) _pos++;

            actionOffset += action.Length - action.TrimStart().Length;
            action = action.Trim();
            if (action.StartsWith("/*", StringComparison.Ordinal)) continue;
            var keyword = action.Split(' ', 2)[0];
            switch (keyword)
            {
                case "end":
                case "else":
                    terminator = action;
                    terminatorOffset = actionOffset;
                    return nodes;
                case "if":
                case "with":
                case "range":
                    {
                        var pipeline = ParsePipeline(action[keyword.Length..], actionOffset + keyword.Length);
                        var body = ParseList(out var term, out var termOffset);
                        var elseBody = new List<TemplateNode>();
                        if (term == "else")
                        {
                            elseBody = ParseList(out term);
                        }
                        else if (term is not null && term.StartsWith("else if ", StringComparison.Ordinal))
                        {
                            // "else if X" is sugar for "else" + nested "if X ... end" sharing this end.
                            var nestedPipeline = ParsePipeline(term["else if".Length..], termOffset + "else if".Length);
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
                    nodes.Add(new ActionNode(ParsePipeline(action, actionOffset)));
                    break;
            }
        }
        return nodes;
    }

    private static List<List<Operand>> ParsePipeline(string text, int offset)
    {
        var tokens = Tokenize(text, offset);
        int i = 0;
        var pipeline = ParseCommands(tokens, ref i, inParens: false);
        if (pipeline.Count == 0 || pipeline.Any(c => c.Count == 0)) throw Error($"empty command in \"{text.Trim()}\"");
        return pipeline;
    }

    private static List<List<Operand>> ParseCommands(List<(string Text, int Position)> tokens, ref int i, bool inParens)
    {
        var pipeline = new List<List<Operand>> { new() };
        for (; i < tokens.Count; i++)
        {
            var (t, position) = tokens[i];
            if (t == ")") { if (!inParens) throw Error("unexpected )"); return pipeline; }
            if (t == "|") { pipeline.Add([]); continue; }
            if (t == "(")
            {
                i++;
                var sub = ParseCommands(tokens, ref i, inParens: true);
                pipeline[^1].Add(new SubPipelineOperand(sub));
                continue;
            }
            pipeline[^1].Add(ParseOperand(t, position));
        }
        if (inParens) throw Error("unclosed (");
        return pipeline;
    }

    private static Operand ParseOperand(string t, int position)
    {
        if (t == ".") return new FieldOperand([], position, t);
        if (t.StartsWith('.'))
        {
            var path = t[1..].Split('.');
            // Go's parser makes a chain of two or more fields a node at the second field.
            return new FieldOperand(path, path.Length > 1 ? position + 1 + path[0].Length : position, t);
        }
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

    private static List<(string Text, int Position)> Tokenize(string text, int offset)
    {
        var tokens = new List<(string, int)>();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c is '|' or '(' or ')') { tokens.Add((c.ToString(), offset + i)); i++; continue; }
            if (c is '"' or '`')
            {
                int j = i + 1;
                while (j < text.Length && text[j] != c) j += text[j] == '\\' && c == '"' ? 2 : 1;
                if (j >= text.Length) throw Error("unterminated quoted string");
                tokens.Add((text[i..(j + 1)], offset + i));
                i = j + 1;
                continue;
            }
            int start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('|' or '(' or ')')) i++;
            tokens.Add((text[start..i], offset + start));
        }
        return tokens;
    }

    private static InvalidArgumentException Error(string what) => new($"template parsing error: {what}");
}
