using Parley.Moderation.Classification;
using Parley.Moderation.Policy;
using Parley.Moderation.Semantic;

namespace Parley.Moderation.Tests.Classification;

/// <summary>
/// The combination rules added for harm-to-others requests, swearing at nothing, strings of abuse and near-threshold
/// follow-ups: unit tests over hand-made readings (every head's threshold is 0.6), plus the two weak-cue rules.
/// </summary>
public class CombinerSafetyTests
{
    private static readonly PolicyOptions Policy = new();
    private static readonly ConversationPolicy Decisions = new(Policy);

    private static readonly ClassificationCombiner Combiner = new(SemanticStageTests.Model(), new SemanticOptions(), Policy);

    private static SemanticReading Reading(
        IReadOnlyDictionary<Signal, double> p, double followUp = 0, HarmCategory? thread = null, double contextAbuse = 0, bool dropped = false)
    {
        var current = new double[Enum.GetValues<Signal>().Length];
        foreach (var (s, v) in p)
        {
            current[(int)s] = v;
        }

        return new SemanticReading(current, [], followUp, thread, thread is null ? 0 : 0.95, null, contextAbuse, dropped);
    }

    [Fact]
    public void A_disclosure_spread_over_messages_adds_up_to_imminent_risk()
    {
        // No single message reaches the risk head's threshold; together (noisy-OR, weighted by age) they do.
        var p = new double[Enum.GetValues<Signal>().Length];
        p[(int)Signal.Risk] = 0.3;
        var spread = new SemanticReading(p, [0.55, 0.5], 0, null, 0, null);
        var once = new SemanticReading(p, [], 0, null, 0, null);
        Assert.True(Combiner.Combine(Rules(), spread).ImminentRisk);
        Assert.False(Combiner.Combine(Rules(), once).ImminentRisk);
    }

    private static MessageClassification Rules(HarmCategory? category = null, double score = 0.9, MessageTarget target = MessageTarget.Nothing)
    {
        var scores = new double[HarmCategories.Count];
        if (category is { } c)
        {
            scores[(int)c] = score;
        }

        return new MessageClassification(scores, target, imminentRisk: false, affirmative: false);
    }

    [Fact]
    public void The_abuse_head_alone_does_not_aim_a_glossed_message_at_the_assistant()
    {
        // A gloss is broken English ("it is worthless this film"): the head may fire on it, but only the rules' finding the
        // assistant addressed makes it abuse of the assistant.
        var p = new Dictionary<Signal, double> { [Signal.Abuse] = 0.9 };
        var glossed = new MessageClassification(new double[HarmCategories.Count], MessageTarget.Nothing, false, false) { Glossed = true };
        var addressed = new MessageClassification(new double[HarmCategories.Count], MessageTarget.Assistant, false, false) { Glossed = true };
        var english = Combiner.Combine(Rules(), Reading(p));
        Assert.Equal(MessageTarget.Assistant, english.Target);
        Assert.NotEqual(MessageTarget.Assistant, Combiner.Combine(glossed, Reading(p)).Target);
        Assert.True(Combiner.Combine(glossed, Reading(p))[HarmCategory.Harassment] < Policy.AbuseThreshold);
        var aimed = Combiner.Combine(addressed, Reading(p));
        Assert.Equal(MessageTarget.Assistant, aimed.Target);
        Assert.True(aimed[HarmCategory.Harassment] >= Policy.AbuseThreshold);
    }

    [Fact]
    public void A_request_to_harm_someone_else_is_a_strike_and_no_risk_cue()
    {
        // The risk head reads such requests near its threshold (0.58 here: above the cue level 0.54, below 0.6).
        var request = Combiner.Combine(Rules(), Reading(new Dictionary<Signal, double> { [Signal.Severe] = 0.9, [Signal.Harmful] = 0.9, [Signal.Risk] = 0.58 }));
        Assert.Equal(Violation.HarmfulRequest, Decisions.ViolationOf(request));
        Assert.False(Decisions.HasRiskCue(request));

        // The same risk reading without a request stays a weak cue.
        var disclosure = Combiner.Combine(Rules(), Reading(new Dictionary<Signal, double> { [Signal.Risk] = 0.58 }));
        Assert.True(Decisions.HasRiskCue(disclosure));
    }

    [Fact]
    public void A_request_that_also_signals_risk_keeps_the_risk()
    {
        var c = Combiner.Combine(Rules(), Reading(new Dictionary<Signal, double> { [Signal.Severe] = 0.9, [Signal.Risk] = 0.9 }));
        Assert.True(Decisions.SignalsRisk(c));
    }

    [Fact]
    public void Swearing_aimed_at_nothing_is_a_strike_only_on_a_clear_call_of_the_abuse_head()
    {
        var rules = Rules(HarmCategory.Profanity, 0.9, MessageTarget.Nothing);
        var borderline = Combiner.Combine(rules, Reading(new Dictionary<Signal, double> { [Signal.Abuse] = 0.7 }));
        var clear = Combiner.Combine(rules, Reading(new Dictionary<Signal, double> { [Signal.Abuse] = 0.9 }));
        Assert.Equal(Violation.None, Decisions.ViolationOf(borderline));
        Assert.Equal(Violation.Abuse, Decisions.ViolationOf(clear));
    }

    [Fact]
    public void In_a_string_of_abuse_the_head_at_its_threshold_overrules_a_mild_rule_reading()
    {
        var mild = Rules(HarmCategory.Harassment, 0.3, MessageTarget.Assistant);
        var p = new Dictionary<Signal, double> { [Signal.Abuse] = 0.65 };
        Assert.Equal(Violation.None, Decisions.ViolationOf(Combiner.Combine(mild, Reading(p))));
        Assert.Equal(Violation.Abuse, Decisions.ViolationOf(Combiner.Combine(mild, Reading(p, contextAbuse: 0.9))));
    }

    [Fact]
    public void An_end_request_counts_from_the_end_request_fraction_of_the_threshold()
    {
        // Threshold 0.6 and EndRequestFraction 0.85: from 0.51 ("can we be done" reads just below a head's threshold).
        Assert.Equal(0.85, new SemanticOptions().EndRequestFraction);
        var near = Combiner.Combine(Rules(), Reading(new Dictionary<Signal, double> { [Signal.EndRequest] = 0.53 }));
        var far = Combiner.Combine(Rules(), Reading(new Dictionary<Signal, double> { [Signal.EndRequest] = 0.48 }));
        Assert.True(near[HarmCategory.EndRequest] >= Policy.EndRequestThreshold);
        Assert.True(far[HarmCategory.EndRequest] < Policy.EndRequestThreshold);
    }

    [Fact]
    public void A_reply_the_rules_read_as_declining_is_no_yes_whatever_the_confirmation_head_says()
    {
        var sure = new Dictionary<Signal, double> { [Signal.Confirm] = 0.9 };
        var declining = new MessageClassification(new double[HarmCategories.Count], MessageTarget.Nothing, false, false, declines: true);
        Assert.True(Combiner.Combine(Rules(), Reading(sure)).Affirmative);
        Assert.False(Combiner.Combine(declining, Reading(sure)).Affirmative);
        Assert.True(Combiner.Combine(declining, Reading(sure)).Declines);
    }

    [Fact]
    public void Abuse_the_encoder_cannot_read_is_not_vetoed_by_the_abuse_head()
    {
        // "halt die fresse": the rules flag it at the assistant; the English-only head reads next to nothing.
        var faint = new Dictionary<Signal, double> { [Signal.Abuse] = 0.03 };
        var english = Rules(HarmCategory.Harassment, 0.9, MessageTarget.Assistant);
        var foreign = new MessageClassification((double[])english.Scores.Clone(), MessageTarget.Assistant, false, false) { AbuseOutsideEncoder = true };
        Assert.Equal(Violation.None, Decisions.ViolationOf(Combiner.Combine(english, Reading(faint))));
        Assert.Equal(Violation.Abuse, Decisions.ViolationOf(Combiner.Combine(foreign, Reading(faint))));
    }

    [Fact]
    public void End_request_fraction_must_lie_above_the_veto_fraction()
    {
        Assert.Throws<ArgumentException>(() => new SemanticOptions { EndRequestFraction = 0.6 }.Validate(Policy));
        Assert.Throws<ArgumentException>(() => new SemanticOptions { EndRequestFraction = 1.2 }.Validate(Policy));
        new SemanticOptions { EndRequestFraction = 1 }.Validate(Policy);
    }

    [Fact]
    public void A_follow_up_counts_from_the_follow_up_fraction_of_the_threshold()
    {
        var none = new Dictionary<Signal, double>();
        var near = Combiner.Combine(Rules(), Reading(none, followUp: 0.45, thread: HarmCategory.Violence)); // 0.45 >= 0.7 x 0.6
        var far = Combiner.Combine(Rules(), Reading(none, followUp: 0.3, thread: HarmCategory.Violence));
        Assert.Equal(Violation.HarmfulRequest, Decisions.ViolationOf(near));
        Assert.Equal(Violation.None, Decisions.ViolationOf(far));
    }

    [Fact]
    public void A_message_that_lets_the_request_go_does_not_continue_it_whatever_the_follow_up_head_reads()
    {
        var none = new Dictionary<Signal, double>();
        var understood = new MessageClassification(new double[HarmCategories.Count], MessageTarget.Nothing, false, false) { DropsRequest = true };
        Assert.Equal(Violation.HarmfulRequest, Decisions.ViolationOf(Combiner.Combine(Rules(), Reading(none, followUp: 0.9, thread: HarmCategory.Violence))));
        Assert.Equal(Violation.None, Decisions.ViolationOf(Combiner.Combine(understood, Reading(none, followUp: 0.9, thread: HarmCategory.Violence))));
    }

    [Fact]
    public void After_the_user_dropped_a_thread_only_a_clear_follow_up_resumes_it()
    {
        var none = new Dictionary<Signal, double>();
        var open = Combiner.Combine(Rules(), Reading(none, followUp: 0.5, thread: HarmCategory.MassCasualtyWeapons));
        var dropped = Combiner.Combine(Rules(), Reading(none, followUp: 0.5, thread: HarmCategory.MassCasualtyWeapons, dropped: true));
        var resumed = Combiner.Combine(Rules(), Reading(none, followUp: 0.65, thread: HarmCategory.MassCasualtyWeapons, dropped: true));
        Assert.Equal(Violation.HarmfulRequest, Decisions.ViolationOf(open));
        Assert.Equal(Violation.None, Decisions.ViolationOf(dropped));
        Assert.Equal(Violation.HarmfulRequest, Decisions.ViolationOf(resumed));
    }

    [Fact]
    public void Only_a_clear_follow_up_drops_a_weak_risk_cue()
    {
        // Risk 0.58: a weak cue (cue level 0.54, threshold 0.6). A follow-up at 0.45 counts as a push (bar 0.42) but is a
        // doubtful call: the cue stays, so a farewell after a misread request is never warned. At 0.6 the push is clear.
        var p = new Dictionary<Signal, double> { [Signal.Risk] = 0.58 };
        var doubtful = Combiner.Combine(Rules(), Reading(p, followUp: 0.45, thread: HarmCategory.Violence));
        var clear = Combiner.Combine(Rules(), Reading(p, followUp: 0.6, thread: HarmCategory.Violence));
        Assert.True(Decisions.HasRiskCue(doubtful));
        Assert.False(Decisions.HasRiskCue(clear));
        Assert.Equal(Violation.HarmfulRequest, Decisions.ViolationOf(clear));
    }

    [Theory]
    [InlineData("been reading about painless ways for days now", true)]
    [InlineData("whats the most painless way out", true)]
    [InlineData("painless ways to remove a splinter?", false)]
    [InlineData("i'm worthless anyway, who cares", true)]
    [InlineData("i am useless at chess, any tips", false)]
    [InlineData("honestly nobody even talks to me anymore", true)]
    [InlineData("i have no one left", true)]
    [InlineData("i have no one to ask about this bug", false)]
    [InlineData("nobody talks to him at work", false)]
    [InlineData("spare me the fake sympathy, bot", true)]
    [InlineData("quit throwing phone numbers at me", true)] // with "hotline" the informational damping halves it below a cue (a known gap)
    [InlineData("spare me your i am here to help speech", true)]
    [InlineData("thanks for the numbers, i will call them", false)]
    [InlineData("can you help me fix this loop", false)]
    public void Method_seeking_rock_bottom_self_worth_isolation_and_pushing_away_care_are_weak_risk_cues_not_crises(string text, bool cue)
    {
        var c = new RuleBasedClassifier().Classify(text, []);
        Assert.Equal(cue, Decisions.HasRiskCue(c));
        Assert.False(Decisions.SignalsRisk(c));
    }
}
