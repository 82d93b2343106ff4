namespace Strata.Testing;

/// <summary>
/// The one check of a strata run that must fail. Strata exits 1 for an error it reports, 2 for
/// bad usage (an invalid argument) and 125 only for an unexpected internal error (a crash, as
/// docker's 125): "not 0" would let a crash pass as the refusal a test expects, so 125 never does.
/// </summary>
public static class StrataExit
{
    public const int Failure = 1;
    public const int Usage = 2;
    public const int InternalError = 125;

    /// <summary>The run failed as strata reports a failure: non-zero and not an internal error.</summary>
    public static void AssertFailed(int exitCode, string output)
    {
        Assert.True(exitCode is not 0 and not InternalError, $"expected strata to refuse (exit 1 or 2), got exit {exitCode}:\n{output}");
    }

    /// <summary>The run failed with exactly <paramref name="expected"/> (never 0 nor 125).</summary>
    public static void AssertFailed(int expected, int exitCode, string output)
    {
        Assert.True(expected is not 0 and not InternalError, $"a test cannot expect exit {expected} as a failure");
        Assert.True(exitCode == expected, $"expected strata to exit {expected}, got exit {exitCode}:\n{output}");
    }
}
