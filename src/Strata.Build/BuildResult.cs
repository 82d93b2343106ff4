using Strata.Images;

namespace Strata.Build;

/// <summary>The image a build produced and how many steps ran.</summary>
public sealed record BuildResult(StoredImage Image, int StepsRun, int LayersCreated);
