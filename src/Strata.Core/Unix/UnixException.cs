using System.Runtime.InteropServices;

namespace Strata.Core.Unix;

/// <summary>A failed system call, with the errno, the call and the path it was about.</summary>
public sealed class UnixException : IOException
{
    public UnixException(int errno, string call, string path)
        : base($"{call} {path}: {Marshal.GetPInvokeErrorMessage(errno)}")
    {
        Errno = errno;
        Path = path;
    }

    public UnixException() { }

    public UnixException(string message) : base(message) { }

    public UnixException(string message, Exception innerException) : base(message, innerException) { }

    public int Errno { get; }

    public string Path { get; } = "";
}
