namespace Strata.Analysis.Lint;

/// <summary>
/// The one registry of rule codes. BuildKit's checks, which the Dockerfile front end already
/// reports while it parses (as <c>DockerfileWarning</c>s), are listed here under their BuildKit
/// names so lint reports them as its own rules instead of checking them a second time; the
/// <c>STRnnn</c> rules are Strata's, drawn from the image-layers chapter. Codes never change meaning.
/// </summary>
public static class LintRules
{
    private const string BuildKitDocs = "https://docs.docker.com/go/dockerfile/rule/";
    private const string Hadolint = "https://github.com/hadolint/hadolint/wiki/";
    private const string BestPractices = "https://docs.docker.com/build/building/best-practices/";

    /// <summary>A Dockerfile that does not parse: nothing else can be checked.</summary>
    public static LintRule ParseError { get; } = new("STR000", "ParseError", LintSeverity.Error,
        "The Dockerfile does not parse.", "Fix the reported line.", null, "https://docs.docker.com/reference/dockerfile/");

    public static LintRule AptUpdateAlone { get; } = new("STR001", "AptUpdateAlone", LintSeverity.Warning,
        "A package index update alone in its RUN is cached on its own, so a later install can use a stale index.",
        "Update and install in one RUN: RUN apt-get update && apt-get install -y ... && rm -rf /var/lib/apt/lists/*.", null, BestPractices + "#apt-get");

    public static LintRule CleanupInSeparateRun { get; } = new("STR002", "CleanupInSeparateRun", LintSeverity.Warning,
        "Cleanup in its own RUN saves nothing: what it deletes stays in the earlier layer.",
        "Clean up in the same RUN that created the files, or use a cache mount (RUN --mount=type=cache).", "DL3009", BestPractices + "#run");

    public static LintRule AptListsNotRemoved { get; } = new("STR003", "AptListsNotRemoved", LintSeverity.Info,
        "apt-get install leaves the package lists (/var/lib/apt/lists) in the shipped layer.",
        "End the same RUN with rm -rf /var/lib/apt/lists/*, or mount /var/lib/apt as a cache.", "DL3009", Hadolint + "DL3009");

    public static LintRule CopyAllBeforeInstall { get; } = new("STR004", "CopyAllBeforeInstall", LintSeverity.Warning,
        "Copying the whole context before the dependency install re-runs the install on every source change.",
        "COPY the dependency manifests (package*.json, requirements.txt, go.mod...) first, install, then COPY the rest.", null, "https://docs.docker.com/build/cache/optimize/");

    public static LintRule TimestampInRun { get; } = new("STR005", "TimestampInRun", LintSeverity.Warning,
        "A build-time timestamp (date) makes the layer differ on every rebuild and stays stale while cached.",
        "Make timestamps at run time, or derive them from SOURCE_DATE_EPOCH.", null, "https://docs.docker.com/build/cache/invalidation/");

    public static LintRule UnpinnedRemoteAdd { get; } = new("STR006", "UnpinnedRemoteAdd", LintSeverity.Warning,
        "ADD of a URL without --checksum is fetched on every build and misses the cache whenever the remote changes.",
        "Pin it: ADD --checksum=sha256:<hex> URL DEST.", null, "https://docs.docker.com/reference/dockerfile/#add---checksum");

    public static LintRule CacheBustArg { get; } = new("STR007", "CacheBustArg", LintSeverity.Warning,
        "A cache-busting ARG (CACHEBUST, BUILD_DATE...) invalidates every step after its first use.",
        "Use --no-cache-filter STAGE for a deliberate rebuild, or a cache mount for downloads.", null, "https://docs.docker.com/build/cache/invalidation/");

    public static LintRule SecretFileInLayer { get; } = new("STR008", "SecretFileInLayer", LintSeverity.Error,
        "A secret file copied into the image stays in its layer even if a later RUN removes it.",
        "Never copy it: RUN --mount=type=secret,id=NAME and read /run/secrets/NAME.", null, "https://docs.docker.com/build/building/secrets/");

    public static LintRule ConsecutiveRuns { get; } = new("STR009", "ConsecutiveRuns", LintSeverity.Info,
        "Many consecutive RUN instructions make one layer each.",
        "Join them with && into one RUN (and clean up at its end).", "DL3059", Hadolint + "DL3059");

    public static LintRule SedInPlaceOnCopiedFile { get; } = new("STR010", "SedInPlaceOnCopiedFile", LintSeverity.Warning,
        "sed -i on a file copied in an earlier layer stores the whole file a second time (copy-up).",
        "Transform it once while writing it: RUN sed 's/a/b/' /tmp/src > /dest in one RUN, or fix the file before COPY.", null, BestPractices);

    public static LintRule MissingDockerignore { get; } = new("STR011", "MissingDockerignore", LintSeverity.Warning,
        "The context has node_modules, .git or build output and no .dockerignore, so COPY reads and ships them.",
        "Add a .dockerignore listing them.", null, "https://docs.docker.com/build/concepts/context/#dockerignore-files");

    public static LintRule LatestTag { get; } = new("STR012", "LatestTag", LintSeverity.Warning,
        "A base image tagged latest changes under you: builds are not reproducible.",
        "Pin a version tag (and a digest: IMAGE:TAG@sha256:...).", "DL3007", Hadolint + "DL3007");

    public static LintRule UntaggedBase { get; } = new("STR013", "UntaggedBase", LintSeverity.Info,
        "A base image without a tag means latest.",
        "Pin a version tag.", "DL3006", Hadolint + "DL3006");

    public static LintRule NonSlimBase { get; } = new("STR014", "NonSlimBase", LintSeverity.Warning,
        "The shipped stage starts from a full language image where a slim or alpine variant exists.",
        "Use the -slim or -alpine variant, or build in a full stage and COPY --from it into a slim one.", null, BestPractices + "#choose-the-right-base-image");

    public static LintRule RunsAsRoot { get; } = new("STR015", "RunsAsRoot", LintSeverity.Info,
        "The image runs as root: no USER, or the last USER is root.",
        "Add USER with an unprivileged user at the end of the final stage.", "DL3002", Hadolint + "DL3002");

    public static LintRule AddLocalFile { get; } = new("STR016", "AddLocalFile", LintSeverity.Warning,
        "ADD of a local file that is not an archive: COPY says what happens.",
        "Use COPY; keep ADD for URLs, git and archives to extract.", "DL3020", Hadolint + "DL3020");

    public static LintRule AptNoInstallRecommends { get; } = new("STR017", "AptNoInstallRecommends", LintSeverity.Info,
        "apt-get install without --no-install-recommends installs packages nobody asked for.",
        "apt-get install -y --no-install-recommends ...", "DL3015", Hadolint + "DL3015");

    public static LintRule PipNoCacheDir { get; } = new("STR018", "PipNoCacheDir", LintSeverity.Warning,
        "pip install keeps its download cache in the layer.",
        "pip install --no-cache-dir ..., or RUN --mount=type=cache,target=/root/.cache/pip.", "DL3042", Hadolint + "DL3042");

    /// <summary>Every rule, Strata's first, then BuildKit's.</summary>
    public static IReadOnlyList<LintRule> All { get; } = Build();

    private static readonly Dictionary<string, LintRule> ByCode = All.ToDictionary(r => r.Code, StringComparer.OrdinalIgnoreCase);

    /// <summary>The rule with this code (case-insensitive), or null.</summary>
    public static LintRule? Find(string code) => ByCode.GetValueOrDefault(code);

    private static List<LintRule> Build()
    {
        List<LintRule> rules =
        [
            ParseError, AptUpdateAlone, CleanupInSeparateRun, AptListsNotRemoved, CopyAllBeforeInstall, TimestampInRun,
            UnpinnedRemoteAdd, CacheBustArg, SecretFileInLayer, ConsecutiveRuns, SedInPlaceOnCopiedFile, MissingDockerignore,
            LatestTag, UntaggedBase, NonSlimBase, RunsAsRoot, AddLocalFile, AptNoInstallRecommends, PipNoCacheDir,
        ];
        // BuildKit's checks as the front end names them; severities follow hadolint's twin where there is one.
        rules.AddRange(
        [
            Frontend("StageNameCasing", "stage-name-casing", LintSeverity.Warning, "Stage names should be lowercase.", "Write the AS name in lowercase.", null),
            Frontend("FromAsCasing", "from-as-casing", LintSeverity.Warning, "The 'as' keyword should match the case of the 'from' keyword.", "Write FROM ... AS or from ... as.", null),
            Frontend("NoEmptyContinuation", "no-empty-continuation", LintSeverity.Warning, "Empty continuation lines will become errors.", "Remove the empty line or the trailing backslash.", null),
            Frontend("ConsistentInstructionCasing", "consistent-instruction-casing", LintSeverity.Warning, "All instructions should use the same casing.", "Write every keyword in the majority's case.", null),
            Frontend("ReservedStageName", "reserved-stage-name", LintSeverity.Warning, "Reserved words (scratch, context) should not be stage names.", "Rename the stage.", null),
            Frontend("JSONArgsRecommended", "json-args-recommended", LintSeverity.Warning, "JSON arguments recommended for ENTRYPOINT/CMD so the process gets OS signals.", "CMD [\"executable\", \"arg\"].", "DL3025"),
            Frontend("MaintainerDeprecated", "maintainer-deprecated", LintSeverity.Warning, "MAINTAINER is deprecated.", "LABEL org.opencontainers.image.authors=\"...\".", "DL4000"),
            Frontend("UndefinedArgInFrom", "undefined-arg-in-from", LintSeverity.Warning, "FROM uses an ARG that is not declared before it.", "Declare the ARG before the first FROM.", null),
            Frontend("WorkdirRelativePath", "workdir-relative-path", LintSeverity.Warning, "A relative WORKDIR depends on the base image's working directory.", "Use an absolute WORKDIR.", "DL3000"),
            Frontend("UndefinedVar", "undefined-var", LintSeverity.Warning, "A variable is used but never defined.", "Declare it with ARG or ENV, or fix its spelling.", null),
            Frontend("MultipleInstructionsDisallowed", "multiple-instructions-disallowed", LintSeverity.Warning, "Only the last CMD, ENTRYPOINT or HEALTHCHECK of a stage counts.", "Keep one.", "DL4003"),
            Frontend("LegacyKeyValueFormat", "legacy-key-value-format", LintSeverity.Warning, "ENV and LABEL should use key=value.", "ENV KEY=value.", null),
            Frontend("RedundantTargetPlatform", "redundant-target-platform", LintSeverity.Warning, "FROM --platform=$TARGETPLATFORM is the default.", "Drop the flag.", null),
            Frontend("SecretsUsedInArgOrEnv", "secrets-used-in-arg-or-env", LintSeverity.Error, "A secret passed as ARG or ENV stays in the image config and history.", "RUN --mount=type=secret,id=NAME instead.", null),
            Frontend("FromPlatformFlagConstDisallowed", "from-platform-flag-const-disallowed", LintSeverity.Warning, "FROM --platform should not be a constant.", "Use $BUILDPLATFORM or $TARGETPLATFORM, or drop it.", "DL3029"),
            Frontend("ExposeProtoCasing", "expose-proto-casing", LintSeverity.Warning, "EXPOSE protocols should be lowercase.", "EXPOSE 80/tcp.", null),
            new("UnsupportedFrontend", "UnsupportedFrontend", LintSeverity.Warning, "The syntax directive names a frontend image Strata does not pull.", "Drop the directive or use docker/dockerfile:1.", null, "https://docs.docker.com/build/concepts/dockerfile/#custom-dockerfile-syntax") { FromFrontend = true },
            new("UnusedBuildArg", "UnusedBuildArg", LintSeverity.Warning, "A --build-arg is not consumed by any ARG.", "Declare it with ARG or stop passing it.", null, "https://docs.docker.com/reference/dockerfile/#arg") { FromFrontend = true },
        ]);
        return rules;
    }

    private static LintRule Frontend(string code, string page, LintSeverity severity, string summary, string fix, string? hadolint) =>
        new(code, code, severity, summary, fix, hadolint, BuildKitDocs + page + "/") { FromFrontend = true };
}
