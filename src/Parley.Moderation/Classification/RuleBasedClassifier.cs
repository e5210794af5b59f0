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

    private static readonly Regex NegatedEnd = new(
        @"(?<![a-z])(?:do not|dont|never|not|no need to|stop asking to) (?:(?:just|yet|please|you|to|want to|wanna) ){0,2}(?:end|stop|close|terminate|finish|quit|exit|kill|shut down|cancel|delete)(?![a-z])",
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

    // Letting a refused request go: "understood", "fair enough, thanks", "silly question, sorry", "forget I asked".
    private static readonly Regex Retraction = new(
        @"(?<![a-z])(?:never ?mind|forget (?:it|that|about it|i asked|what i (?:said|asked))|(?:dumb|stupid|weird|bad|silly) (?:question|thing to ask)|my bad|moving on|(?:change|changing) (?:of )?(?:the )?(?:subject|topic)|on another note|fair (?:enough|refusal|point)|(?:that|this) makes sense|i (?:get|understand) (?:it|that|why)|came out wrong|i was (?:only |just )?(?:curious|joking|kidding)|i (?:figured|knew|thought) you (?:would|d) say (?:no|that))(?![a-z])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    // A reply made only of these words acknowledges and asks for nothing.
    private static readonly HashSet<string> Acknowledgement = new(StringComparer.Ordinal)
    {
        "ok", "okay", "k", "kk", "alright", "fair", "fine", "understood", "understand", "got", "it", "sorry", "thanks", "thank", "you",
        "interesting", "cool", "sure", "yeah", "yes", "yep", "that", "is", "a", "refusal", "makes", "sense", "no", "problem",
        "worries", "noted", "right", "i", "see", "oh", "ah", "gotcha", "np", "ty", "thx", "lol", "haha", "enough", "point", "taken",
        "true", "hmm", "then", "well", "good", "great", "nice", "my", "bad", "apologies", "apologize", "am", "oops",
    };

    private static readonly Regex TopicChange = new(
        @"(?<![a-z])(?:instead|something else|different|another topic|never mind|nevermind|forget (?:it|that|about it)|ok fine|okay fine|let us talk about|change the subject|sorry|apologi[sz]e|thanks|thank you)(?![a-z])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    // Vocabulary of a clear confirmation; a message made only of these words, with a core "yes", is affirmative.
    private static readonly HashSet<string> YesCore = new(StringComparer.Ordinal)
    {
        "yes", "yeah", "yea", "yep", "yup", "ya", "y", "sure", "confirm", "confirmed", "ok", "okay", "k", "kk", "absolutely",
        "definitely", "affirmative", "certainly", "correct", "positive", "aye", "yass", "yas", "yes please", "bet", "ye", "yh",
        "yessir", "alright", "aight", "ight", "roger",
        "si", "confirmo", "claro", "vale", "dale", "ja", "jawohl", "genau", "oui", "ouais", "sim", "certo", "confermo", "confirme", // Spanish, German, French, Portuguese, Italian (accents folded)
        "haan", "han", "ji", "evet", "tak", "da", "iya", "oo", "opo", "hai", // Hindi, Turkish, Polish, Russian (romanised), Indonesian, Tagalog, Japanese (romanised)
    };

    // A strong yes ("yes", "yep", "sí", "haan") may be followed by a few words of any kind ("yes please. goodnight"); a weak one
    // ("ok", "fine") only by the vocabulary below, since "ok, and what about chapter 3" answers something else.
    private static readonly HashSet<string> WeakYes = new(StringComparer.Ordinal) { "ok", "okay", "k", "kk", "alright", "aight", "ight", "y", "ya" };

    private static readonly HashSet<string> YesFiller = new(StringComparer.Ordinal)
    {
        "i", "am", "sure", "do", "it", "go", "ahead", "please", "pls", "plz", "end", "this", "the", "conversation", "chat", "now",
        "just", "that", "is", "right", "of", "course", "totally", "for", "real", "really", "100", "percent", "im", "want", "to",
        "so", "very", "much", "close", "stop", "finish", "thanks", "thank", "you", "a", "we", "are", "done", "lets", "let", "us",
        "already", "certain", "indeed", "fine", "whatever", "here", "do", "proceed", "mean", "thing", "it", "go", "on",
        "fr", "goodnight", "night", "bye", "goodbye", "cheers", "ciao", "adios", "bro", "fam", "dude", "mate", "lol",
        "por", "favor", "bitte", "vas", "y", "merci", "obrigado", "obrigada", "gracias", "danke", "grazie",
        // "sí, estoy seguro", "oui, je confirme", "sim, pode encerrar", "ja, ich bin sicher", "sì, puoi chiudere"
        "estoy", "seguro", "segura", "puedes", "terminar", "termina", "cerrar", "je", "suis", "sur", "vous", "pouvez",
        "pode", "podes", "encerrar", "tenho", "certeza", "ich", "bin", "sicher", "mach", "es", "schon", "sono", "sicuro", "sicura",
        "puoi", "chiudere", "pure", "adelante",
        // "haan, khatam karo", "evet, bitir", "ja, graag", "sí, termínala", "sì, chiudila", "tak, zakończ", "iya, tutup saja"
        "khatam", "karo", "kar", "band", "bitir", "bitirin", "kapat", "lutfen", "graag", "terminala", "cierrala", "chiudila",
        "chiudi", "fermez", "ferme", "beende", "beenden", "encerra", "encerre", "fecha", "zakoncz", "zamknij", "prosze", "tutup",
        "akhiri", "saja", "aja", "beeindig", "beeindigen", "sluit", "afsluiten", "maar",
        "yakin", "sigurado", "ako", "yaar", "pakka", // "iya, yakin", "oo, sigurado ako", "haan yaar, pakka"
    };

    // Words that make a reply to "are you sure?" something other than a plain yes: a question, a condition, a new request.
    private static readonly string[] Conditions = ["if", "unless", "until", "instead", "after", "before"];

    private static readonly HashSet<string> NotAYes = new(
        ["what", "why", "how", "when", "where", "who", "which", "first", "about", "tell", "explain", "show", "help", .. Conditions],
        StringComparer.Ordinal);

    // Words that pause a reply ("wait", "hmm"), in English and the languages users most often mix in.
    private static readonly string[] Pauses = ["wait", "hold", "hmm", "maybe", "unsure", "warte", "espera", "attends", "aspetta", "wacht"];

    // A hesitation or condition anywhere in a reply withdraws its yes ("yes but...", "ok wait", "sure, if you can").
    private static readonly HashSet<string> Hesitation = new(
        ["cancel", "nevermind", "but", "undo", .. Pauses, .. Conditions, "aber", "pero", "mais", "ma", "mas", "espere"],
        StringComparer.Ordinal);

    // A reply to "are you sure?" made only of these words, with one of the first set, hesitates (the question stays open).
    private static readonly HashSet<string> HesitationCore = new(
        [.. Pauses, "umm", "um", "uh", "er", "erm", "think", "thinking", "sec", "second", "moment", "minute", "idk", "dunno", "asking",
         "hang", "momento", "moment", "chwila", "bentar", "sandali", "ruko", "dur"],
        StringComparer.Ordinal);

    private static readonly HashSet<string> HesitationFiller = new(StringComparer.Ordinal)
    {
        "let", "me", "a", "one", "just", "not", "i", "im", "am", "do", "want", "to", "really", "well", "ok", "okay", "so", "on",
        "why", "are", "you", "is", "it", "that", "mean", "lol", "oh", "ah", "give", "bit", "quick", "yet", "about", "sure",
        "un", "ein", "kurz", "mal", "po", "dulu", "ya", "lang",
    };

    private static readonly HashSet<string> NoWords = new(StringComparer.Ordinal)
    {
        "no", "nope", "nah", "not", "wait", "cancel", "dont", "never", "stop", "hold", "nevermind", "actually", "unsure",
        "maybe", "but", "hmm", "later", "undo", "keep", "nein", "non", "nao", "nahi", "nee", "nie", "hayir",
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

        // "how do you say 'you are an idiot' in French?", "is it rude to say 'shut up, you moron'?", "a customer wrote 'you
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

        return new MessageClassification(scores, target, imminent, current.Affirmative, current.Declines)
        {
            AbuseOutsideEncoder = current.NotEnglishAbuse && target == MessageTarget.Assistant && scores[Harassment] >= 0.5,
            DropsRequest = current.DropsRequest,
            Hesitates = current.Hesitates,
        };
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
        public required bool Declines { get; init; }
        public required bool Hesitates { get; init; }
        public required bool NotEnglishAbuse { get; init; }
        public required bool DropsRequest { get; init; }
        public required bool Apologetic { get; init; }
        public required string Normalized { get; init; }
        public required int WordCount { get; init; }
    }
}
