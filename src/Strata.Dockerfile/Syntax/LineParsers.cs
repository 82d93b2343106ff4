using System.Text;
using System.Text.Json;

namespace Strata.Dockerfile.Syntax;

/// <summary>
/// Per-instruction argument shapes, as BuildKit's line parsers define them (that shape is what
/// the parser test vectors pin down): JSON-or-string (RUN, CMD, ENTRYPOINT, SHELL), JSON-or-list
/// (ADD, COPY, VOLUME), whitespace lists (FROM, EXPOSE), name/value pairs (ENV, LABEL), names
/// (ARG), single strings (USER, WORKDIR, ...), HEALTHCHECK and ONBUILD.
/// </summary>
internal static class LineParsers
{
    internal const string NotStringArray = "when using JSON array syntax, arrays must be comprised of strings only";

    public static (Node? Next, bool IsJson) Dispatch(string keyword, string rest, char escape, int depth) => keyword switch
    {
        "add" or "copy" or "volume" => MaybeJsonToList(rest),
        "arg" => (NameOrNameValue(rest, escape), false),
        "cmd" or "entrypoint" or "run" or "shell" => MaybeJson(rest),
        "env" => (NameValue(rest, "ENV", escape), false),
        "label" => (NameValue(rest, "LABEL", escape), false),
        "expose" or "from" => (WhitespaceDelimited(rest), false),
        "healthcheck" => HealthConfig(rest),
        "maintainer" or "stopsignal" or "user" or "workdir" => (rest.Length == 0 ? null : new Node { Value = rest }, false),
        "onbuild" => (SubCommand(rest, escape, depth), false),
        _ => (new Node(), false),
    };

    private static Node? SubCommand(string rest, char escape, int depth)
    {
        if (rest.Length == 0) return null;
        // ONBUILD ONBUILD ... is rejected later; the depth guard only keeps hostile input from recursing deeply.
        if (depth > 8) throw new DockerfileException("ONBUILD nested too deeply");
        var child = DockerfileParser.NodeFromLine(rest, escape, depth + 1);
        var holder = new Node();
        holder.ChildList.Add(child);
        return holder;
    }

    /// <summary>Splits into words, keeping quotes (they are removed later by the shell lexer).</summary>
    internal static List<string> Words(string rest, char escape)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        const int InSpaces = 0, InWord = 1, InQuote = 2;
        int phase = InSpaces;
        char quote = '\0';
        bool blankOk = false;
        for (int pos = 0; pos <= rest.Length; pos++)
        {
            char ch = pos < rest.Length ? rest[pos] : '\0';
            if (phase == InSpaces)
            {
                if (pos == rest.Length) break;
                if (char.IsWhiteSpace(ch)) continue;
                phase = InWord;
            }
            if (pos == rest.Length)
            {
                if (blankOk || sb.Length > 0) words.Add(sb.ToString());
                break;
            }
            if (phase == InWord)
            {
                if (char.IsWhiteSpace(ch))
                {
                    phase = InSpaces;
                    if (blankOk || sb.Length > 0) words.Add(sb.ToString());
                    sb.Clear();
                    blankOk = false;
                    continue;
                }
                if (ch is '\'' or '"')
                {
                    quote = ch;
                    blankOk = true;
                    phase = InQuote;
                }
                if (ch == escape)
                {
                    if (pos + 1 == rest.Length) continue;
                    sb.Append(ch);
                    pos++;
                    ch = rest[pos];
                }
                sb.Append(ch);
                continue;
            }
            // InQuote
            if (ch == quote) phase = InWord;
            if (ch == escape && quote != '\'')
            {
                if (pos + 1 == rest.Length)
                {
                    phase = InWord;
                    continue;
                }
                pos++;
                sb.Append(ch);
                ch = rest[pos];
            }
            sb.Append(ch);
        }
        return words;
    }

    private static Node? NameValue(string rest, string keyword, char escape)
    {
        var words = Words(rest, escape);
        if (words.Count == 0) return null;
        if (!words[0].Contains('=', StringComparison.Ordinal))
        {
            var parts = SplitWhitespace(rest, 2);
            if (parts.Count < 2) throw new DockerfileException($"{keyword} requires a value: use {keyword} {parts[0]}=VALUE (or the legacy {keyword} {parts[0]} VALUE)");
            return KeyValue(parts[0], parts[1], "");
        }
        Node? root = null, last = null;
        foreach (var word in words)
        {
            int eq = word.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) throw new DockerfileException($"Syntax error - can't find = in \"{word}\". Must be of the form: name=value");
            var node = KeyValue(word[..eq], word[(eq + 1)..], "=");
            if (root is null) root = node;
            else last!.Next = node;
            last = node.Next!.Next;
        }
        return root;
    }

    private static Node KeyValue(string key, string value, string separator) =>
        new() { Value = key, Next = new Node { Value = value, Next = new Node { Value = separator } } };

    private static Node? NameOrNameValue(string rest, char escape) => Chain(Words(rest, escape));

    private static Node? Chain(IReadOnlyList<string> values)
    {
        Node? root = null, last = null;
        foreach (var v in values)
        {
            var node = new Node { Value = v };
            if (root is null) root = node;
            else last!.Next = node;
            last = node;
        }
        return root;
    }

    internal static bool IsSplitSpace(char c) => c is ' ' or '\t' or '\v' or '\f' or '\r';

    /// <summary>Splits on runs of <c>[\t\v\f\r ]</c> like Go's regexp.Split(s, n).</summary>
    internal static List<string> SplitWhitespace(string s, int max)
    {
        var parts = new List<string>();
        int start = 0, i = 0;
        while (i < s.Length)
        {
            if (max > 0 && parts.Count == max - 1) break;
            if (IsSplitSpace(s[i]))
            {
                int j = i;
                while (j < s.Length && IsSplitSpace(s[j])) j++;
                parts.Add(s[start..i]);
                start = i = j;
                continue;
            }
            i++;
        }
        parts.Add(s[start..]);
        return parts;
    }

    private static Node? WhitespaceDelimited(string rest) => rest.Length == 0 ? null : Chain(SplitWhitespace(rest, -1));

    /// <summary>Null when the text is not a JSON array; throws when it is one with non-string items.</summary>
    internal static List<string>? ParseJsonArray(string rest)
    {
        rest = rest.TrimStart();
        if (!rest.StartsWith('[')) return null;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(rest, new JsonDocumentOptions { MaxDepth = 10000 });
        }
        catch (JsonException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return null;
            var list = new List<string>();
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String) throw new DockerfileException(NotStringArray);
                string? s;
                try
                {
                    s = item.GetString();
                }
                catch (InvalidOperationException)
                {
                    return null;
                }
                list.Add(s ?? "");
            }
            return list;
        }
    }

    private static (Node?, bool) MaybeJson(string rest)
    {
        if (rest.Length == 0) return (null, false);
        var json = ParseJsonArray(rest);
        if (json is not null) return (Chain(json), true);
        return (new Node { Value = rest }, false);
    }

    private static (Node?, bool) MaybeJsonToList(string rest)
    {
        var json = ParseJsonArray(rest);
        if (json is not null) return (Chain(json), true);
        return (WhitespaceDelimited(rest), false);
    }

    private static (Node?, bool) HealthConfig(string rest)
    {
        int sep = 0;
        while (sep < rest.Length && !char.IsWhiteSpace(rest[sep])) sep++;
        int next = sep;
        while (next < rest.Length && char.IsWhiteSpace(rest[next])) next++;
        if (sep == 0) return (null, false);
        var (cmd, isJson) = MaybeJson(rest[next..]);
        return (new Node { Value = rest[..sep], Next = cmd }, isJson);
    }
}
