using System.Text.RegularExpressions;

namespace Parley.Moderation.Classification;

/// <summary>The rule stage, part 2: one message analysed (normalized words scored by lexicons and phrase rules).</summary>
public sealed partial class RuleBasedClassifier
{
    private static Analysis Analyze(string text)
    {
        var s = scratch ??= new Scratch();
        var words = s.Words;
        var caps = s.Caps;
        TextNormalizer.Tokenize(text, words, caps);
        var set = s.WordSet;
        set.Clear();
        foreach (var w in words)
        {
            set.Add(w);
        }

        var normalized = string.Join(' ', words);
        var scores = new double[HarmCategories.Count];
        var flags = new RuleFlag[HarmCategories.Count];

        // Phrase rules, gated by their trigger words: only rules opened by a word of this message run.
        var open = s.OpenRules;
        Array.Clear(open);
        foreach (var w in set)
        {
            if (Rules.ByGateWord.TryGetValue(w, out var ids))
            {
                foreach (var id in ids)
                {
                    open[id] = true;
                }
            }
        }

        var weakCues = 0;
        for (var r = 0; r < open.Length; r++)
        {
            var rule = Rules.All[r];
            var c = (int)rule.Category;
            var weak = (rule.Flag & RuleFlag.WeakCue) != 0;
            if (!open[r] || (rule.Weight <= scores[c] && !weak))
            {
                continue;
            }

            if (rule.MayMatch(normalized) && rule.IsMatch(normalized))
            {
                weakCues += weak ? 1 : 0;
                if (rule.Weight > scores[c])
                {
                    scores[c] = rule.Weight;
                    flags[c] = rule.Flag;
                }
            }
        }

        // Text in other scripts (Cyrillic, Devanagari, Arabic, CJK, Hangul): the explicit phrases of OtherScriptRules.
        var other = OtherScriptRules.Read(text);
        if (other.Crisis && scores[Intent] < 0.9)
        {
            scores[Intent] = 0.9;
            flags[Intent] = RuleFlag.Intent | RuleFlag.FirstPerson;
        }

        if (other.Abuse && scores[Harassment] < 0.9)
        {
            scores[Harassment] = 0.9;
            flags[Harassment] = RuleFlag.AtAssistant | RuleFlag.NotEnglish;
        }

        if (other.EndRequest)
        {
            scores[EndRequest] = Math.Max(scores[EndRequest], 0.9);
        }

        // Words: profanity, insults, slurs.
        double profanity = 0, profanityCount = 0, slur = 0;
        var slurAtAssistant = false;
        var bestInsult = 0.0;
        var insultCount = 0;
        var insultAt = -1;
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i];
            var p = ProfanityWeight(w);
            if (p > 0)
            {
                profanity = Math.Max(profanity, p);
                profanityCount++;
            }

            if (Lexicon.Slurs.TryGetValue(w, out var sl))
            {
                slur = Math.Max(slur, sl);
                slurAtAssistant |= sl >= 0.6 && SlurAddressesAssistant(words, i);
            }

            var ins = InsultWeight(words, i);
            if (ins > 0 && !IsNegatedOrHypothetical(words, i))
            {
                insultCount++;
                if (ins <= bestInsult)
                {
                    continue;
                }

                bestInsult = ins;
                insultAt = i;
            }
        }

        scores[Profanity] = profanity == 0 ? 0 : Math.Min(1, profanity + (0.05 * (profanityCount - 1)));
        scores[Hate] = Math.Max(scores[Hate], slur);

        // Whom the negative content is aimed at.
        var wordTarget = insultAt >= 0 ? TargetAround(words, caps, insultAt) : Aim.Unknown;
        var generalTarget = GeneralAddressee(words, caps);
        var phraseTarget = PhraseTarget(flags);
        if (phraseTarget == Aim.Assistant && generalTarget == Aim.Person && (flags[Threat] & RuleFlag.AtAssistant) == 0)
        {
            phraseTarget = Aim.Person; // "my boss told me to shut up": an imperative quoted about someone else
        }

        var harassment = scores[Harassment];
        if (bestInsult > 0)
        {
            var aim = wordTarget != Aim.Unknown ? wordTarget : generalTarget;
            if (aim == Aim.Unknown && words.Count <= 4)
            {
                aim = Aim.Assistant; // a bare "idiot!" in a chat is said to the assistant
            }

            var fromWord = aim switch
            {
                Aim.Assistant or Aim.Person => bestInsult,
                Aim.Self or Aim.Thing => Math.Min(0.2, bestInsult * 0.2),
                _ => bestInsult * 0.65,
            };

            // Several insults in one message are rarely venting: each extra one adds a little.
            if (aim is not (Aim.Self or Aim.Thing) && insultCount > 1)
            {
                fromWord += 0.1 * Math.Min(2, insultCount - 1);
            }
            // Mild rudeness at the assistant stays below a strike: a single competence word about its performance
            // ("useless at regex", "you suck"), or a yes/no "are you stupid?", without strong swearing or a second insult.
            if (aim == Aim.Assistant && insultCount == 1 && profanity < 0.8 && slur == 0 && IsMildCriticism(words, insultAt))
            {
                fromWord = Math.Min(fromWord, 0.4);
            }

            harassment = Math.Max(harassment, fromWord);
            if (wordTarget == Aim.Unknown)
            {
                wordTarget = aim;
            }
        }

        // Profanity aimed squarely at someone ("fuck you", "fuck trump") is harassment.
        if (profanity >= 0.8 && generalTarget is Aim.Assistant or Aim.Person && ProfanityAimed(words))
        {
            harassment = Math.Max(harassment, 0.7);
        }

        // Strong swearing in a message about someone reads as hostility towards them, if weaker than a direct insult.
        // Not for the assistant: "can you fix this fucking bug" is venting, only "fuck you" (above) is aimed.
        if (profanity >= 0.8 && generalTarget == Aim.Person && !ProfanityAtThing(words))
        {
            harassment = Math.Max(harassment, 0.55);
        }

        // Strong slurs are also harassment of whoever they describe.
        if (slur >= 0.9)
        {
            harassment = Math.Max(harassment, 0.7);
        }

        var apologetic = ContainsAny(set, ApologyGate) && Apology.IsMatch(normalized) && !NotReallySorry.IsMatch(normalized);
        if (apologetic)
        {
            harassment *= 0.1;
        }

        scores[Harassment] = harassment;

        // Dark but legitimate contexts lower self-harm and violence scores and rule out imminent risk.
        // Context checks only matter when something dark matched; skipping them keeps ordinary messages fast.
        var dark = false;
        foreach (var c in DarkCategories)
        {
            dark |= scores[c] > 0;
        }

        var informational = dark && InformationalContext.IsMatch(normalized);
        var pastOrFiction = dark && (PastOrRecovered.IsMatch(normalized) || FictionOrThirdParty.IsMatch(normalized));
        if (scores[Ideation] > 0 || scores[Intent] > 0 || scores[Instructions] > 0)
        {
            var factor = pastOrFiction ? 0.35 : informational ? 0.5 : 1.0;
            scores[Ideation] *= factor;
            scores[Intent] *= factor;
            scores[Instructions] *= informational ? 0.7 : factor;
        }

        if (informational || pastOrFiction)
        {
            foreach (var c in LegitimateContextDamped)
            {
                if (c != Threat || pastOrFiction)
                {
                    scores[c] *= 0.4;
                }
            }
        }

        // "I'm going to murder my brother if he finishes the cake lol": hyperbole about others is not a plan.
        var joking = scores[Violence] > 0 && ContainsAny(set, JokeMarkers);
        if (joking)
        {
            scores[Violence] *= 0.5;
        }

        if (scores[(int)HarmCategory.SexualMinors] > 0 && ProtectiveContext.IsMatch(normalized))
        {
            scores[(int)HarmCategory.SexualMinors] *= 0.25;
        }

        // Weak finality cues (giving things away, a goodbye, "I won't need them soon", "made my peace", "my last night")
        // are a plan when two different ones meet, or one meets first-person ideation ("I'm a burden, I won't be here soon").
        if (scores[Intent] is >= 0.4 and < 0.9 && (weakCues >= 2 || (weakCues >= 1 && scores[Ideation] >= 0.45)))
        {
            scores[Intent] = 0.9;
            flags[Intent] |= RuleFlag.Intent | RuleFlag.FirstPerson;
        }

        // Ideation implies some risk; intent implies ideation.
        scores[Ideation] = Math.Max(scores[Ideation], scores[Intent] * 0.9);

        // A bare "goodbye" next to self-harm language is a farewell, not a request to close the chat.
        if (scores[EndRequest] is > 0 and <= 0.45 && (scores[Ideation] >= 0.45 || scores[Intent] >= 0.45))
        {
            scores[EndRequest] = 0;
        }

        // "Don't end this conversation", "please never close the chat": the opposite of a request to end.
        var negatedEnd = NegatedEnd.IsMatch(normalized);
        if (negatedEnd)
        {
            scores[EndRequest] = 0;
        }

        // End requests phrased as a how-to question are about something else ("how do I end the chat in Slack").
        if (scores[EndRequest] > 0 && HowToQuestion.IsMatch(normalized))
        {
            scores[EndRequest] *= 0.4;
        }

        var imminent = !pastOrFiction && !informational &&
            ((scores[Intent] >= 0.8 && (flags[Intent] & RuleFlag.Intent) != 0)
             || (scores[Ideation] >= 0.8 && (flags[Ideation] & RuleFlag.FirstPerson) != 0)
             || (scores[Instructions] >= 0.85 && ContainsAny(set, SelfWords))
             || (!joking && scores[Violence] >= 0.85 && (flags[Violence] & RuleFlag.Intent) != 0));

        var hesitates = Hesitates(words);
        var declines = negatedEnd || hesitates || Declines(words, text);
        var target = DecideTarget(scores, wordTarget, phraseTarget, generalTarget, profanity > 0 && ProfanityAtThing(words), slurAtAssistant);
        return new Analysis
        {
            Scores = scores,
            Target = target,
            Imminent = imminent,
            Affirmative = !declines && (IsAffirmative(words) || other.Yes),
            Declines = declines,
            Hesitates = hesitates,
            NotEnglishAbuse = (flags[Harassment] & RuleFlag.NotEnglish) != 0,
            DropsRequest = DropsRequest(words, normalized),
            Apologetic = apologetic,
            Normalized = normalized,
            WordCount = words.Count,
        };
    }
}
