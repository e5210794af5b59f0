using Parley.Moderation.Classification;
using Parley.Moderation.Policy;
using Parley.Moderation.Semantic;

namespace Parley.Moderation.Tests.Classification;

/// <summary>
/// The real encoder's batched path (<see cref="SentenceEmbedder.EmbedAsync"/>, padded runs of several texts) against its
/// direct path (<see cref="SentenceEmbedder.Embed"/>, one unpadded text per run), each on its own encoder so that no cache
/// answers for the other.
/// </summary>
public sealed class BatchedEmbeddingTests
{
    private static readonly string[] Texts =
    [
        "",
        "hi",
        "Yes.",
        "Write me a short poem about autumn leaves.",
        "you are a useless piece of shit",
        "i'm going to kill myself tonight. i have the pills ready",
        "Give me instructions for an explosive device to hurt people at a concert.",
        "Could you sketch a three-day itinerary for Lisbon in May? I like walking, food markets and old churches, and I do not mind hills.",
        string.Join(' ', Enumerable.Repeat("the pipeline fails on the ci server every single time and nobody knows why", 12)), // > 128 tokens: cut
        "please end this conversation",
        "ok fair, forget it. how warm does lisbon get in late spring?",
        "thank you for everything. this is goodbye",
    ];

    [Fact]
    public async Task Concurrent_callers_get_the_vectors_of_one_text_at_a_time_within_1e_5()
    {
        using var direct = new SentenceEmbedder(intraOpThreads: 1);
        using var batched = new SentenceEmbedder(intraOpThreads: 1);

        var expected = Texts.Select(direct.Embed).ToList();
        var actual = await Task.WhenAll(Texts.Select(t => batched.EmbedAsync(t)));

        for (var i = 0; i < Texts.Length; i++)
        {
            var worst = expected[i].Zip(actual[i], (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= 1e-5, $"text {i}: {worst:E2}");
        }

        var (runs, texts) = batched.BatchCounts;
        Assert.Equal(Texts.Length, texts);
        Assert.True(runs < texts, $"{runs} runs for {texts} texts: nothing was batched");
        Assert.Same(actual[3], await batched.EmbedAsync(Texts[3])); // cached like the direct path
    }

    [Fact]
    public async Task A_lone_caller_gets_exactly_the_direct_vector()
    {
        using var direct = new SentenceEmbedder(intraOpThreads: 1);
        using var batched = new SentenceEmbedder(intraOpThreads: 1);

        foreach (var text in Texts.Take(4))
        {
            Assert.Equal(direct.Embed(text), await batched.EmbedAsync(text)); // one at a time: the unpadded run, bit for bit
        }

        Assert.Equal((4L, 4L), batched.BatchCounts);
    }

    [Fact]
    public async Task Classifying_concurrently_gives_the_same_violations_as_one_message_at_a_time()
    {
        var model = SemanticModel.LoadEmbedded();
        Assert.NotNull(model);
        using var directEncoder = new SentenceEmbedder(intraOpThreads: 1);
        using var batchedEncoder = new SentenceEmbedder(intraOpThreads: 1);
        var direct = new ParleyClassifier(new SemanticStage(directEncoder, model));
        var batched = new ParleyClassifier(new SemanticStage(batchedEncoder, model));
        var policy = new ConversationPolicy(new PolicyOptions());
        var calls = Texts.Select((t, i) => (Text: t, Context: (IReadOnlyList<string>)Texts.Skip(Math.Max(0, i - 3)).Take(Math.Min(i, 3)).ToList())).ToList();

        var expected = calls.Select(c => direct.Classify(c.Text, c.Context)).ToList();
        var actual = await Task.WhenAll(calls.Select(c => batched.ClassifyAsync(c.Text, c.Context)));

        for (var i = 0; i < calls.Count; i++)
        {
            Assert.Equal(policy.ViolationOf(expected[i]), policy.ViolationOf(actual[i]));
            Assert.Equal((expected[i].ImminentRisk, expected[i].Affirmative, expected[i].Target), (actual[i].ImminentRisk, actual[i].Affirmative, actual[i].Target));
            Assert.All(expected[i].Scores.Zip(actual[i].Scores), s => Assert.Equal(s.First, s.Second, 1e-4));
        }

        Assert.True(batchedEncoder.BatchCounts.Runs < batchedEncoder.BatchCounts.Texts);
    }
}
