// Strata runs on Linux only; the store's tests use Unix file modes and flock.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
