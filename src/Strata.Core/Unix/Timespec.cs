using System.Runtime.InteropServices;

namespace Strata.Core.Unix;

/// <summary>struct timespec (64-bit Linux).</summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct Timespec(long Seconds, long Nanoseconds);
