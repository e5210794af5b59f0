using Orleans.TestingHost;
using Parley.Abstractions;

namespace Parley.Grains.Tests;

/// <summary>
/// A classifier pool that does not answer in time (here: a zero timeout, so every call is late) must not let messages
/// through unread: the conversation grain falls back to the rule stage, which adds no strike but still sees a crisis and
/// an end request.
/// </summary>
public sealed class ClassifierFallbackTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync() =>
        _cluster = await ClusterFixture.StartAsync(new Dictionary<string, string?> { ["Parley:Conversation:ClassifierTimeout"] = "00:00:00" });

    public Task DisposeAsync() => ClusterFixture.StopAsync(_cluster);

    [Fact]
    public async Task A_late_classification_still_answers_a_crisis_with_support_and_records_the_fallback()
    {
        var c = await TestConversation.StartAsync(_cluster.Client);
        var result = await c.SendAsync("I'm going to kill myself tonight, I have the pills ready.");
        Assert.Equal(Decision.CrisisSupport, result.Turn.Decision);
        Assert.False(result.Turn.Evidence.Failed);
        Assert.Equal("fallback-timeout", result.Turn.Evidence.ClassifierVersion);
    }

    [Fact]
    public async Task A_late_classification_never_adds_a_strike()
    {
        var c = await TestConversation.StartAsync(_cluster.Client);
        for (var i = 0; i < 4; i++)
        {
            var result = await c.SendAsync("You are a worthless, stupid piece of garbage.");
            Assert.Equal(Decision.Respond, result.Turn.Decision);
            Assert.False(result.BranchEnded);
        }
    }

    [Fact]
    public async Task A_late_classification_still_takes_a_clear_end_request()
    {
        var c = await TestConversation.StartAsync(_cluster.Client);
        Assert.Equal(Decision.ConfirmEnd, (await c.SendAsync("Please end this conversation.")).Turn.Decision);
        var confirmed = await c.SendAsync("yes");
        Assert.Equal(Decision.End, confirmed.Turn.Decision);
        Assert.True(confirmed.BranchEnded);
    }
}
