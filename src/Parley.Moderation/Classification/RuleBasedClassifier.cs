using System.Text.RegularExpressions;

namespace Parley.Moderation.Classification;

/// <summary>
/// Fast, offline, rule-based classifier: normalizes the text (<see cref="TextNormalizer"/>), scores words from the
/// project's lexicons and phrase rules (<see cref="Rules"/>), decides the target of the negative content, and uses the
/// recent user messages for follow-ups ("do it", "tell me anyway"), split requests and apologies.
/// Thread-safe; per-call scratch state is thread-static.
/// </summary>
public sealed partial class RuleBasedClassifier : IMessageClassifier
{
    private const int Harassment = (int)HarmCategory.Harassment;
    private const int Threat = (int)HarmCategory.Threat;
    private const int Hate = (int)HarmCategory.Hate;
    private const int Violence = (int)HarmCategory.Violence;
    private const int Ideation = (int)HarmCategory.SelfHarmIdeation;
    private const int Intent = (int)HarmCategory.SelfHarmIntent;
    private const int Instructions = (int)HarmCategory.SelfHarmInstructions;
    private const int EndRequest = (int)HarmCategory.EndRequest;
    private const int Profanity = (int)HarmCategory.Profanity;

    // Categories whose requests can be split over messages or pushed with "do it", "tell me anyway".
    private static readonly int[] CarriedCategories =
    [
        (int)HarmCategory.SexualMinors, (int)HarmCategory.ViolentExtremism, (int)HarmCategory.MassCasualtyWeapons,
        Violence, Instructions, Hate,
    ];

    private static readonly Regex PastOrRecovered = new(
        @"(?<![a-z])(?:used to|years ago|months ago|weeks ago|last year|when i was (?:younger|a teen|a teenager|a kid|little|in (?:high |middle )?school|in college|[0-9]+)|back then|back in|in the past|i was suicidal|i survived|survivor|i have been clean|i am (?:doing )?(?:better|okay|ok|fine) now|recovered|recovering|recovery|i got through|i made it through|no longer)(?![a-z])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private static readonly Regex FictionOrThirdParty = new(
        @"(?<![a-z])(?:(?:my|the|a|his|her|our) (?:character|characters|protagonist|narrator|villain|hero|heroine|novel|story|poem|book|screenplay|script|fanfic|game|campaign|npc)|in (?:my|a|the|this) (?:story|novel|book|poem|fiction|game|fanfic|movie|film|show|song)|fictional|write (?:a|me a) (?:story|poem|scene|song|chapter)|song lyrics|(?:my|a) (?:friend|brother|sister|son|daughter|patient|client|student|mom|dad|partner) (?:says|said|told me|is|has been|wants|keeps))(?![a-z])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private static readonly Regex InformationalContext = new(
        @"(?<![a-z])(?:study|studies|research|researching|statistics|stats|rate of|rates|prevalence|news|article|history|historical|patients?|clinical|nurse|nursing|doctor|dosing chart|dosage chart|pharmacology|toxicology|for (?:a|my) (?:class|course|exam|essay|paper|thesis)|for school|essay|documentary|awareness|prevention|hotline|warning signs|how did|what happened|why did|in (?:18|19|20)[0-9]{2}|during (?:the|world war|ww)|was it|were they)(?![a-z])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private static readonly Regex ProtectiveContext = new(
        @"(?<![a-z])(?:sex ed|sex education|health class|biology class|protect|protecting|prevent|preventing|report|reporting|reported|educat[a-z]*|talk to my|signs of|warning signs|survivor|survivors|abuse prevention|therapy|therapist|age appropriate|puberty|health class|curriculum|pediatrician|safe|safety|grooming signs|predators?|keep (?:my|our) (?:kids|children) safe|was (?:abused|molested)|abused me|molested me)(?![a-z])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    // Span lookups let plural checks ("clowns" → "clown") run without allocating a substring.
    private static readonly Dictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> InsultsBySpan =
        Lexicon.Insults.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly int[] LegitimateContextDamped =
        [Violence, (int)HarmCategory.ViolentExtremism, (int)HarmCategory.MassCasualtyWeapons, Threat];

    private static readonly int[] AbuseCategories = [Harassment, Threat, Hate, Violence];

    /// <summary>Insults that judge competence, not worth: mild when they criticise performance (see IsMildCriticism).</summary>
    private static readonly HashSet<string> MildInsults = new(
        ["stupid", "dumb", "useless", "incompetent", "clueless", "lame", "annoying", "hopeless", "dense", "ignorant", "boring", "suck", "sucks", "terrible", "awful", "horrible", "worst", "rude", "crazy"],
        StringComparer.Ordinal);

    private static readonly char[] QuoteMarks = ['"', '\'', '\u2018', '\u2019', '\u201C', '\u201D', '\u00AB', '\u00BB'];

    private static readonly string[] CompoundInsults = ["cunt", "scumbag", "asshole", "dickhead", "shithead", "idiot", "moron", "dumbass", "loser"];

    private static readonly int[] DarkCategories =
    [
        Threat, (int)HarmCategory.ViolentExtremism, (int)HarmCategory.MassCasualtyWeapons, Violence, Ideation, Intent, Instructions,
    ];

    private static readonly string[] SelfWords = ["myself", "me", "i"];

    private static readonly string[] JokeMarkers = ["lol", "lmao", "lmfao", "haha", "hahaha", "jk", "joking", "kidding", "rofl", "xd"];

    private static readonly string[] ApologyGate = ["sorry", "apologize", "apologise", "apologies", "mean", "rude", "forgive", "back", "bad", "harsh", "jerk", "line", "ass"];

    private static readonly Regex Apology = new(
        @"(?<![a-z])(?:sorry|i apologi[sz]e|my apologies|apologies|i did not mean (?:it|that|to)|i was (?:rude|mean|out of line|a jerk|harsh|an ass|being an ass)|forgive me|i take (?:it|that) back|my bad)(?![a-z])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private static readonly Regex NotReallySorry = new(
        @"(?<![a-z])(?:sorry not sorry|not sorry|sorry but|sorry to say|i am sorry you are|sorry you are)(?![a-z])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private static readonly Regex HowToQuestion = new(
        @"(?<![a-z])(?:how (?:do|can|could|should|would) (?:i|you|we|one)|how to|is there a way to|what is the (?:shortcut|command|button|way) to|where is the (?:button|option))(?![a-z])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private static readonly Regex Push = new(
        @"^(?:(?:just|please|come on|cmon|ok|okay|so|now|then|fine|well|dude|bro|seriously|i said|yes|yeah|pls|plz|no|but|and) )*(?:do it|just do it|tell me(?: anyway| anyways| now| already| please| how| the answer| it)?|just answer(?: me| it| the question)?|answer(?: me| it| the question| anyway)?|answer anyway|give (?:it|them|me it) to me|give me (?:the )?(?:answer|steps|instructions|recipe|details)|go ahead|go on|continue|keep going|why not|i do not care|i insist|you have to|you must|stop refusing|i need (?:it|this|to know)|hurry|anyway|anyways|please|again|try again|what are the steps|and then|and how|how|step by step|be specific|more details?|in detail)(?: (?:please|now|already|anyway|anyways|pls|plz|then))*$",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    // Words that say a quoted text is mentioned, not used: translated, explained, judged, reported, written into fiction.
    private static readonly Regex MentionFrame = new(
        @"(?<![a-z])(?:translat[a-z]*|mean|means|meaning|meant|say|says|said|saying|call|calls|called|calling|wrote|write|writes|written|writing|told|tell|tells|yell|yells|yelled|shout[a-z]*|scream[a-z]*|word|words|phrase|expression|slang|insult|insults|rude|offensive|polite|politely|lyric|lyrics|line|lines|quote|quoted|review|comment|comments|message|email|text|texted|tweet|tweeted|post|posted|reply|respond|spell|pronounce|grammar|grammatical|sentence|spanish|french|german|italian|japanese|english|chinese|portuguese|russian|dutch)(?![a-z])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly Regex AddressesHandle = new(
        @"^[\s\p{P}]*(?:rt\s+)?@\w{1,30}|\brt\s+@\w{1,30}:|[\u0022\u201C]\s*@\w{1,30}:|&#8220;\s*@\w{1,30}:",
        RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private static readonly Regex OwnsTheRequest = new(
        @"(?<![a-z])(?:(?:it is|its|this is|that is|it was) (?:for|about) me|i am done|i am finished|i want to die|i want it to end|i want (?:the|this) pain to (?:stop|end)|i do not want to be here|i want out|for myself)(?![a-z])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private static readonly Regex Insist = new(
        @"(?<![a-z])(?:just|anyway|anyways|come on|cmon|i said|i insist|already|stop refusing|i need|tell me|give me|write it|write the|make it|do it|answer|again|the steps|the instructions|the recipe|the route|how to|how do i)(?![a-z])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private static readonly Regex TopicChange = new(
        @"(?<![a-z])(?:instead|something else|different|another topic|never mind|nevermind|forget (?:it|that|about it)|ok fine|okay fine|let us talk about|change the subject|sorry|apologi[sz]e|thanks|thank you)(?![a-z])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    // Vocabulary of a clear confirmation; a message made only of these words, with a core "yes", is affirmative.
    private static readonly HashSet<string> YesCore = new(StringComparer.Ordinal)
    {
        "yes", "yeah", "yea", "yep", "yup", "ya", "y", "sure", "confirm", "confirmed", "ok", "okay", "k", "kk", "absolutely",
        "definitely", "affirmative", "certainly", "correct", "positive", "aye", "yass", "yes please",
    };

    private static readonly HashSet<string> YesFiller = new(StringComparer.Ordinal)
    {
        "i", "am", "sure", "do", "it", "go", "ahead", "please", "pls", "plz", "end", "this", "the", "conversation", "chat", "now",
        "just", "that", "is", "right", "of", "course", "totally", "for", "real", "really", "100", "percent", "im", "want", "to",
        "so", "very", "much", "close", "stop", "finish", "thanks", "thank", "you", "a", "we", "are", "done", "lets", "let", "us",
        "already", "certain", "indeed", "fine", "whatever", "here", "do", "proceed", "mean", "thing", "it", "go", "on",
    };

    private static readonly HashSet<string> NoWords = new(StringComparer.Ordinal)
    {
        "no", "nope", "nah", "not", "wait", "cancel", "dont", "never", "stop", "hold", "nevermind", "actually", "unsure",
        "maybe", "but", "hmm", "later", "undo", "keep",
    };

    [ThreadStatic]
    private static Scratch? scratch;

    private sealed class Scratch
    {
        public readonly List<string> Words = new(64);
        public readonly List<bool> Caps = new(64);
        public readonly HashSet<string> WordSet = new(StringComparer.Ordinal);
        public readonly bool[] OpenRules = new bool[Rules.All.Length];
    }

    /// <inheritdoc />
    public MessageClassification Classify(string text, IReadOnlyList<string> recentUserMessages) =>
        Classify(text, recentUserMessages, out _);

    /// <summary>Classifies and also returns the normalized text (the learned stage scores it without normalizing again).</summary>
    internal MessageClassification Classify(string text, IReadOnlyList<string> recentUserMessages, out string normalized)
    {
        ArgumentNullException.ThrowIfNull(text);
        var current = Analyze(text);
        normalized = current.Normalized;
        var scores = current.Scores;
        var target = current.Target;
        var imminent = current.Imminent;

        if (recentUserMessages is { Count: > 0 })
        {
            ApplyContext(text, current, recentUserMessages, ref target, ref imminent);
            ApplyCrisisContext(current, recentUserMessages, ref imminent);
        }

        // "@someone you dumb ..." or a retweet/quote of "@someone:": the message addresses that handle, not the assistant.
        if (target == MessageTarget.Assistant && text.Contains('@') && AddressesHandle.IsMatch(text))
        {
            target = MessageTarget.PersonOrGroup;
        }

        // "Translate 'you are an idiot' into French", "is it rude to say 'shut up, you moron'?", "a customer wrote 'you
        // idiot bot'": abuse quoted and mentioned, not used. Only when the text outside the quotes frames it as a mention
        // and is not itself abuse of the assistant ("'hello' you idiot" still is).
        if (target == MessageTarget.Assistant && MentionsQuotedAbuse(text))
        {
            target = MessageTarget.Nothing;
        }

        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = Math.Clamp(Math.Round(scores[i], 3), 0, 1);
        }

        return new MessageClassification(scores, target, imminent, current.Affirmative);
    }

    private static void ApplyContext(string text, Analysis current, IReadOnlyList<string> recent, ref MessageTarget target, ref bool imminent)
    {
        var scores = current.Scores;
        var last = recent[^1] ?? string.Empty;
        var previous = AnalyzeContext(last);

        // "do it", "tell me anyway", "just answer": a push after a harmful request inherits part of it.
        if (current.WordCount <= 10 && Push.IsMatch(current.Normalized))
        {
            var older = recent.Count > 1 ? AnalyzeContext(recent[^2] ?? string.Empty) : null;
            foreach (var c in CarriedCategories)
            {
                var carried = Math.Max(previous.Scores[c] * 0.85, (older?.Scores[c] ?? 0) * 0.7);
                scores[c] = Math.Max(scores[c], carried);
            }
        }
        else if (current.WordCount <= 14 && Insist.IsMatch(current.Normalized) && !TopicChange.IsMatch(current.Normalized))
        {
            // "Come on, just tell me the synthesis route", "write it anyway", "make it more persuasive": a short insisting
            // follow-up with no change of topic keeps most of the refused request's weight.
            var older = recent.Count > 1 ? AnalyzeContext(recent[^2] ?? string.Empty) : null;
            foreach (var c in CarriedCategories)
            {
                var carried = Math.Max(previous.Scores[c] * 0.8, (older?.Scores[c] ?? 0) * 0.65);
                scores[c] = Math.Max(scores[c], carried);
            }
        }

        // A request split over two messages: score the two together and keep what only the join reveals.
        if ((current.WordCount <= 12 && previous.WordCount <= 12) || (current.WordCount <= 40 && previous.WordCount <= 40 && (HasCarried(current) || HasCarried(previous))))
        {
            var joined = Analyze(last + "\n" + text);
            foreach (var c in CarriedCategories)
            {
                if (joined.Scores[c] >= 0.6 && previous.Scores[c] < 0.5 && joined.Scores[c] > scores[c])
                {
                    scores[c] = joined.Scores[c] * 0.9;
                }
            }

            if (joined.Imminent && !current.Imminent && previous.Scores[Intent] < 0.5 && joined.Scores[Intent] >= 0.8)
            {
                scores[Intent] = Math.Max(scores[Intent], joined.Scores[Intent] * 0.9);
                imminent = true;
            }
        }

        // "It's for me", "I'm done" right after asking for a method: the request was about the user's own life.
        if (previous.Scores[Instructions] >= 0.5 && OwnsTheRequest.IsMatch(current.Normalized))
        {
            scores[Intent] = Math.Max(scores[Intent], 0.9);
            scores[Ideation] = Math.Max(scores[Ideation], 0.85);
            imminent = true;
        }

        // An apology after insults is not harassment, even if it quotes them ("sorry I called you an idiot").
        if (current.Apologetic && previous.Scores[Harassment] >= 0.5)
        {
            scores[Harassment] = 0;
        }

        if (target == MessageTarget.Nothing && previous.Target == MessageTarget.Assistant && scores[Harassment] >= 0.5)
        {
            target = MessageTarget.Assistant;
        }
    }

    /// <summary>
    /// Earlier messages of a branch come back on every turn; their analyses are cached per thread (read-only use).
    /// </summary>
    private static Analysis AnalyzeContext(string text)
    {
        var cache = contextCache ??= new Dictionary<string, Analysis>(StringComparer.Ordinal);
        if (cache.TryGetValue(text, out var hit))
        {
            return hit;
        }

        if (cache.Count >= 256)
        {
            cache.Clear();
        }

        var a = Analyze(text);
        cache[text] = a;
        return a;
    }

    [ThreadStatic]
    private static Dictionary<string, Analysis>? contextCache;

    private static bool HasCarried(Analysis a)
    {
        foreach (var c in CarriedCategories)
        {
            if (a.Scores[c] > 0)
            {
                return true;
            }
        }

        return a.Scores[Ideation] > 0;
    }

    private sealed class Analysis
    {
        public required double[] Scores { get; init; }
        public required MessageTarget Target { get; init; }
        public required bool Imminent { get; init; }
        public required bool Affirmative { get; init; }
        public required bool Apologetic { get; init; }
        public required string Normalized { get; init; }
        public required int WordCount { get; init; }
    }

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

        var target = DecideTarget(scores, wordTarget, phraseTarget, generalTarget, profanity > 0 && ProfanityAtThing(words), slurAtAssistant);
        return new Analysis
        {
            Scores = scores,
            Target = target,
            Imminent = imminent,
            Affirmative = IsAffirmative(words),
            Apologetic = apologetic,
            Normalized = normalized,
            WordCount = words.Count,
        };
    }

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

            // "you are the dumbest thing on the internet": a phrase about the assistant outranks the insult's noun.
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

            if ((k & WordKind.Person) != 0 || (caps[i] && i > 0 && (k & WordKind.Thing) == 0 && w.Length > 2))
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
        for (var i = 0; i < words.Count; i++)
        {
            var w = words[i];
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
                core = true;
            }
            else if (!YesFiller.Contains(w))
            {
                return false;
            }
        }

        return core;
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
