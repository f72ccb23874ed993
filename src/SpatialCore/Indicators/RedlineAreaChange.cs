namespace EcoSpatial.SpatialCore.Indicators;

/// <summary>The red-line area verdict: the change, whether it passes, and the loss no approval covers.</summary>
/// <param name="Change">Areas before, after, lost and gained, in total and per admin unit.</param>
/// <param name="UnapprovedLossM2">Lost area when the newer version carries no approval reference, else 0.</param>
/// <param name="Status">Pass when the area did not decrease (<c>NetM2 ≥ 0</c>).</param>
/// <param name="UnapprovedLoss">True when any loss exists that no approval covers, even if gains hide it in the net figure.</param>
public sealed record RedlineAreaChangeResult(AreaChangeResult Change, double UnapprovedLossM2, IndicatorStatus Status, bool UnapprovedLoss);

/// <summary>
/// 指标 17 (area part), 生态保护红线面积不减少: the red-line area of the newer version compared with the older one.
/// <c>net = area(∪to) − area(∪from)</c>; passes when <c>net ≥ 0</c>. A separate flag is raised when any area was lost
/// and the newer version has no approval reference (批复文号), even if gains elsewhere make the net figure positive.
/// </summary>
public static class RedlineAreaChange
{
    /// <summary>Self-description for the catalogue.</summary>
    public static IndicatorInfo Info { get; } = new(
        "redline-area-change",
        "生态保护红线面积不减少",
        "Ecological protection red-line area does not decrease",
        "m2",
        "net = area(∪ to) − area(∪ from); lost = area(from − to); gained = area(to − from); ellipsoidal areas on CGCS2000",
        "17",
        "约束性",
        "net ≥ 0; any loss without an approval reference on the newer version is flagged",
        ["redlines", "admin-units"],
        ["region", "from", "to"]);

    /// <summary>Judges <paramref name="change"/>; <paramref name="toApprovalRef"/> is the newer version's approval reference.</summary>
    public static RedlineAreaChangeResult Evaluate(AreaChangeResult change, string? toApprovalRef)
    {
        ArgumentNullException.ThrowIfNull(change);
        var unapproved = string.IsNullOrWhiteSpace(toApprovalRef) ? change.LostM2 : 0;
        return new RedlineAreaChangeResult(
            change, unapproved, change.NetM2 >= 0 ? IndicatorStatus.Pass : IndicatorStatus.Fail, unapproved > 0);
    }
}
