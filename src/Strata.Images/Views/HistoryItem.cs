using Strata.Core;

namespace Strata.Images.Views;

/// <summary>
/// One row of <c>history</c>, as docker's API returns it: the image ID on the top row and
/// "&lt;missing&gt;" below (intermediate images are not kept), the layer's content size, or 0
/// for an <c>empty_layer</c> entry.
/// </summary>
public sealed record HistoryItem(string Id, DateTimeOffset? Created, string CreatedBy, long Size, string Comment, IReadOnlyList<string> Tags, bool EmptyLayer);
