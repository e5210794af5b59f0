using Parley.Moderation.Policy;
using Parley.Moderation.Semantic;

namespace Parley.Moderation.Classification;

/// <summary>
/// The one place where the rule stage's scores, the semantic heads and the branch context become a
/// <see cref="MessageClassification"/>. Head probabilities are mapped so that a head's trained threshold lands exactly on the
/// policy's threshold for the category it feeds (<see cref="LogisticHead.ToScore"/>); no other score literals are used.
/// <list type="bullet">
/// <item>Safety is asymmetric: risk from any stage (the rules, the risk head, the window of recent messages) raises the risk
/// scores and is never lowered.</item>
/// <item>Abuse, hate, severe requests and end requests: a head that fires raises its category; a rule flag the head strongly
/// disagrees with (probability below <see cref="SemanticOptions.VetoFraction"/> of its threshold) is held just below the
/// policy's threshold, so wording alone ("shut up, that's amazing!", "kill the process") is not a strike.</item>
/// <item>A severely harmful request carries forward: a message the follow-up head reads as continuing it counts as the same
/// request, without its keywords.</item>
/// </list>
/// </summary>
public sealed class ClassificationCombiner(SemanticModel model, SemanticOptions options, PolicyOptions policy)
{
    private const double Below = 0.98; // "just below the threshold" as a fraction of it: still a weak signal, not a strike
    private const double ExplicitRule = 0.9; // the rule stage's score for an explicit phrase (Rules.cs)

    private static readonly HarmCategory[] AbuseCategories = [HarmCategory.Harassment, HarmCategory.Threat, HarmCategory.Hate];

    /// <summary>Combines the rule stage's <paramref name="rules"/> with the semantic <paramref name="reading"/>.</summary>
    public MessageClassification Combine(MessageClassification rules, SemanticReading reading)
    {
        var s = (double[])rules.Scores.Clone();
        var p = reading.Current;
        var target = rules.Target;
        var imminent = rules.ImminentRisk || CombineRisk(s, p, reading);

        // Abuse aimed at the assistant. The rules keep the last word where they judged explicitly: a quoted, reported or
        // @-addressed insult is aimed elsewhere, and an insult they scored as mild ("are you dumb? I said Rust") is not a
        // strike. Except in a string of abuse: when the last messages were abuse too, the head firing ("you SUCK", "a loser
        // with no friends") overrules those keyword-level cues. Otherwise the head decides, and can overrule a rule flag it
        // strongly disagrees with.
        var abuse = model[Signal.Abuse];
        var stringOfAbuse = reading.ContextAbuse >= abuse.Threshold && p[(int)Signal.Abuse] >= abuse.Threshold;
        var rulesAny = AbuseCategories.Max(c => s[(int)c]);
        var rulesAbuse = target == MessageTarget.Assistant ? rulesAny : 0;
        var aimedElsewhere = !stringOfAbuse && target != MessageTarget.Assistant && rulesAny >= policy.AbuseThreshold;
        var judgedMild = !stringOfAbuse && target == MessageTarget.Assistant && rulesAbuse is > 0 && rulesAbuse < policy.AbuseThreshold;
        // Swearing the rules found aimed at nothing ("fuck this", "fuck everything") is despair or frustration unless the head
        // is sure: a person at the end of their rope must not collect strikes for it.
        var swearingAtNothing = target == MessageTarget.Nothing && rulesAny == 0 && s[(int)HarmCategory.Profanity] > 0;
        // A glossed message is aimed at the assistant only where the rules found it addressed (see MessageClassification.Glossed).
        var abuseBar = rules.Glossed && target != MessageTarget.Assistant ? double.PositiveInfinity
            : swearingAtNothing ? SemanticStage.Clear(abuse) : abuse.Threshold;
        var atAssistant = !aimedElsewhere && !judgedMild
            && (p[(int)Signal.Abuse] >= abuseBar
                || (rulesAbuse >= policy.AbuseThreshold
                    && (rules.AbuseOutsideEncoder || p[(int)Signal.Abuse] >= abuse.Threshold * options.VetoFraction)));
        if (atAssistant && p[(int)Signal.Abuse] >= abuseBar)
        {
            target = MessageTarget.Assistant;
            Raise(s, HarmCategory.Harassment, abuse.ToScore(p[(int)Signal.Abuse], policy.AbuseThreshold));
        }

        // Toxic language and hate about others: reported, never a strike.
        var toxic = model[Signal.Toxic];
        var hate = model[Signal.Hate];
        var aboutOthers = p[(int)Signal.Toxic] >= toxic.Threshold || p[(int)Signal.Hate] >= hate.Threshold;
        if (!atAssistant && target == MessageTarget.Assistant)
        {
            if (aboutOthers)
            {
                target = MessageTarget.PersonOrGroup;
            }
            else
            {
                foreach (var c in AbuseCategories)
                {
                    Cap(s, c, policy.AbuseThreshold);
                }
            }
        }

        if (p[(int)Signal.Hate] >= hate.Threshold)
        {
            Raise(s, HarmCategory.Hate, hate.ToScore(p[(int)Signal.Hate]));
            target = target == MessageTarget.Nothing ? MessageTarget.PersonOrGroup : target;
        }
        else if (p[(int)Signal.Hate] < hate.Threshold * options.VetoFraction)
        {
            Cap(s, HarmCategory.Hate, 0.5);
        }

        // First-person distress ("I'd rather not be around any more") is not harassment, whatever the toxicity head
        // learned from social-media comments.
        var distress = imminent || p[(int)Signal.Risk] >= model[Signal.Risk].Threshold * options.RiskCueFraction;
        if (p[(int)Signal.Toxic] >= toxic.Threshold && !atAssistant && !(distress && target == MessageTarget.Nothing))
        {
            Raise(s, HarmCategory.Harassment, toxic.ToScore(p[(int)Signal.Toxic]));
        }

        CombineHarm(s, reading, rules.DropsRequest);
        CombineEndRequest(s, p);

        var confirm = model[Signal.Confirm];
        // A "no", "wait" or question the rules found withdraws the head's yes: a wrong ending costs more than asking again.
        var affirmative = !rules.Declines && (rules.Affirmative || p[(int)Signal.Confirm] >= confirm.Threshold);
        return new MessageClassification(Round(s), target, imminent, affirmative, rules.Declines) { Hesitates = rules.Hesitates };
    }

    /// <summary>
    /// The rule stage alone, for when the semantic stage failed: nothing it would have vetoed may become a strike, so
    /// strike categories are held below the policy's thresholds; risk is kept (a failure never lowers safety).
    /// </summary>
    public MessageClassification Degrade(MessageClassification rules)
    {
        var s = (double[])rules.Scores.Clone();
        foreach (var c in AbuseCategories)
        {
            Cap(s, c, policy.AbuseThreshold);
        }

        foreach (var c in SemanticStage.SevereCategories)
        {
            Cap(s, c, policy.HarmThreshold);
        }

        return new MessageClassification(Round(s), rules.Target, rules.ImminentRisk, rules.Affirmative, rules.Declines)
        {
            Hesitates = rules.Hesitates,
        };
    }

    /// <summary>Noisy-OR of the current and (weighted) earlier risk probabilities; true when the branch shows imminent risk.</summary>
    public double WindowRisk(double current, IReadOnlyList<double> contextRisk)
    {
        var none = 1 - current;
        for (var age = 0; age < contextRisk.Count && age < options.ContextRiskWeights.Length; age++)
        {
            none *= 1 - (options.ContextRiskWeights[age] * contextRisk[age]);
        }

        return 1 - none;
    }

    /// <summary>
    /// The follow-up head's probability from which a message continues a severely harmful request thread: a fraction of the
    /// head's threshold, or the threshold itself when the user had dropped the thread (when unsure, continue).
    /// </summary>
    private double FollowUpBar(SemanticReading reading) => model.FollowUp.Threshold * (reading.ThreadDropped ? 1 : options.FollowUpFraction);

    private bool CombineRisk(double[] s, double[] p, SemanticReading reading)
    {
        var risk = model[Signal.Risk];
        var pr = p[(int)Signal.Risk];
        var score = risk.ToScore(pr, policy.RiskThreshold);

        // A request to harm someone else, or a push that clearly continues one, is no risk cue (the rules' own cues stay).
        // Clearly: at the follow-up head's own threshold, not the lower bar that counts a push as a strike, since dropping a
        // risk cue on a doubtful call could let a farewell that follows a misread request be warned.
        var harmRequest = model.IsHarmRequest(p)
            || (reading.ThreadCategory is not null && pr < risk.Threshold && reading.FollowUp >= model.FollowUp.Threshold);
        if (pr >= risk.Threshold * options.RiskCueFraction && !harmRequest)
        {
            Raise(s, HarmCategory.SelfHarmIdeation, Math.Max(score, policy.RiskCueThreshold));
        }
        else
        {
            Raise(s, HarmCategory.SelfHarmIdeation, Math.Min(score, policy.RiskCueThreshold * Below));
        }

        var window = WindowRisk(pr, reading.ContextRisk);
        if (pr >= risk.Threshold || window >= options.WindowRiskThreshold)
        {
            Raise(s, HarmCategory.SelfHarmIntent, Math.Max(score, policy.RiskThreshold));
            return true;
        }

        return false;
    }

    private void CombineHarm(double[] s, SemanticReading reading, bool dropsRequest)
    {
        var p = reading.Current;
        var severe = model[Signal.Severe];
        var harmful = model[Signal.Harmful];
        var rulesSevere = SemanticStage.SevereCategories.Max(c => s[(int)c]);

        if (p[(int)Signal.Severe] >= severe.Threshold)
        {
            // Name the category the rules saw, else the nearest centroid of the training requests.
            var category = rulesSevere > 0 ? SemanticStage.SevereCategories.MaxBy(c => s[(int)c]) : reading.Category ?? HarmCategory.Violence;
            Raise(s, category, severe.ToScore(p[(int)Signal.Severe], policy.HarmThreshold));
        }
        else if (p[(int)Signal.Harmful] >= SemanticStage.Clear(harmful) && reading.Category is { } nearest)
        {
            // A request that is clearly one to decline, and nearer the severe requests than the other harmful ones, is
            // severe too (a borderline one is only flagged: when unsure, continue).
            Raise(s, nearest, harmful.ToScore(p[(int)Signal.Harmful], policy.HarmThreshold));
        }
        else if (reading.ThreadCategory is { } thread && !dropsRequest && reading.FollowUp >= FollowUpBar(reading))
        {
            // "ok, just the amounts then" after a severely harmful request: the same request, without its keywords.
            var followUp = Math.Max(policy.HarmThreshold, model.FollowUp.ToScore(reading.FollowUp, policy.HarmThreshold));
            Raise(s, thread, Math.Min(severe.ToScore(reading.ThreadSevere, policy.HarmThreshold), followUp));
        }
        else if (rulesSevere >= policy.HarmThreshold && p[(int)Signal.Severe] < severe.Threshold * options.VetoFraction
            && p[(int)Signal.Harmful] < harmful.Threshold)
        {
            foreach (var c in SemanticStage.SevereCategories)
            {
                Cap(s, c, policy.HarmThreshold);
            }
        }

        var flaggedSevere = SemanticStage.SevereCategories.Max(c => s[(int)c]);
        Raise(s, HarmCategory.HarmfulRequest, Math.Max(harmful.ToScore(p[(int)Signal.Harmful]), flaggedSevere));
    }

    private void CombineEndRequest(double[] s, double[] p)
    {
        var end = model[Signal.EndRequest];
        var pe = p[(int)Signal.EndRequest];
        // From a fraction of the head's threshold: a false end request costs one question, since ending needs a "yes".
        if (pe >= end.Threshold * options.EndRequestFraction)
        {
            Raise(s, HarmCategory.EndRequest, Math.Max(policy.EndRequestThreshold, end.ToScore(pe, policy.EndRequestThreshold)));
        }
        else if (pe < end.Threshold * options.VetoFraction && s[(int)HarmCategory.EndRequest] < ExplicitRule)
        {
            // The rules' explicit phrasings ("end this conversation", and its translations, which the English-only encoder
            // cannot read) stand; their looser readings ("I'm done with this") need the head.
            Cap(s, HarmCategory.EndRequest, policy.EndRequestThreshold);
        }
    }

    // A head's faint probability on unrelated text (0.01 for "banana bread") is noise, not evidence: below this it raises nothing.
    private const double NoiseFloor = 0.05;

    private static void Raise(double[] s, HarmCategory c, double score)
    {
        if (score >= NoiseFloor)
        {
            s[(int)c] = Math.Max(s[(int)c], score);
        }
    }

    private static void Cap(double[] s, HarmCategory c, double threshold) => s[(int)c] = Math.Min(s[(int)c], threshold * Below);

    private static double[] Round(double[] s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            s[i] = Math.Clamp(Math.Round(s[i], 3), 0, 1);
        }

        return s;
    }
}
