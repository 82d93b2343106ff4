namespace Strata.Analysis.Image;

/// <summary>A secret rule that matched: the rule and the masked value.</summary>
internal sealed record SecretHit(SecretRule Rule, string Masked);
