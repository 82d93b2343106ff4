using Strata.Core;

namespace Strata.Cli;

/// <summary>Exit codes of strata's own failures. A container's exit code passes through unchanged.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    public static int For(ErrorCategory category) => category switch
    {
        ErrorCategory.InvalidArgument => Usage,
        _ => Failure,
    };
}
