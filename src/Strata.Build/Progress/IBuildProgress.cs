namespace Strata.Build.Progress;

/// <summary>
/// Receives a build's events as they happen, from several stages at once (implementations must
/// be thread-safe). The CLI renders them as a live view or plain lines; tests record them.
/// </summary>
public interface IBuildProgress
{
    /// <summary>A step started. <paramref name="id"/> is unique within the build.</summary>
    void StepStarted(int id, string name);

    /// <summary>One line of a running step's output (stdout or stderr), without its newline.</summary>
    void StepOutput(int id, string line);

    /// <summary>A step finished; <paramref name="cached"/> when its result was reused.</summary>
    void StepCompleted(int id, TimeSpan duration, bool cached);

    void StepFailed(int id, string error);

    /// <summary>A step's cache lookup missed (it will run); <paramref name="reason"/> says why in one phrase.</summary>
    void StepCacheMiss(int id, string reason) { }

    /// <summary>
    /// A COPY/ADD --link step whose chained key missed is cached by its own key: its layer is
    /// reused on a new parent (BuildKit's rebase). <paramref name="reason"/> says why the chained
    /// key missed; the step then completes as cached.
    /// </summary>
    void StepCacheRebased(int id, string reason) { }

    /// <summary>
    /// A running COPY or ADD has copied <paramref name="bytes"/> bytes of file content so far
    /// (reported as files land, possibly from several threads: a later report may carry a smaller
    /// count, which the receiver ignores).
    /// </summary>
    void StepTransferred(int id, long bytes) { }

    /// <summary>One line of a missed step's full input diff (only with <c>--explain</c>).</summary>
    void StepCacheExplained(int id, string line) { }

    /// <summary>
    /// A front-end finding about the Dockerfile (a lint check), reported before the first step.
    /// BuildKit's clients print them as a summary after the build.
    /// </summary>
    void Warning(BuildWarning warning) { }
}
