namespace Strata.Analysis.Lint;

/// <summary>
/// One simple command of a RUN script: its words with quotes removed, leading <c>VAR=value</c>
/// assignments and <c>sudo</c>/<c>env</c>/<c>exec</c> wrappers skipped, so <see cref="Program"/> is what runs.
/// </summary>
internal sealed record ShellCommand(IReadOnlyList<string> Words, string Text)
{
    public string Program => Words.Count > 0 ? Words[0] : "";

    /// <summary>The first word after the program that is not an option (<c>install</c> in <c>apt-get -y install</c>).</summary>
    public string? Subcommand => Words.Skip(1).FirstOrDefault(w => !w.StartsWith('-'));

    public bool Has(string word) => Words.Contains(word, StringComparer.Ordinal);

    public bool HasPrefix(string prefix) => Words.Any(w => w.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>True for apt-get/apt/aptitude with this subcommand.</summary>
    public bool IsApt(string subcommand) => Program is "apt-get" or "apt" or "aptitude" && Subcommand == subcommand;

    /// <summary>True for <c>pip install</c>, <c>pip3 install</c> and <c>python -m pip install</c>.</summary>
    public bool IsPipInstall =>
        (Program.StartsWith("pip", StringComparison.Ordinal) && Subcommand == "install")
        || (Program.StartsWith("python", StringComparison.Ordinal) && Words.Count > 3 && Words[1] == "-m" && Words[2].StartsWith("pip", StringComparison.Ordinal) && Words[3] == "install");
}
