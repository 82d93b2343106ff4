namespace Strata.Images.Metadata;

/// <summary>One result row of a query run through <see cref="IMetadataSession"/>; columns by position.</summary>
public interface IMetadataRow
{
    bool IsNull(int column);

    string GetString(int column);

    long GetInt64(int column);
}
