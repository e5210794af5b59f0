using Orleans.TestingHost;
using Parley.Abstractions;

namespace Parley.Grains.Tests;

/// <summary>
/// The optional second classification stage: a language-model judge (over real HTTP, see <see cref="ChatCompletionsServer"/>)
/// reviews only uncertain first-stage results, and its failure keeps the first stage's result.
/// </summary>
[Trait("Category", "cluster")]
public sealed class ClassificationReviewTests : IAsyncLifetime
{
    private readonly ChatCompletionsServer _judge = new();
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = await ClusterFixture.StartAsync(new Dictionary<string, string?>
        {
            ["Parley:Classifier:Review:Endpoint"] = _judge.Endpoint + "v1",
            ["Parley:Classifier:Review:Model"] = "judge-model",
            // Everything with any decisive score is "uncertain" here, so the test does not depend on the first stage's calibration.
            ["Parley:Classifier:Review:UncertainFrom"] = "0.0001",
            ["Parley:Classifier:Review:UncertainTo"] = "1",
            ["Parley:Classifier:Review:Timeout"] = "00:00:05",
            ["Parley:Conversation:ClassifierTimeout"] = "00:00:10",
            ["Parley:Conversation:ChatTimeout"] = "00:00:10",
        });
    }

    public async Task DisposeAsync()
    {
        await ClusterFixture.StopAsync(_cluster);
        _judge.Dispose();
    }

    [Fact]
    public async Task The_judge_reviews_uncertain_messages_only_and_its_opinion_is_stored_as_evidence()
    {
        var c = await TestConversation.StartAsync(_cluster.Client);

        var plain = await c.SendAsync("What's a good recipe for banana bread?");
        Assert.Empty(_judge.Requests);
        Assert.DoesNotContain("judge", plain.Turn.Evidence.ClassifierVersion);

        _judge.Reply = ["""Here is my rating: {"harassment": 0.93, "target": "assistant", "imminent_risk": false}"""];
        var judged = await c.SendAsync("Honestly this answer is dumb.");
        var request = Assert.Single(_judge.Requests);
        Assert.Contains("Honestly this answer is dumb.", request);
        Assert.Contains("judge-model", request);
        Assert.Contains("chat-model-judge", judged.Turn.Evidence.ClassifierVersion);
        Assert.Equal(0.93, judged.Turn.Evidence.Scores["harassment"]);
        Assert.Equal(Target.Assistant, judged.Turn.Evidence.Target);
        Assert.Equal(Decision.Redirect, judged.Turn.Decision);
    }

    [Fact]
    public async Task The_judge_cannot_talk_down_self_harm_signals()
    {
        var c = await TestConversation.StartAsync(_cluster.Client);
        _judge.Reply = ["""{"self_harm_ideation": 0, "self_harm_intent": 0, "imminent_risk": false}"""];
        var result = await c.SendAsync("Sometimes I think everyone would be better off without me.");
        Assert.Equal(Decision.CrisisSupport, result.Turn.Decision);
    }

    [Fact]
    public async Task A_failing_judge_keeps_the_first_stage_result()
    {
        var c = await TestConversation.StartAsync(_cluster.Client);
        _judge.Failing = true;
        try
        {
            var result = await c.SendAsync("Honestly this answer is dumb.");
            Assert.DoesNotContain("judge", result.Turn.Evidence.ClassifierVersion);
            Assert.False(result.Turn.Evidence.Failed);
            Assert.Equal(Decision.Respond, result.Turn.Decision);
        }
        finally
        {
            _judge.Failing = false;
        }
    }
}
