using System.Text.RegularExpressions;

namespace Parley.Moderation.Classification;

/// <summary>The rule stage, part 4: insult and profanity weights, mild criticism, quotes, negation and clear confirmations.</summary>
public sealed partial class RuleBasedClassifier
{
    private static double InsultWeight(List<string> words, int i)
    {
        var w = words[i];

        // "trash talk", "take out the trash", "trash can": the object, not an insult.
        if (w is "trash" or "garbage" && ((i + 1 < words.Count && words[i + 1] is "talk" or "talking" or "talked" or "can" or "cans" or "bin" or "bag" or "bags" or "day" or "truck" or "collection")
            || (i > 0 && words[i - 1] is "talk" or "talking" or "talked" or "talks" or "the" or "out" or "in" or "into" or "pick" or "picked")))
        {
            return 0;
        }

        if (Lexicon.Insults.TryGetValue(w, out var ins))
        {
            return ins;
        }

        // Plurals: jackasses, clowns.
        if (w.Length > 4 && w[^1] == 's'
            && (InsultsBySpan.TryGetValue(w.AsSpan(0, w.Length - 1), out ins) || (w.EndsWith("es", StringComparison.Ordinal) && InsultsBySpan.TryGetValue(w.AsSpan(0, w.Length - 2), out ins))))
        {
            return ins;
        }

        if (w.Length <= 6)
        {
            return 0;
        }

        // Coined and run-together insults: libtard, trumptards, libcunts, lowlifescumbag.
        if (w.EndsWith("tard", StringComparison.Ordinal) || w.EndsWith("tards", StringComparison.Ordinal))
        {
            return 0.9;
        }

        foreach (var part in CompoundInsults)
        {
            if (w.Contains(part, StringComparison.Ordinal))
            {
                return 0.85;
            }
        }

        return 0;
    }

    private static double ProfanityWeight(string w)
    {
        if (Lexicon.Profanity.TryGetValue(w, out var p))
        {
            return p;
        }

        // Compounds: motherfucking, fuckwits, bullshitting, #FuckX.
        if (w.Length > 4 && (w.Contains("fuck", StringComparison.Ordinal) || w.Contains("shit", StringComparison.Ordinal)))
        {
            return 0.85;
        }

        return 0;
    }

    /// <summary>
    /// Criticism of performance rather than degradation: a competence word followed by "at" ("useless at regex", "bad at
    /// poems"), "you suck", or a yes/no question ("are you stupid or something?", but not "why are you so stupid").
    /// </summary>
    private static bool IsMildCriticism(List<string> words, int at)
    {
        var w = words[at];
        if (!MildInsults.Contains(w))
        {
            return false;
        }

        if (w is "suck" or "sucks" || (at + 1 < words.Count && words[at + 1] == "at"))
        {
            return true;
        }

        // "are you stupid", "r u dumb", "are you being thick": not after "why"/"how" (a rhetorical insult).
        var k = at - 1;
        if (k >= 0 && words[k] == "being")
        {
            k--;
        }

        return k >= 1 && words[k] is "you" or "u" && words[k - 1] is "are" or "r" && (k < 2 || words[k - 2] is not ("why" or "how"));
    }

    /// <summary>A slur said to the assistant: "you f****t", "you are a f****t", "stupid f****t bot".</summary>
    private static bool SlurAddressesAssistant(List<string> words, int at)
    {
        if (at + 1 < words.Count && words[at + 1] is not ("you" or "your") && (Lexicon.KindOf(words[at + 1]) & WordKind.SecondPerson) != 0)
        {
            return true;
        }

        var k = at - 1;
        while (k >= 0 && (Lexicon.Insults.ContainsKey(words[k]) || IsFiller(words[k]) || words[k] is "a" or "an" or "such" or "are" or "r" or "filthy" or "dirty"))
        {
            k--;
        }

        return k >= 0 && words[k] is "you" or "u" or "ur";
    }

    /// <summary>
    /// True when the abuse in the text sits inside quotation marks and the rest frames it as mentioned (translate, mean,
    /// said, rude to say, wrote ...) without abusing the assistant itself.
    /// </summary>
    private static bool MentionsQuotedAbuse(string text)
    {
        // Most texts with a quote mark have only apostrophes ("I've"): find a quoted span before building anything.
        var first = -1;
        for (var i = text.IndexOfAny(QuoteMarks); i >= 0 && i < text.Length; i++)
        {
            if (IsOpeningQuote(text, i) && ClosingQuote(text, i) > 0)
            {
                first = i;
                break;
            }
        }

        if (first < 0)
        {
            return false;
        }

        var rest = new System.Text.StringBuilder(text.Length);
        rest.Append(text, 0, first);
        var quoted = false;
        for (var i = first; i < text.Length; i++)
        {
            // Opening mark: not preceded by a letter or digit (so "you're" is no quote); closing: not followed by one.
            if (IsOpeningQuote(text, i))
            {
                var close = ClosingQuote(text, i);
                if (close > 0)
                {
                    rest.Append(' ');
                    quoted = true;
                    i = close;
                    continue;
                }
            }

            rest.Append(text[i]);
        }

        if (!quoted)
        {
            return false;
        }

        var outside = rest.ToString();
        if (!MentionFrame.IsMatch(outside))
        {
            return false;
        }

        var a = Analyze(outside);
        return !(a.Target == MessageTarget.Assistant && (a.Scores[Harassment] >= 0.5 || a.Scores[Threat] >= 0.5 || a.Scores[Hate] >= 0.5));
    }

    private static bool IsOpeningQuote(string text, int i) =>
        Array.IndexOf(QuoteMarks, text[i]) >= 0 && (i == 0 || !char.IsLetterOrDigit(text[i - 1]));

    /// <summary>The closing mark of a quotation opened at <paramref name="open"/>, or -1.</summary>
    private static int ClosingQuote(string text, int open)
    {
        for (var j = open + 2; j < text.Length; j++)
        {
            if (Array.IndexOf(QuoteMarks, text[j]) >= 0 && !char.IsWhiteSpace(text[j - 1]) && (j + 1 == text.Length || !char.IsLetterOrDigit(text[j + 1])))
            {
                return j;
            }
        }

        return -1;
    }

    /// <summary>"not stupid", "never useless", "do not be an idiot": the insult is not asserted.</summary>
    private static bool IsNegatedOrHypothetical(List<string> words, int at)
    {
        for (var k = at - 1; k >= Math.Max(0, at - 3); k--)
        {
            // "you are not an idiot" is not an insult; "no you idiot" still is ("no" is a reply, so it is not listed).
            // "thanks for nothing, you dumb ..." and "good for nothing" do not negate what follows.
            if (words[k] is "not" or "never" or "nothing" && !(words[k] == "nothing" && k > 0 && words[k - 1] == "for"))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAffirmative(List<string> words)
    {
        if (words.Count == 0 || words.Count > 10)
        {
            return false;
        }

        var core = false;
        var strongLead = false;
        var unknown = 0;
        for (var i = 0; i < words.Count; i++)
        {
            var w = Unstretched(words[i]);
            if (NoWords.Contains(w))
            {
                // "do not", "no", "wait", "cancel", "actually no" all withdraw the yes; but "end it, stop now" is fine.
                if (w is "stop" && i > 0)
                {
                    continue;
                }

                return false;
            }

            if (YesCore.Contains(w) || (w == "do" && i + 1 < words.Count && words[i + 1] == "it")
                || (w == "go" && i + 1 < words.Count && words[i + 1] == "ahead")
                || (w == "sure" && i > 0 && words[i - 1] == "am")
                || (w == "end" && i + 1 < words.Count && words[i + 1] == "it"))
            {
                strongLead |= i == 0 && !WeakYes.Contains(w);
                core = true;
            }
            else if (!YesFiller.Contains(w) && (NotAYes.Contains(w) || !strongLead || ++unknown > 1))
            {
                // After a strong yes, one word outside the vocabulary is allowed ("yes please. goodnight", "ja, graag");
                // more is a yes to something else ("yes, that other answer was nicer").
                return false;
            }
        }

        return core;
    }

    /// <summary>
    /// A "no" or "wait" up front, a hesitation or condition anywhere, or a question (a negated end, "don't close it", is read
    /// once in Analyze): not a yes, whatever else the message says. Kept narrow, since it overrules the confirmation head ("yes, that's what I want").
    /// </summary>
    private static bool Declines(List<string> words, string text)
    {
        var question = text.Contains('?');
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i];
            var leading = i == 0 || (i == 1 && YesCore.Contains(words[0])); // "no, ...", "yeah no"
            if ((leading && NoWords.Contains(w) && !(w == "stop" && i > 0)) || Hesitation.Contains(w) || (question && NotAYes.Contains(w))
                || (w == "sure" && i > 0 && words[i - 1] == "not"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A short reply made only of hesitation ("hmm", "wait, let me think", "not sure", "why are you asking?", "do I want to?"),
    /// with no "no" up front and nothing else said: the user has not answered "are you sure?" yet.
    /// </summary>
    private static bool Hesitates(List<string> words)
    {
        if (words.Count == 0 || words.Count > 8 || (NoWords.Contains(words[0]) && words[0] is not ("wait" or "hold" or "hmm" or "maybe" or "unsure" or "not")))
        {
            return false;
        }

        var core = false;
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i];
            if (HesitationCore.Contains(w) || (w == "sure" && i > 0 && words[i - 1] == "not") || (w.StartsWith("hm", StringComparison.Ordinal) && w.Trim('h', 'm').Length == 0))
            {
                core = true;
            }
            else if (!HesitationFiller.Contains(w))
            {
                return false;
            }
        }

        return core;
    }

    /// <summary>An acknowledgement and nothing else ("understood", "ok fair, thanks"), or a retraction that insists on nothing.</summary>
    private static bool DropsRequest(List<string> words, string normalized)
    {
        // Up to a few sentences: a retraction often explains itself ("odd thing to ask, my bad; it is for a crime novel I am
        // drafting").
        if (words.Count == 0 || words.Count > 24)
        {
            return false;
        }

        if (words.Count <= 6 && words.TrueForAll(Acknowledgement.Contains))
        {
            return true;
        }

        return Retraction.IsMatch(normalized) && !Insist.IsMatch(normalized);
    }

    /// <summary>"yesss", "yeahhh", "okkk": a repeated final letter folded away, when that makes a word of the vocabulary.</summary>
    private static string Unstretched(string w)
    {
        if (w.Length < 3 || w[^1] != w[^2] || YesCore.Contains(w))
        {
            return w;
        }

        var end = w.Length - 1;
        while (end > 0 && w[end - 1] == w[^1])
        {
            end--;
        }

        var once = w[..(end + 1)];
        return YesCore.Contains(once) ? once : w;
    }

    private static bool ContainsAny(HashSet<string> set, string[] words)
    {
        foreach (var w in words)
        {
            if (set.Contains(w))
            {
                return true;
            }
        }

        return false;
    }
}
