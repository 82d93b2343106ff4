using Strata.Core;

namespace Strata.Cli.Formatting;

/// <summary>
/// A template that parsed but failed on the data (a field the type lacks, a nil pointer): exit 1
/// as docker's, where a template that does not parse is a usage error.
/// </summary>
internal sealed class TemplateExecutionException : StrataException
{
    public TemplateExecutionException(string message) : base(message) { }

    public TemplateExecutionException(string message, Exception? innerException) : base(message, innerException) { }

    public TemplateExecutionException() { }
}
