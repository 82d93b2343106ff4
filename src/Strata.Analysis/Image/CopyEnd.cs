namespace Strata.Analysis.Image;

/// <summary>How a copy of a path stopped being the one that ships.</summary>
internal enum CopyEnd
{
    /// <summary>A later entry for the same path replaced it.</summary>
    Overwritten,

    /// <summary>A whiteout, an opaque directory or a file replacing its directory removed it.</summary>
    Deleted,
}
