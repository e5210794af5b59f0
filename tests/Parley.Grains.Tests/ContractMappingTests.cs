using Parley.Abstractions;
using Parley.Moderation.Classification;
using Parley.Moderation.Policy;

namespace Parley.Grains.Tests;

/// <summary>
/// Parley.Moderation has no Orleans dependency, so it keeps its own copies of the contract's enums and the grains convert
/// by number. These tests keep the copies in step: a renumbered or added member fails here, not in production.
/// </summary>
public class ContractMappingTests
{
    [Fact]
    public void Policy_decisions_match_the_contract() => AssertSame<PolicyDecision, Decision>();

    [Fact]
    public void End_reasons_match_the_contract() => AssertSame<PolicyEndReason, EndReason>();

    [Fact]
    public void Targets_match_the_contract() => AssertSame<MessageTarget, Target>();

    private static void AssertSame<TInner, TContract>() where TInner : struct, Enum where TContract : struct, Enum
    {
        var inner = Enum.GetValues<TInner>().Select(v => (Convert.ToInt32(v), v.ToString()));
        var contract = Enum.GetValues<TContract>().Select(v => (Convert.ToInt32(v), v.ToString()));
        Assert.Equal(contract, inner);
    }
}
