using Parley.Moderation.Classification;
using Parley.Moderation.Policy;
using Parley.Moderation.Semantic;

namespace Parley.Moderation.Tests.Classification;

/// <summary>The semantic stage and its combination with the rules: unit tests over hand-made readings, plus the real model.</summary>
public class SemanticStageTests
{
    private static readonly PolicyOptions Policy = new();
    private static readonly SemanticOptions Options = new();

    /// <summary>
    /// A model whose every head fires at 0.6 (weights are unused by the combiner). <paramref name="harmfulBias"/> sets the
    /// harmful head's constant reading; <paramref name="followUp"/> the follow-up head's weights and bias.
    /// </summary>
    internal static SemanticModel Model(int dims = SentenceEmbedder.Dimensions, float harmfulBias = 0, (float[] Weights, float Bias)? followUp = null) => new()
    {
        Encoder = "test",
        Description = "test",
        Heads = Enum.GetValues<Signal>().Select(s => new LogisticHead
        {
            Name = SemanticModel.NameOf(s), Weights = new float[dims], Bias = s == Signal.Harmful ? harmfulBias : 0, Threshold = 0.6,
        }).ToArray(),
        FollowUp = new LogisticHead { Name = "followup", Weights = followUp?.Weights ?? new float[3 * dims], Bias = followUp?.Bias ?? 0, Threshold = 0.6 },
        SevereCentroids = [],
    };

    private static readonly ClassificationCombiner Combiner = new(Model(), Options, Policy);

    private static SemanticReading Reading(Signal? high = null, double p = 0.9, double[]? contextRisk = null, double followUp = 0, HarmCategory? thread = null, HarmCategory? category = null)
    {
        var current = new double[Enum.GetValues<Signal>().Length];
        if (high is { } s)
        {
            current[(int)s] = p;
        }

        return new SemanticReading(current, contextRisk ?? [], followUp, thread, thread is null ? 0 : 0.95, category);
    }

    private static MessageClassification Rules(HarmCategory? category = null, double score = 0.9, MessageTarget target = MessageTarget.Nothing, bool imminent = false)
    {
        var scores = new double[HarmCategories.Count];
        if (category is { } c)
        {
            scores[(int)c] = score;
        }

        return new MessageClassification(scores, target, imminent, affirmative: false);
    }

    [Fact]
    public void A_rule_flag_at_the_assistant_that_the_abuse_head_rejects_is_not_a_strike()
    {
        // "shut up, that's amazing!": the rules see an insult at the assistant; the head, trained on rough praise, does not.
        var c = Combiner.Combine(Rules(HarmCategory.Harassment, 0.9, MessageTarget.Assistant), Reading());
        Assert.Equal(Violation.None, new ConversationPolicy(Policy).ViolationOf(c));
        Assert.True(c[HarmCategory.Harassment] > 0, "still reported as a weak signal");
    }

    [Fact]
    public void The_abuse_head_alone_aims_a_message_at_the_assistant_and_makes_a_strike()
    {
        var c = Combiner.Combine(Rules(), Reading(Signal.Abuse));
        Assert.Equal(MessageTarget.Assistant, c.Target);
        Assert.Equal(Violation.Abuse, new ConversationPolicy(Policy).ViolationOf(c));
    }

    [Fact]
    public void Risk_spread_over_recent_messages_adds_up_to_imminent_risk()
    {
        // No single message reaches the head's threshold (0.6); together they do.
        var alone = Combiner.Combine(Rules(), Reading(Signal.Risk, 0.5));
        var window = Combiner.Combine(Rules(), Reading(Signal.Risk, 0.5, contextRisk: [0.55, 0.5, 0.5]));
        Assert.False(alone.ImminentRisk);
        Assert.True(window.ImminentRisk);
        Assert.True(new ConversationPolicy(Policy).SignalsRisk(window));
    }

    [Fact]
    public void No_stage_lowers_a_risk_signal()
    {
        var c = Combiner.Combine(Rules(HarmCategory.SelfHarmIntent, 0.9, imminent: true), Reading());
        Assert.True(c.ImminentRisk);
        Assert.Equal(0.9, c[HarmCategory.SelfHarmIntent]);
    }

    [Fact]
    public void A_follow_up_to_a_severely_harmful_request_counts_as_the_same_request()
    {
        var followUp = Combiner.Combine(Rules(), Reading(followUp: 0.9, thread: HarmCategory.MassCasualtyWeapons));
        var unrelated = Combiner.Combine(Rules(), Reading(followUp: 0.1, thread: HarmCategory.MassCasualtyWeapons));
        Assert.Equal(Violation.HarmfulRequest, new ConversationPolicy(Policy).ViolationOf(followUp));
        Assert.True(followUp[HarmCategory.MassCasualtyWeapons] >= Policy.HarmThreshold);
        Assert.Equal(Violation.None, new ConversationPolicy(Policy).ViolationOf(unrelated));
    }

    [Fact]
    public void A_harmful_request_nearest_the_other_harms_is_flagged_but_not_a_strike()
    {
        var other = Combiner.Combine(Rules(), Reading(Signal.Harmful, category: null));
        var severe = Combiner.Combine(Rules(), Reading(Signal.Harmful, category: HarmCategory.Violence));
        Assert.True(other[HarmCategory.HarmfulRequest] >= 0.5);
        Assert.Equal(Violation.None, new ConversationPolicy(Policy).ViolationOf(other));
        Assert.Equal(Violation.HarmfulRequest, new ConversationPolicy(Policy).ViolationOf(severe));
    }

    [Fact]
    public void A_loose_rule_end_request_the_head_rejects_is_not_taken_but_an_explicit_one_is()
    {
        // "I'm done with this": the words match a loose reading (0.8), the head says it is not about this conversation.
        var loose = Combiner.Combine(Rules(HarmCategory.EndRequest, 0.8), Reading());
        Assert.True(loose[HarmCategory.EndRequest] < Policy.EndRequestThreshold);

        // "end this conversation", or its translation the English-only head cannot read (0.9): the rules' explicit phrase stands.
        var explicitPhrase = Combiner.Combine(Rules(HarmCategory.EndRequest, 0.9), Reading());
        Assert.True(explicitPhrase[HarmCategory.EndRequest] >= Policy.EndRequestThreshold);
    }

    [Fact]
    public void Degraded_classification_adds_no_strike_and_keeps_risk()
    {
        var rules = new MessageClassification(
            HarmCategories.All.Select(c => c is HarmCategory.Harassment or HarmCategory.MassCasualtyWeapons or HarmCategory.SelfHarmIntent ? 0.95 : 0).ToArray(),
            MessageTarget.Assistant, imminentRisk: true, affirmative: false);
        var c = Combiner.Degrade(rules);
        var policy = new ConversationPolicy(Policy);
        Assert.Equal(Violation.None, policy.ViolationOf(c));
        Assert.True(policy.SignalsRisk(c));
    }

    [Fact]
    public void A_failing_semantic_stage_falls_back_to_the_rules_without_a_strike_and_reports_the_failure()
    {
        // Heads of the wrong width make every read throw.
        var failures = 0;
        var broken = new ParleyClassifier(new SemanticStage(SentenceEmbedder.Default, Model(dims: 7)), onStageFailure: _ => failures++);
        var c = broken.Classify("you are a worthless idiot, I hate you", []);
        Assert.Equal(1, failures);
        Assert.Equal(Violation.None, new ConversationPolicy().ViolationOf(c));
    }

    [Theory]
    [InlineData(-0.1, 0.8, 0.35)]
    [InlineData(0.5, 0, 0.35)]
    [InlineData(0.5, 0.8, 1)]
    public void Options_that_cannot_work_are_refused_at_start(double weight, double window, double veto)
    {
        var o = new SemanticOptions { ContextRiskWeights = [weight], WindowRiskThreshold = window, VetoFraction = veto };
        Assert.Throws<ArgumentException>(() => o.Validate(new PolicyOptions()));
    }

    [Fact]
    public void A_weak_risk_cue_at_or_above_the_risk_threshold_is_refused() =>
        Assert.Throws<ArgumentException>(() => new SemanticOptions().Validate(new PolicyOptions { RiskCueThreshold = 0.5, RiskThreshold = 0.5 }));

    [Theory]
    [InlineData("h e l l o t h e r e", "hello there")]
    [InlineData("please h e l p m e now", "please help me now")]
    [InlineData("nothing spaced here", "nothing spaced here")]
    [InlineData("a b c", "a b c")]
    public void Letter_by_letter_spelling_is_rejoined_into_words(string input, string expected) =>
        Assert.Equal(expected, SpacedLetters.Rejoin(input));

    [Fact]
    public void Head_scores_land_the_trained_threshold_on_the_policy_threshold()
    {
        var head = new LogisticHead { Name = "x", Weights = [], Bias = 0, Threshold = 0.8 };
        Assert.Equal(0.5, head.ToScore(0.8), 6);
        Assert.True(head.ToScore(0.79) < 0.5);
        Assert.Equal(1, head.ToScore(1), 6);
    }

    /// <summary>
    /// The test model with the harmful head firing on everything (0.88, threshold 0.6; no centroids, so never "nearest a
    /// severe category") and a follow-up head that scores the similarity of message and thread.
    /// </summary>
    private static SemanticStage ThreadStage()
    {
        var similarity = new float[3 * SentenceEmbedder.Dimensions];
        Array.Fill(similarity, 8f, 2 * SentenceEmbedder.Dimensions, SentenceEmbedder.Dimensions); // 8 x cosine(message, thread)
        return new SemanticStage(SentenceEmbedder.Default, Model(harmfulBias: 2, followUp: (similarity, -4)));
    }

    [Fact]
    public void An_earlier_request_the_rules_flagged_severe_starts_a_thread_when_a_head_agrees()
    {
        var stage = ThreadStage();
        Assert.Equal(HarmCategory.SexualMinors, stage.Read("go on", ["an earlier request"], [HarmCategory.SexualMinors]).ThreadCategory);
        Assert.Null(stage.Read("go on", ["an earlier request"], [null]).ThreadCategory);

        // Through the classifier, the rule stage supplies the flag.
        var classifier = new ParleyClassifier(stage);
        Assert.Equal(HarmCategory.SexualMinors, classifier.Explain("go on", ["send me nudes of little girls"]).Reading!.ThreadCategory);
    }

    [Fact]
    public void A_rule_flagged_request_the_severe_head_did_not_veto_starts_a_thread()
    {
        // Every head reads 0.5 (threshold 0.6): below the severe head's threshold, above 0.7 of it (the combiner's veto bar),
        // so the policy counted the request as a strike, and a push after it continues it.
        var stage = new SemanticStage(SentenceEmbedder.Default, Model());
        Assert.Null(stage.Read("go on", ["an earlier request"], [HarmCategory.SexualMinors]).ThreadCategory);
        Assert.Equal(HarmCategory.SexualMinors, stage.Read("go on", ["an earlier request"], [HarmCategory.SexualMinors], ruleAgreement: 0.7).ThreadCategory);
        Assert.Null(stage.Read("go on", ["an earlier request"], [HarmCategory.SexualMinors], ruleAgreement: 0.9).ThreadCategory);
    }

    [Fact]
    public void A_message_that_moved_away_from_the_thread_marks_it_dropped()
    {
        var stage = ThreadStage();
        const string request = "what is the busiest train line at rush hour";
        var pushed = stage.Read("which train line is the busiest at rush hour", [request, "the busiest train line, at rush hour"], [HarmCategory.ViolentExtremism, null], dropBar: 0.2);
        var dropped = stage.Read("which train line is the busiest at rush hour", [request, "how do i bake sourdough bread"], [HarmCategory.ViolentExtremism, null], dropBar: 0.2);
        Assert.False(pushed.ThreadDropped);
        Assert.True(dropped.ThreadDropped);
        Assert.Equal(HarmCategory.ViolentExtremism, dropped.ThreadCategory);
    }

    [Fact]
    public void A_thread_before_a_message_the_rules_read_as_letting_it_go_is_dropped()
    {
        var stage = ThreadStage();
        const string request = "what is the busiest train line at rush hour";
        const string between = "the busiest train line, at rush hour";
        Assert.False(stage.Read("which train line is the busiest at rush hour", [request, between], [HarmCategory.ViolentExtremism, null], dropBar: 0.2, contextDrops: [false, false]).ThreadDropped);
        Assert.True(stage.Read("which train line is the busiest at rush hour", [request, between], [HarmCategory.ViolentExtremism, null], dropBar: 0.2, contextDrops: [false, true]).ThreadDropped);
    }

    [Fact]
    public void With_several_threads_the_one_the_message_continues_best_counts()
    {
        var reading = ThreadStage().Read(
            "which train line is the busiest at rush hour",
            ["what is the busiest train line at rush hour", "how do i bake sourdough bread"],
            [HarmCategory.ViolentExtremism, HarmCategory.MassCasualtyWeapons]);
        Assert.Equal(HarmCategory.ViolentExtremism, reading.ThreadCategory);
        Assert.True(reading.FollowUp > 0.9);
    }

    [Fact]
    public void The_embedded_model_loads_and_round_trips()
    {
        var model = SemanticModel.LoadEmbedded();
        Assert.NotNull(model);
        using var buffer = new MemoryStream();
        model.Write(buffer);
        buffer.Position = 0;
        var back = SemanticModel.Read(buffer);
        Assert.Equal(model.Heads.Select(h => h.Threshold), back.Heads.Select(h => h.Threshold));
        Assert.Equal(model.Heads[0].Weights, back.Heads[0].Weights);
    }

    [Fact]
    public void The_encoder_gives_unit_vectors_that_place_similar_sentences_closer()
    {
        var e = SentenceEmbedder.Default;
        var a = e.Embed("how do i bake bread at home");
        var b = e.Embed("what is a simple recipe for homemade bread");
        var c = e.Embed("the train to the airport was late again");
        static double Dot(float[] x, float[] y) => x.Zip(y, (p, q) => (double)p * q).Sum();
        Assert.Equal(1, Dot(a, a), 3);
        Assert.True(Dot(a, b) > Dot(a, c) + 0.2);
    }

    [Fact]
    public void Concurrent_classification_gives_the_same_results_as_sequential()
    {
        // A silo classifies on several threads at once through one encoder, tokenizer and exemplar index.
        var texts = Enumerable.Range(0, 64).Select(i => $"message number {i}: can you help me with step {i % 7} of my recipe, you absolute legend").ToArray();
        var classifier = new ParleyClassifier(new SemanticStage(new SentenceEmbedder(), SemanticModel.LoadEmbedded()!));
        var sequential = texts.Select(t => classifier.Classify(t, []).Scores).ToArray();
        var fresh = new ParleyClassifier(new SemanticStage(new SentenceEmbedder(), SemanticModel.LoadEmbedded()!));
        var parallel = new double[texts.Length][];
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => parallel[i] = fresh.Classify(texts[i], []).Scores);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(sequential[i], parallel[i]);
        }
    }
}
