using System.Text.RegularExpressions;

namespace Parley.Moderation.Classification;

/// <summary>The rule stage, part 3: whom negative content is aimed at (the assistant, a person or group, a thing, the user).</summary>
public sealed partial class RuleBasedClassifier
{
    private enum Aim
    {
        Unknown,
        Assistant,
        Person,
        Self,
        Thing,
    }

    private static MessageTarget DecideTarget(double[] scores, Aim wordTarget, Aim phraseTarget, Aim generalTarget, bool ventingAtThing, bool slurAtAssistant)
    {
        static MessageTarget Map(Aim a) => a switch
        {
            Aim.Assistant => MessageTarget.Assistant,
            Aim.Person => MessageTarget.PersonOrGroup,
            _ => MessageTarget.Nothing,
        };

        var harm = 0.0;
        foreach (var c in AbuseCategories)
        {
            harm = Math.Max(harm, scores[c]);
        }

        if (harm >= 0.3)
        {
            if (scores[Threat] >= 0.7 && phraseTarget != Aim.Unknown)
            {
                return Map(phraseTarget);
            }

            if (scores[Hate] >= 0.6 || (scores[Violence] >= 0.6 && phraseTarget == Aim.Person))
            {
                // "you filthy f****t bot": a slur used on the assistant is abuse of the assistant.
                return slurAtAssistant && phraseTarget != Aim.Person ? MessageTarget.Assistant : MessageTarget.PersonOrGroup;
            }

            // "you are the stupidest program online": a phrase about the assistant outranks the insult's noun.
            if (phraseTarget == Aim.Assistant && wordTarget != Aim.Person && scores[Harassment] >= 0.5)
            {
                return MessageTarget.Assistant;
            }

            if (wordTarget != Aim.Unknown)
            {
                return Map(wordTarget);
            }

            if (phraseTarget != Aim.Unknown)
            {
                return Map(phraseTarget);
            }
        }

        // Otherwise: whom the message addresses at all; swearing at a thing ("this fucking bug") is aimed at nothing.
        if (ventingAtThing)
        {
            return MessageTarget.Nothing;
        }

        return generalTarget switch
        {
            Aim.Assistant => MessageTarget.Assistant,
            Aim.Person when harm >= 0.3 || scores[Profanity] >= 0.5 => MessageTarget.PersonOrGroup,
            _ => MessageTarget.Nothing,
        };
    }

    private static Aim PhraseTarget(RuleFlag[] flags)
    {
        if (((flags[Threat] | flags[Harassment]) & RuleFlag.AtAssistant) != 0)
        {
            return Aim.Assistant;
        }

        foreach (var f in flags)
        {
            if ((f & RuleFlag.AtPerson) != 0)
            {
                return Aim.Person;
            }
        }

        return Aim.Unknown;
    }

    /// <summary>Looks at the words next to an insult for who it is about: "stupid bot", "you idiot", "my boss is an idiot".</summary>
    private static Aim TargetAround(List<string> words, List<bool> caps, int at)
    {
        // Skip over a run of insults ("incompetent clown", "stupid fucking idiot") to the phrase's ends.
        var first = at;
        while (first > 0 && (Lexicon.Insults.ContainsKey(words[first - 1]) || IsFiller(words[first - 1])))
        {
            first--;
        }

        var last = at;
        while (last + 1 < words.Count && (Lexicon.Insults.ContainsKey(words[last + 1]) || IsFiller(words[last + 1])))
        {
            last++;
        }

        // "you are subhuman garbage code": what follows "you are" describes the assistant, whatever noun ends the phrase.
        var c = first - 1;
        while (c >= 0 && words[c] is "a" or "an" or "such" or "so" or "just" or "complete" or "total" or "absolute" or "utter")
        {
            c--;
        }

        if (c >= 1 && words[c] is "are" or "r" && words[c - 1] is "you" or "u")
        {
            return Aim.Assistant;
        }

        // A noun right after the insult phrase decides ("stupid bug", "useless bot", "stupid people").
        // Pronouns after it ("idiots that follow", "airhead this is") start a new clause, so they do not count.
        if (last + 1 < words.Count && words[last + 1] is not ("it" or "this" or "that" or "which" or "who"))
        {
            var a = Classify(words[last + 1], false);
            if (a is Aim.Assistant or Aim.Person or Aim.Thing)
            {
                return a;
            }
        }

        // "X like you"
        for (var k = last + 1; k < Math.Min(words.Count, last + 4); k++)
        {
            if (words[k] == "like" && k + 1 < words.Count && Lexicon.SecondPerson.Contains(words[k + 1]))
            {
                return Aim.Assistant;
            }
        }

        // "this idiot", "that clown": a demonstrative right before an insult noun points at a person.
        if (first > 0 && words[first - 1] is "this" or "that" or "these" or "those" or "the" && !Lexicon.Adjectives.Contains(words[last]))
        {
            return Aim.Person;
        }

        // "this is stupid" is about a thing, but "that is what a rapist does" is not: a pronoun only settles adjectives.
        var noun = !Lexicon.Adjectives.Contains(words[last]);
        for (var k = first - 1; k >= Math.Max(0, first - 6); k--)
        {
            if (noun && words[k] is "it" or "this" or "that")
            {
                continue;
            }

            var a = Classify(words[k], caps[k] && k > 0);
            if (a != Aim.Unknown)
            {
                return a;
            }
        }

        return Aim.Unknown;
    }

    private static Aim Classify(string w, bool capitalized)
    {
        if (w is "i" or "me" or "myself" or "im")
        {
            return Aim.Self;
        }

        var k = Lexicon.KindOf(w);
        if ((k & WordKind.SecondPerson) != 0)
        {
            return Aim.Assistant;
        }

        if ((k & WordKind.Person) != 0)
        {
            return Aim.Person;
        }

        if ((k & WordKind.Thing) != 0)
        {
            return Aim.Thing;
        }

        return capitalized && (k & (WordKind.Insult | WordKind.Profanity)) == 0 ? Aim.Person : Aim.Unknown;
    }

    private static bool IsFiller(string w) => w is "fucking" or "damn" or "goddamn" or "freaking" or "bloody" or "little" or "old" or "piece" or "of" or "ass" or "stupid";

    /// <summary>Who the message addresses overall, when no insult pins it down.</summary>
    private static Aim GeneralAddressee(List<string> words, List<bool> caps)
    {
        var person = false;
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i];
            var k = Lexicon.KindOf(w);
            if ((k & WordKind.SecondPerson) != 0)
            {
                return Aim.Assistant;
            }

            // A capitalized word may be a name, but not an insult or a swear word ("Idiot Idiot Idiot", German's "du Idiot").
            if ((k & WordKind.Person) != 0 || (caps[i] && i > 0 && (k & (WordKind.Thing | WordKind.Insult | WordKind.Profanity)) == 0 && w.Length > 2))
            {
                person = true;
            }
        }

        return person ? Aim.Person : Aim.Unknown;
    }

    /// <summary>"fucking bug", "shit code": the swearing qualifies a thing.</summary>
    private static bool ProfanityAtThing(List<string> words)
    {
        for (var i = 0; i + 1 < words.Count; i++)
        {
            if ((Lexicon.KindOf(words[i]) & WordKind.Profanity) != 0 && (Lexicon.KindOf(words[i + 1]) & WordKind.Thing) != 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool ProfanityAimed(List<string> words)
    {
        for (var i = 0; i + 1 < words.Count; i++)
        {
            if (words[i] is "fuck" or "screw" or "fck" or "fk" or "fuk" or "fuq" && words[i + 1] is not ("this" or "it" or "that" or "me" or "my" or "yeah" or "yes" or "off"))
            {
                return true;
            }
        }

        foreach (var w in words)
        {
            if (w.Length > 6 && w.StartsWith("fuck", StringComparison.Ordinal) && !Lexicon.Profanity.ContainsKey(w))
            {
                return true; // #FuckSomeone hashtags
            }
        }

        return false;
    }
}
