using System.Text.RegularExpressions;
using Strata.Core.Unix;

namespace Strata.Core;

/// <summary>
/// The disk (or the user's quota) under <see cref="Path"/> is full: a condition of the machine,
/// not of the input, so the category is <see cref="ErrorCategory.Failed"/> (exit 1), and the
/// message says so plainly instead of the low-level error (SQLite's "disk I/O error", a
/// compression stream's wrapped IOException): <c>no space left on device at PATH</c>.
/// </summary>
public sealed partial class NoSpaceException : StrataException
{
    /// <summary>errno ENOSPC and EDQUOT on Linux.</summary>
    public const int Enospc = 28, Edquot = 122;

    public NoSpaceException(string path, Exception? innerException)
        : base($"no space left on device at {path}", innerException) => Path = path;

    public NoSpaceException() { }

    public NoSpaceException(string message) : base(message) { }

    public string Path { get; } = "";

    public override ErrorCategory Category => ErrorCategory.Failed;

    /// <summary>
    /// The no-space condition behind <paramref name="exception"/> or any exception it wraps, or
    /// null. The path is the one the failing call named (.NET's IOException message quotes it,
    /// UnixException carries it), else <paramref name="fallbackPath"/> (the store root).
    /// </summary>
    public static NoSpaceException? Find(Exception exception, string fallbackPath)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case NoSpaceException found:
                    return found;
                case UnixException { Errno: Enospc or Edquot } unix:
                    return new NoSpaceException(unix.Path.Length > 0 ? unix.Path : fallbackPath, exception);
                case IOException io when io.HResult is Enospc or Edquot:
                    return new NoSpaceException(QuotedPath().Match(io.Message) is { Success: true } m ? m.Groups[1].Value : fallbackPath, exception);
                default:
                    break;
            }
        }
        return null;
    }

    // .NET names the file in its IOException messages: "No space left on device : '/path'".
    [GeneratedRegex(@"'(/[^']*)'\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedPath();
}
