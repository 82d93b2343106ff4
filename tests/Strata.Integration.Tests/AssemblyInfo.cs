// Strata runs on Linux only; these tests drive real Linux tools (dockerd, skopeo, umoci, tar).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
