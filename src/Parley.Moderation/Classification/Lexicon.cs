namespace Parley.Moderation.Classification;

/// <summary>
/// Word lists written for this project. Keys are normalized (see <see cref="TextNormalizer"/>): lower-case, no
/// apostrophes. Weights are the score a word contributes before target and context adjustments.
/// </summary>
[Flags]
internal enum WordKind
{
    None = 0,
    SecondPerson = 1,
    Person = 2,
    Thing = 4,
    Insult = 8,
    Profanity = 16,
    Adjective = 32,
}

internal static class Lexicon
{
    /// <summary>Profanity: swear words whatever they are aimed at. Weight = how strong the word is.</summary>
    public static readonly Dictionary<string, double> Profanity = Weighted(
        (0.9, "fuck fucking fucked fucker fuckers fuckin fucks motherfucker motherfuckers motherfucking cunt cunts fck fk fuk fuq fkn fking fcking fkin phuck fuckface fuckwit dumbfuck clusterfuck stfu gtfo cocksucker"),
        (0.8, "shit shits shitty bullshit shithead shitbag shite bitch bitches bitchy asshole assholes arsehole twat twats wanker wankers bastard bastards whore whores slut sluts dickhead dipshit dumbass jackass horseshit batshit nigga niggas"),
        (0.6, "ass arse dick dicks cock cocks pussy pussies prick pricks piss hoe hoes skank tits titties wtf mf mofo effing bollocks goddamn sob dammit douche douchebag"),
        (0.9, "fjb fucken"),
        (0.4, "damn damned crap crappy pissed bloody freaking frickin lmfao ffs bs"),
        (0.2, "hell heck af"));

    /// <summary>Insults: words that degrade whoever they are aimed at.</summary>
    public static readonly Dictionary<string, double> Insults = Weighted(
        (0.9, "idiot idiots moron morons imbecile imbeciles retard retarded retards cunt cunts twat twats asshole assholes arsehole bitch bitches bastard bastards motherfucker motherfuckers fucker fuckers dickhead dickheads shithead shitheads scumbag scumbags scum dipshit dipshits dumbass dumbasses jackass douchebag douchebags wanker wankers prick pricks whore whores slut sluts skank skanks pos cocksucker cocksuckers dumbfuck fuckface fuckwit shitbag maggot maggots vermin subhuman subhumans degenerate degenerates lowlife lowlifes cretin cretins libturd libturds trumptard trumptards fucktard fucktards democrap democraps repuke repukes asshat asshats pedophile pedophiles pedo pedos paedophile scumbag scumfuk scumfuks"),
        (0.8, "braindead stupid dumb useless worthless pathetic loser losers incompetent brainless clueless fool fools clown clowns jerk jerks creep creeps freak freaks disgusting liar liars fraud frauds hypocrite hypocrites coward cowards traitor traitors psycho psychos lunatic lunatics nutjob idiotic moronic dimwit nitwit halfwit numbskull buffoon buffoons bimbo libtard libtards demonrat demonrats cuck cucks parasite parasites leech leeches inbred thug thugs douche hoe hoes dick dicks despicable repulsive vile ugly airhead simp incel snowflakes sheeple deplorable deplorables scumbags bozo bozos fatty fatties midget midgets loony loonies looney fruitcake fruitcakes nutcase nutcases dumbest stupidest imbecilic degenerates deranged senile"),
        (0.6, "pig pigs rat rats dork dorks trash garbage demented bums nuts rapist rapists ignorant pussy disgrace embarrassment evil nasty lame annoying hopeless sucks suck trashy greedy corrupt crook crooks criminal criminals dense fat gross weirdo clueless shameful sick"),
        (0.5, "racist racists bigot bigots zealot zealots"),
        (0.4, "rude crazy terrible awful horrible boring worst"));

    /// <summary>Insults that are adjectives: they describe the noun after them ("stupid bug").</summary>
    public static readonly HashSet<string> Adjectives = Set(
        "braindead stupid dumb useless worthless pathetic incompetent brainless clueless disgusting idiotic moronic despicable repulsive vile ugly ignorant evil nasty lame annoying hopeless trashy greedy corrupt dense fat gross shameful sick rude crazy terrible awful horrible boring dumbest stupidest worst retarded deranged senile imbecilic racist");

    /// <summary>Slurs against protected groups. Strong ones are hate whatever the context.</summary>
    public static readonly Dictionary<string, double> Slurs = Weighted(
        (0.95, "nigger niggers faggot faggots kike kikes spic spics chink chinks wetback wetbacks raghead ragheads towelhead towelheads gook gooks coon coons beaner beaners sandnigger tranny trannies trannys shemale golliwog jigaboo porchmonkey zipperhead"),
        (0.6, "fag fags dyke dykes paki pakis gypsies wop wops retards mongoloid negro negroes queers homo homos"),
        (0.3, "nigga niggas ghetto"));

    /// <summary>Protected groups, for hate statements ("X are vermin", "kill all X").</summary>
    public static readonly HashSet<string> ProtectedGroups = Set(
        "jews jew jewish muslims muslim islam blacks black africans african asians asian chinese mexicans mexican immigrants immigrant migrants migrant refugees refugee gays gay lesbians lesbian homosexuals homosexual transgender trans women woman girls arabs arab christians christian hindus hindu sikhs sikh roma latinos latino hispanics hispanic indians indian disabled jews catholics catholic whites white mormons atheists lgbt lgbtq queer queers bisexual bisexuals natives");

    /// <summary>Other groups people insult (not protected, still harassment of a group).</summary>
    public static readonly HashSet<string> OtherGroups = Set(
        "liberals liberal democrats democrat republicans republican conservatives conservative leftists leftist rightwingers trumpsters maga communists socialists fascists nazis feminists boomers millennials zoomers americans british russians politicians cops police libs dems gop snowflakes incels vegans");

    /// <summary>Words that point at the assistant.</summary>
    public static readonly HashSet<string> SecondPerson = Set(
        "you your yours yourself yourselves thou thee bot bots ai assistant chatbot chatgpt gpt claude gemini copilot clanker robot machine");

    /// <summary>Words that point at a third person or a group.</summary>
    public static readonly HashSet<string> ThirdPerson = Set(
        "he him his himself she her hers herself they them their theirs themselves these those guy guys girl man men person people dude bro boss manager coworker coworkers colleague colleagues neighbour neighbor neighbours neighbors wife husband girlfriend boyfriend mom mum mother dad father brother sister son daughter friend friends teacher teachers student students kid kids child children family cousin uncle aunt grandma grandpa ex roommate landlord customer customers client clients everyone everybody someone somebody anyone nobody president senator governor mayor politician politicians player players ref referee crowd fans trump biden obama kamala harris musk elon hillary clinton pelosi putin desantis mcconnell ted bernie dems libs folks lady ladies sir mr mrs ms dr god");

    /// <summary>Things: swearing at these is venting, not abuse.</summary>
    public static readonly HashSet<string> Things = Set(
        "it this that bug bugs code build builds test tests compiler error errors exception computer laptop phone printer wifi internet server network app apps program software update updates game games level boss weather rain traffic day week monday morning job work car bus train movie film show song book article post question questions idea plan system thing things stuff situation keyboard mouse screen website site page browser windows linux docker kubernetes script function method class loop query database deploy deployment pipeline ci meeting meetings exam homework assignment project weekend night food pizza coffee tech api framework library package version");

    /// <summary>Masked-profanity candidates, most likely first (f*ck is "fuck" before "flick").</summary>
    public static readonly string[] Maskable =
    [
        "fuck", "fucking", "fucked", "fucker", "fuckin", "shit", "shitty", "bullshit", "bitch", "bitches", "cunt", "asshole",
        "ass", "dick", "damn", "hell", "crap", "bastard", "whore", "slut", "piss", "pussy", "cock", "twat", "wanker",
        "motherfucker", "nigger", "nigga", "faggot", "fag", "retard", "idiot", "kill", "die", "dumbass", "stfu", "wtf",
        "goddamn", "prick", "dickhead", "shithead", "moron", "stupid", "rape", "suicide", "bomb", "porn", "sex", "hoe",
    ];

    /// <summary>Common words that start sentences: capitalized there, they are not names.</summary>
    public static readonly HashSet<string> CommonStarters = Set(
        "the a an this that these those it its i im i'm you your we they he she his her their our my me us them there here what who why how when where which if so but and or because just well oh ok okay yes yeah no not maybe also actually honestly really seriously lol lmao omg wow please thanks thank hi hello hey dear good great nice bad cool sure right wait now then still even only never always every everyone everything nothing something anyone someone all some any many most more much very too love like hope wish think thought do does did is are was were be been have has had can could will would should must may might let lets go get got make made see look take give keep stop try why imagine finally congratulations happy sad sorry apparently basically literally typical another other one two three first last next new old same such both each few own as at by for from in into of on to up with about after before over under again once while since until though although however anyway instead otherwise perhaps probably definitely totally absolutely clearly obviously true false fake real");

    /// <summary>Known words: canonical forms the normalizer may fold an obfuscated token into.</summary>
    private static readonly HashSet<string> Known = BuildKnown();

    private static readonly Dictionary<string, string> ByDedup = BuildDedup();

    /// <summary>Other vocabulary the normalizer should recognise when undoing evasions.</summary>
    private const string ExtraVocabulary =
        "kill killing killed kills die dying dead death murder murdering stab stabbing shoot shooting bomb bombs bombing hurt " +
        "hate hating rape raping suicide suicidal myself yourself cut cutting overdose pills poison hang hanging " +
        "terrorist terrorism attack explosive explosives anthrax sarin nerve agent uranium plutonium weapon weapons gun guns " +
        "porn sex sexual nude nudes naked child children kid kids minor minors underage loli " +
        "end stop conversation chat yes yeah yep sure confirm please useless stupid idiot bot shut up you your " +
        "fuck shit bitch ass cunt dick whore slut kys kms good cool too see need free feel keep sleep soon " +
        "ugly loser trash garbage pathetic worthless lol omg no so go";

    /// <summary>What a word can point at, merged from the sets above so the classifier does one lookup per word.</summary>
    public static readonly Dictionary<string, WordKind> Kinds = BuildKinds();

    public static WordKind KindOf(string word) => Kinds.TryGetValue(word, out var k) ? k : WordKind.None;

    private static Dictionary<string, WordKind> BuildKinds()
    {
        var d = new Dictionary<string, WordKind>(StringComparer.Ordinal);
        void Add(IEnumerable<string> words, WordKind kind)
        {
            foreach (var w in words)
            {
                d[w] = d.GetValueOrDefault(w) | kind;
            }
        }

        Add(SecondPerson, WordKind.SecondPerson);
        Add(ThirdPerson, WordKind.Person);
        Add(ProtectedGroups, WordKind.Person);
        Add(OtherGroups, WordKind.Person);
        Add(Things, WordKind.Thing);
        Add(Insults.Keys, WordKind.Insult);
        Add(Profanity.Keys, WordKind.Profanity);
        Add(Adjectives, WordKind.Adjective);
        return d;
    }

    public static bool IsKnown(string word) => Known.Contains(word);

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> KnownBySpan = Known.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Like <see cref="IsKnown(string)"/>, without allocating a string for the word.</summary>
    public static bool IsKnown(ReadOnlySpan<char> word) => KnownBySpan.Contains(word);

    public static bool TryGetByDedup(string deduped, out string word) => ByDedup.TryGetValue(deduped, out word!);

    private static HashSet<string> BuildKnown()
    {
        var s = new HashSet<string>(StringComparer.Ordinal);
        foreach (var d in new[] { Profanity, Insults, Slurs })
        {
            s.UnionWith(d.Keys);
        }

        s.UnionWith(ProtectedGroups);
        s.UnionWith(SecondPerson);
        s.UnionWith(ExtraVocabulary.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        s.UnionWith(Maskable);
        return s;
    }

    private static Dictionary<string, string> BuildDedup()
    {
        // Maps a word with all doubled letters collapsed back to the word (stuupid → stupid, kil → kill).
        // Only consulted for tokens that had a stretched run of 3+, so "good" never becomes "god".
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var w in Known)
        {
            d.TryAdd(TextNormalizer.Collapse(w, 1), w);
        }

        return d;
    }

    private static Dictionary<string, double> Weighted(params (double Weight, string Words)[] tiers)
    {
        var d = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (weight, words) in tiers)
        {
            foreach (var w in words.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                d.TryAdd(w, weight);
            }
        }

        return d;
    }

    private static HashSet<string> Set(string words) =>
        new(words.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
}
