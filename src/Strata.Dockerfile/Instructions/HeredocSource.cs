namespace Strata.Dockerfile.Instructions;

/// <summary>
/// A here-document used by RUN (a file the shell reads) or as a COPY/ADD source (a file created
/// with this content). <see cref="Content"/> is already tab-stripped for <c>&lt;&lt;-</c>; when
/// <see cref="Expand"/> is true, variables in it are expanded at build time.
/// </summary>
public sealed record HeredocSource(string Name, string Content, bool Expand, bool Chomp, int FileDescriptor);
