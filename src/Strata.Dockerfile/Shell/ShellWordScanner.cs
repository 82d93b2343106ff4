using System.Text;
using System.Text.RegularExpressions;

namespace Strata.Dockerfile.Shell;

/// <summary>The state of one expansion: a cursor over the word's runes plus the env lookups made.</summary>
internal sealed class ShellWordScanner
{
    private const int Eof = -1;
    private const int MaxDepth = 512;
    private static readonly HashSet<string> NoNames = [];
    private static readonly List<string> NoWords = [];

    private readonly ShellLexer _lexer;
    private readonly string _text;
    private readonly IReadOnlyDictionary<string, string> _env;
    private int _pos;
    private int _depth;
    private bool _rawEscapes;
    private HashSet<string>? _matched;
    private HashSet<string>? _unmatched;

    public ShellWordScanner(ShellLexer lexer, string text, IReadOnlyDictionary<string, string> env)
    {
        _lexer = lexer;
        _text = text;
        _env = env;
        _rawEscapes = lexer.RawEscapes;
        // Go's text/scanner, which BuildKit's lexer reads with, skips a leading byte-order mark.
        if (text.StartsWith('\uFEFF')) _pos = 1;
    }

    public IReadOnlySet<string> Matched => _matched ?? NoNames;
    public IReadOnlySet<string> Unmatched => _unmatched ?? NoNames;

    private int Peek()
    {
        if (_pos >= _text.Length) return Eof;
        char c = _text[_pos];
        if (char.IsHighSurrogate(c) && _pos + 1 < _text.Length && char.IsLowSurrogate(_text[_pos + 1]))
            return char.ConvertToUtf32(c, _text[_pos + 1]);
        return char.IsSurrogate(c) ? 0xFFFD : c;
    }

    private int Next()
    {
        int r = Peek();
        if (r == Eof) return Eof;
        _pos += r > 0xFFFF ? 2 : 1;
        return r;
    }

    private static bool IsSpace(int r) => r >= 0 && Rune.IsWhiteSpace(new Rune(r));

    public (string Result, List<string> Words) ProcessStopOn(int stopChar, bool rawEscapes, bool collectWords = false)
    {
        // ${a:-${b:-...}} recurses; bound it so hostile input fails cleanly instead of overflowing the stack.
        if (++_depth > MaxDepth) throw new DockerfileException($"variable substitutions nested more than {MaxDepth} deep");
        var result = new StringBuilder();
        // Only the outermost level's words are ever used; nested ${...} levels skip the bookkeeping.
        var words = collectWords ? new WordsBuilder() : null;
        bool saved = _rawEscapes;
        _rawEscapes = rawEscapes;
        try
        {
            while (Peek() != Eof)
            {
                int ch = Peek();
                if (stopChar != Eof && ch == stopChar)
                {
                    Next();
                    return (result.ToString(), words?.GetWords() ?? NoWords);
                }
                if (ch == '$')
                {
                    var tmp = ProcessDollar();
                    result.Append(tmp);
                    words?.AddString(tmp);
                    continue;
                }
                if (ch == '<' && _lexer.HeredocOperators)
                {
                    var tmp = ProcessPossibleHeredoc();
                    result.Append(tmp);
                    words?.AddRawString(tmp);
                    continue;
                }
                if (!_lexer.SkipProcessQuotes && ch is '\'' or '"')
                {
                    var tmp = ch == '\'' ? ProcessSingleQuote() : ProcessDoubleQuote();
                    result.Append(tmp);
                    words?.AddRawString(tmp);
                    continue;
                }
                ch = Next();
                if (ch == _lexer.EscapeToken)
                {
                    if (_rawEscapes)
                    {
                        words?.AddRawChar(ch);
                        AppendRune(result, ch);
                    }
                    ch = Next();
                    if (ch == Eof) break;
                    words?.AddRawChar(ch);
                }
                else
                {
                    words?.AddChar(ch);
                }
                AppendRune(result, ch);
            }
            if (stopChar != Eof)
                throw new DockerfileException($"unexpected end of statement while looking for matching {char.ConvertFromUtf32(stopChar)}");
            return (result.ToString(), words?.GetWords() ?? NoWords);
        }
        finally
        {
            _rawEscapes = saved;
            _depth--;
        }
    }

    private static void AppendRune(StringBuilder sb, int r)
    {
        if (r <= 0xFFFF) sb.Append((char)r);
        else sb.Append(char.ConvertFromUtf32(r));
    }

    // "<<", an optional "-" and any blanks after it stay in the word, so "<<- EOF" is one heredoc word.
    private string ProcessPossibleHeredoc()
    {
        Next();
        if (Peek() != '<') return "<";
        Next();
        var sb = new StringBuilder("<<");
        if (Peek() == '-')
        {
            Next();
            sb.Append('-');
        }
        while (Peek() is ' ' or '\t') sb.Append((char)Next());
        return sb.ToString();
    }

    private string ProcessSingleQuote()
    {
        var result = new StringBuilder();
        int ch = Next();
        if (_lexer.RawQuotes) AppendRune(result, ch);
        while (true)
        {
            ch = Next();
            if (ch == Eof) throw new DockerfileException("unexpected end of statement while looking for matching single-quote");
            if (ch == '\'')
            {
                if (_lexer.RawQuotes) AppendRune(result, ch);
                return result.ToString();
            }
            AppendRune(result, ch);
        }
    }

    private string ProcessDoubleQuote()
    {
        var result = new StringBuilder();
        int ch = Next();
        if (_lexer.RawQuotes) AppendRune(result, ch);
        while (true)
        {
            int peek = Peek();
            if (peek == Eof) throw new DockerfileException("unexpected end of statement while looking for matching double-quote");
            if (peek == '"')
            {
                ch = Next();
                if (_lexer.RawQuotes) AppendRune(result, ch);
                return result.ToString();
            }
            if (peek == '$')
            {
                result.Append(ProcessDollar());
                continue;
            }
            ch = Next();
            if (ch == _lexer.EscapeToken)
            {
                if (_rawEscapes) AppendRune(result, ch);
                int after = Peek();
                if (after == Eof) continue;
                if (after == '"' || after == '$' || after == _lexer.EscapeToken) ch = Next();
            }
            AppendRune(result, ch);
        }
    }

    private string ProcessDollar()
    {
        Next();
        if (Peek() != '{')
        {
            var name = ProcessName();
            if (name.Length == 0) return "$";
            var (value, found) = GetEnv(name);
            if (!found && _lexer.SkipUnsetEnv) return "$" + name;
            return value;
        }
        Next();
        switch (Peek())
        {
            case Eof:
                throw new DockerfileException("syntax error: missing '}'");
            case '{' or '}' or ':':
                throw new DockerfileException("syntax error: bad substitution");
        }
        var varName = ProcessName();
        int ch = Next();
        string chs = ch == Eof ? "" : char.ConvertFromUtf32(ch);
        bool nullIsUnset = false;
        switch (ch)
        {
            case '}':
            {
                var (value, set) = GetEnv(varName);
                if (!set && _lexer.SkipUnsetEnv) return "${" + varName + "}";
                return value;
            }
            case ':' or '+' or '-' or '?' or '#' or '%':
            {
                if (ch == ':')
                {
                    nullIsUnset = true;
                    ch = Next();
                    chs += ch == Eof ? "" : char.ConvertFromUtf32(ch);
                }
                bool raw = ch is '#' or '%';
                string word;
                try
                {
                    word = ProcessStopOn('}', raw).Result;
                }
                catch (DockerfileException) when (Peek() == Eof)
                {
                    throw new DockerfileException("syntax error: missing '}'");
                }
                var (value, set) = GetEnv(varName);
                if (_lexer.SkipUnsetEnv && !set) return "${" + varName + chs + word + "}";
                switch (ch)
                {
                    case '-':
                        return !set || (nullIsUnset && value.Length == 0) ? word : value;
                    case '+':
                        return !set || (nullIsUnset && value.Length == 0) ? "" : word;
                    case '?':
                        if (!set) throw new DockerfileException($"{varName}: {(word.Length > 0 ? word : "is not allowed to be unset")}");
                        if (nullIsUnset && value.Length == 0) throw new DockerfileException($"{varName}: {(word.Length > 0 ? word : "is not allowed to be empty")}");
                        return value;
                    case '%' or '#':
                    {
                        bool greedy = false;
                        if (word.Length > 0 && word[0] == ch)
                        {
                            greedy = true;
                            word = word[1..];
                        }
                        return ch == '%' ? ShellPattern.TrimSuffix(_lexer, word, value, greedy) : ShellPattern.TrimPrefix(_lexer, word, value, greedy);
                    }
                    default:
                        throw new DockerfileException($"unsupported modifier ({chs}) in substitution");
                }
            }
            case '/':
            {
                bool replaceAll = Peek() == '/';
                if (replaceAll) Next();
                string pattern, replacement;
                try
                {
                    pattern = ProcessStopOn('/', true).Result;
                }
                catch (DockerfileException) when (Peek() == Eof)
                {
                    throw new DockerfileException("syntax error: missing '/' in ${}");
                }
                try
                {
                    replacement = ProcessStopOn('}', true).Result;
                }
                catch (DockerfileException) when (Peek() == Eof)
                {
                    throw new DockerfileException("syntax error: missing '}'");
                }
                var (value, set) = GetEnv(varName);
                if (_lexer.SkipUnsetEnv && !set) return "${" + varName + "/" + pattern + "/" + replacement + "}";
                return ShellPattern.Replace(_lexer, value, pattern, replacement, replaceAll);
            }
            default:
                throw new DockerfileException($"unsupported modifier ({chs}) in substitution");
        }
    }

    private string ProcessName()
    {
        var name = new StringBuilder();
        while (Peek() != Eof)
        {
            int ch = Peek();
            if (name.Length == 0 && ch < 0x10000 && char.IsDigit((char)ch) || name.Length == 0 && ch > 0xFFFF && Rune.IsDigit(new Rune(ch)))
            {
                while (Peek() != Eof && IsDigit(Peek())) AppendRune(name, Next());
                return name.ToString();
            }
            if (name.Length == 0 && ch is '@' or '*' or '#' or '?' or '-' or '$' or '!' or '0')
            {
                Next();
                return char.ConvertFromUtf32(ch);
            }
            if (!IsLetter(ch) && !IsDigit(ch) && ch != '_') break;
            AppendRune(name, Next());
        }
        return name.ToString();
    }

    private static bool IsDigit(int r) => Rune.IsDigit(new Rune(r));

    private static bool IsLetter(int r) => Rune.IsLetter(new Rune(r));

    private (string Value, bool Found) GetEnv(string name)
    {
        if (_env.TryGetValue(name, out var value))
        {
            (_matched ??= []).Add(name);
            return (value, true);
        }
        (_unmatched ??= []).Add(name);
        return ("", false);
    }

    /// <summary>BuildKit's word accumulator: whitespace from expansions splits, quoted text does not.</summary>
    private sealed class WordsBuilder
    {
        private readonly StringBuilder _word = new();
        private readonly List<string> _words = [];
        private bool _inWord;

        public void AddChar(int ch)
        {
            if (IsSpace(ch))
            {
                if (_inWord && _word.Length != 0)
                {
                    _words.Add(_word.ToString());
                    _word.Clear();
                    _inWord = false;
                }
            }
            else
            {
                AddRawChar(ch);
            }
        }

        public void AddRawChar(int ch)
        {
            AppendRune(_word, ch);
            _inWord = true;
        }

        public void AddString(string s)
        {
            foreach (var rune in s.EnumerateRunes()) AddChar(rune.Value);
        }

        public void AddRawString(string s)
        {
            _word.Append(s);
            _inWord = true;
        }

        public List<string> GetWords()
        {
            if (_word.Length > 0)
            {
                _words.Add(_word.ToString());
                _word.Clear();
                _inWord = false;
            }
            return _words;
        }
    }
}
