namespace Strata.Cli.Formatting;

/// <summary>
/// The Go types of docker 20.10's API (moby api/types) that <c>--format</c> templates walk, in
/// their declaration order: the order docker's JSON has, and what an unset field prints.
/// </summary>
internal static class DockerShapes
{
    /// <summary>container.HealthConfig.</summary>
    public static GoShape HealthConfig { get; } = GoShape.PointerTo(GoShape.Struct("container.HealthConfig",
        new("Test", GoShape.Strings, OmitEmpty: true),
        new("Interval", GoShape.Int64, OmitEmpty: true),
        new("Timeout", GoShape.Int64, OmitEmpty: true),
        new("StartPeriod", GoShape.Int64, OmitEmpty: true),
        new("Retries", GoShape.Int, OmitEmpty: true)));

    private static readonly GoShape PortSet = GoShape.MapOf(GoShape.Struct("struct {}"));

    /// <summary>container.Config (a pointer in ImageInspect).</summary>
    public static GoShape ContainerConfig { get; } = GoShape.PointerTo(GoShape.Struct("container.Config",
        new("Hostname", GoShape.String),
        new("Domainname", GoShape.String),
        new("User", GoShape.String),
        new("AttachStdin", GoShape.Bool),
        new("AttachStdout", GoShape.Bool),
        new("AttachStderr", GoShape.Bool),
        new("ExposedPorts", PortSet, OmitEmpty: true),
        new("Tty", GoShape.Bool),
        new("OpenStdin", GoShape.Bool),
        new("StdinOnce", GoShape.Bool),
        new("Env", GoShape.Strings),
        new("Cmd", GoShape.Strings),
        new("Healthcheck", HealthConfig, OmitEmpty: true),
        new("ArgsEscaped", GoShape.Bool, OmitEmpty: true),
        new("Image", GoShape.String),
        new("Volumes", PortSet),
        new("WorkingDir", GoShape.String),
        new("Entrypoint", GoShape.Strings),
        new("NetworkDisabled", GoShape.Bool, OmitEmpty: true),
        new("MacAddress", GoShape.String, OmitEmpty: true),
        new("OnBuild", GoShape.Strings),
        new("Labels", GoShape.MapOf(GoShape.String)),
        new("StopSignal", GoShape.String, OmitEmpty: true),
        new("StopTimeout", new GoShape(GoKind.Interface, "*int"), OmitEmpty: true),
        new("Shell", GoShape.Strings, OmitEmpty: true)));

    /// <summary>
    /// types.ImageInspect as API 1.41 (docker 20.10) returns it, then Strata's one addition,
    /// ManifestDigest (the manifest the store keeps the image under). The Go field is <c>ID</c>,
    /// its JSON key <c>Id</c>: <c>{{.Id}}</c> works through docker's raw-JSON fallback.
    /// </summary>
    public static GoShape ImageInspect { get; } = GoShape.Struct("types.ImageInspect",
        new("ID", GoShape.String, JsonName: "Id"),
        new("RepoTags", GoShape.Strings),
        new("RepoDigests", GoShape.Strings),
        new("Parent", GoShape.String),
        new("Comment", GoShape.String),
        new("Created", GoShape.String),
        new("Container", GoShape.String),
        new("ContainerConfig", ContainerConfig),
        new("DockerVersion", GoShape.String),
        new("Author", GoShape.String),
        new("Config", ContainerConfig),
        new("Architecture", GoShape.String),
        new("Variant", GoShape.String, OmitEmpty: true),
        new("Os", GoShape.String),
        new("OsVersion", GoShape.String, OmitEmpty: true),
        new("Size", GoShape.Int64),
        new("VirtualSize", GoShape.Int64),
        new("GraphDriver", GoShape.Struct("types.GraphDriverData",
            new("Data", GoShape.MapOf(GoShape.String)),
            new("Name", GoShape.String))),
        new("RootFS", GoShape.Struct("types.RootFS",
            new("Type", GoShape.String),
            new("Layers", GoShape.Strings, OmitEmpty: true),
            new("BaseLayer", GoShape.String, OmitEmpty: true))),
        new("Metadata", GoShape.Struct("types.ImageMetadata",
            new GoField("LastTagTime", GoShape.Time, OmitEmpty: true))),
        new("ManifestDigest", GoShape.String));
}
