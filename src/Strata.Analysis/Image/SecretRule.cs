using System.Text.RegularExpressions;

namespace Strata.Analysis.Image;

/// <summary>
/// One secret rule: a stable id (never renamed: CI configs and suppressions name it), what it
/// finds, and either a content pattern (group "secret" is the value to mask, else the whole
/// match) or a file-name test.
/// </summary>
internal sealed record SecretRule(string Id, string Title, Regex? Pattern, Func<string, bool>? FileName = null)
{
    /// <summary>For a file-name rule: a content pattern that must also match (an .npmrc without a token is no secret).</summary>
    public Regex? ContentRequired { get; init; }
}
