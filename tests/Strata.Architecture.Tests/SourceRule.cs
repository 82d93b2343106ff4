using System.Text.RegularExpressions;

namespace Strata.Architecture.Tests;

/// <summary>
/// A rule over source text: files of the rooms it covers must not match <see cref="Forbidden"/>.
/// Comments are stripped first, so a doc comment may name what the code may not use.
/// <see cref="Rooms"/> <c>["*"]</c> means every room but those in <see cref="Except"/>.
/// </summary>
internal sealed record SourceRule(string Name, IReadOnlyList<string> Rooms, Regex Forbidden, string Why)
{
    /// <summary>The rooms a <c>*</c> rule leaves out (the CLI, by default: the composition root may name anything).</summary>
    public IReadOnlyList<string> Except { get; init; } = ["Strata.Cli"];

    /// <summary>Each offending line as <c>path:line: text</c>.</summary>
    public IEnumerable<string> Violations(string path, string text)
    {
        var code = WithoutComments(text).Split('\n');
        var original = text.Split('\n');
        for (int i = 0; i < code.Length; i++)
            if (Forbidden.IsMatch(code[i])) yield return $"{path}:{i + 1}: {original[i].Trim()}";
    }

    /// <summary>Fails when a file of <paramref name="files"/> breaks the rule, naming the rule, why it holds and every offending line.</summary>
    public void AssertKeptIn(IEnumerable<string> files)
    {
        var violations = files.SelectMany(f => Violations(Path.GetRelativePath(RepoPaths.Root, f), File.ReadAllText(f))).ToList();
        Assert.True(violations.Count == 0, $"{Name} ({Why}):\n{string.Join("\n", violations)}");
    }

    /// <summary>The rules' names, one theory case each.</summary>
    public static TheoryData<string> Names(IEnumerable<SourceRule> rules)
    {
        var data = new TheoryData<string>();
        foreach (var rule in rules) data.Add(rule.Name);
        return data;
    }

    /// <summary>Line and block comments blanked out, line numbers kept; string literals left alone.</summary>
    internal static string WithoutComments(string text)
    {
        var noBlocks = Regex.Replace(text, @"/\*.*?\*/", m => new string('\n', m.Value.Count(c => c == '\n')), RegexOptions.Singleline);
        return Regex.Replace(noBlocks, @"(?m)^((?:[^""/\n]|""(?:[^""\\\n]|\\.)*""|/(?!/))*)//.*$", "$1");
    }
}
