namespace Strata.Build.Cache;

/// <summary>
/// What a COPY/ADD --link layer takes from the stage it is placed on, besides the step's own
/// inputs: the WORKDIR (only for a relative destination) and the owner a <c>--chown</c> resolved
/// to (names are looked up in the parent's /etc/passwd and /etc/group). Nothing else of the parent
/// reaches the layer, so these and <see cref="StepInputs"/> without parent and base make its key.
/// </summary>
internal sealed record LinkInputs(string? WorkingDir, string? Owner);
