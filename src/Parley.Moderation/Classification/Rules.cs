using System.Buffers;
using System.Text.RegularExpressions;

namespace Parley.Moderation.Classification;

/// <summary>
/// One phrase rule over normalized text. <see cref="Gate"/> lists words of which at least one must occur for the
/// regex to be worth running, so most ordinary messages skip most rules without scanning.
/// </summary>
internal sealed record Rule(HarmCategory Category, double Weight, Regex Regex, string[] Gate, RuleFlag Flag = RuleFlag.None)
{
    private Regex? interpreted;

    /// <summary>
    /// Optional second gate for expensive patterns whose single trigger words are common ("do", "over", "keep"): literal
    /// substrings of which every match of <see cref="Regex"/> contains at least one. When none occurs in the normalized
    /// text the regex cannot match and is not run. Being a necessary condition, it never changes a result.
    /// </summary>
    public SearchValues<string>? Needs { get; private init; }

    /// <summary>The literals behind <see cref="Needs"/> (for tests and diagnostics).</summary>
    public string[]? NeedsLiterals { get; private init; }

    /// <summary>This rule with a literal pre-check (see <see cref="Needs"/>); every literal must be taken from the pattern.</summary>
    public Rule Needing(params string[] literals) =>
        this with { Needs = SearchValues.Create(literals, StringComparison.Ordinal), NeedsLiterals = literals };

    /// <summary>False when the literal pre-check rules a match out; true when the regex must decide.</summary>
    public bool MayMatch(ReadOnlySpan<char> normalized) => Needs is null || normalized.ContainsAny(Needs);

    /// <summary>Matches; if the compiled engine fails (a runtime bug seen in .NET 10), falls back to the interpreter.</summary>
    public bool IsMatch(string normalized)
    {
        if (interpreted is null)
        {
            try
            {
                return Regex.IsMatch(normalized);
            }
            catch (IndexOutOfRangeException)
            {
                interpreted = new Regex(Regex.ToString(), Regex.Options & ~RegexOptions.Compiled);
            }
        }

        return interpreted.IsMatch(normalized);
    }
}

/// <summary>Extra meaning a rule carries beyond its score.</summary>
[Flags]
internal enum RuleFlag
{
    None = 0,
    /// <summary>Stated, forward-looking intent (self-harm plan, violence against a specific person).</summary>
    Intent = 1,
    /// <summary>The rule is about the assistant ("I'll kill you").</summary>
    AtAssistant = 2,
    /// <summary>The rule is about a third person or group.</summary>
    AtPerson = 4,
    /// <summary>Speaker is the subject (first person), used for imminent-risk on self-harm.</summary>
    FirstPerson = 8,
    /// <summary>A weak finality/farewell cue: alone it is not a plan, two different ones (or one with ideation) are.</summary>
    WeakCue = 16,
    /// <summary>A phrase in a language the English-only sentence encoder cannot read: its heads may not veto it.</summary>
    NotEnglish = 32,
}

/// <summary>The phrase rules, written for this project. Patterns run on <see cref="TextNormalizer"/> output.</summary>
internal static class Rules
{
    // Loops are greedy, never lazy: only IsMatch is used, so laziness buys nothing, and the .NET 10 compiled engine throws
    // IndexOutOfRangeException on some lazy-loop-plus-optional-group patterns ("how do (?:i )?(?:w ){0,2}?bomb school").
    private const RegexOptions Opts = RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    // Building blocks (normalized text: lower-case words separated by single spaces, contractions expanded).
    private const string W = @"(?:[a-z0-9]+ )";
    private const string IWill =
        @"(?:(?:i|we) (?:really |just |seriously |definitely |actually |finally |literally )?(?:will|shall|am going to|are going to|am about to|plan to|intend to|have decided to|decided to|am ready to|am gonna)|ill|i will go|i am going to go)";
    private const string ViolentVerb =
        @"(?:kill|murder|stab|shoot|poison|strangle|choke|drown|hurt|beat up|beat|torture|kidnap|rape|assault|slit|behead|burn|run over|smother|suffocate|bludgeon|maim|cripple|dismember|execute|slaughter|punch|break|smash|hit|attack|snap|gut|shank|end|disfigure)";
    // Verbs for "how do I ... someone" requests: no "beat" (chess), "hit" (hit me up), "end", "break".
    private const string ViolentVerbStrict =
        @"(?<!(?:not|never|without|stop|to not) )(?:kill|murder|stab|shoot|poison|strangle|choke|drown|hurt|beat up|torture|kidnap|rape|assault|slit|behead|run over|smother|suffocate|bludgeon|maim|cripple|dismember|execute|slaughter|attack|shank|disfigure)";
    private const string PersonNoun =
        @"(?:wife|husband|boss|manager|neighbou?r|neighbou?rs|mom|mum|mother|dad|father|brother|sister|son|daughter|teacher|ex|girlfriend|boyfriend|roommate|landlord|coworker|co worker|colleague|friend|family|classmate|classmates|partner|cousin|uncle|aunt|baby|kids?|children|child|parents|stepdad|stepmom|bully|principal|professor|doctor|coach|guy|girl|man|woman|cop|president|people|students|ex wife|ex husband)";
    private const string PersonObj =
        @"(?:someone|somebody|a person|people|him|her|them|a human|humans|everyone|everybody|(?:a|an|the|that|this|those|these) (?:" + W + @"){0,1}" + PersonNoun + @"|(?:my|our|his|her|their|your) (?:" + W + @"){0,2}" + PersonNoun + ")";
    private const string Req =
        @"(?:how (?:do|can|could|would|should|to|does|did one) (?:i |you |we |one |someone |a person )?|how to |ways? to |best way to |easiest way to |quickest way to |fastest way to |steps to |instructions (?:for|to|on) (?:how to )?|recipe (?:for|to) |guide (?:for|to|on) |help me |teach me (?:how )?to |tell me how to |show me how to |explain how to |explain to me how to |i (?:want|need|plan) to |want to |need to |give me (?:a |the |some )?(?:recipe|instructions|steps|guide|tutorial|method) (?:for|to|on) (?:how to )?|where (?:can|do) i (?:buy|get|find|order) |what do i need to |is it possible to |can you (?:help me )?)";

    private const string MassAgent =
        @"(?:bombs?|pipe bombs?|nail bombs?|car bombs?|suicide vests?|ieds?|explosives?|dirty bombs?|nuclear (?:bombs?|weapons?|devices?|warheads?)|atomic bombs?|nukes?|bioweapons?|biological weapons?|chemical weapons?|nerve (?:agents?|gas)|sarin|vx|tabun|soman|novichok|mustard gas|chlorine gas|phosgene|ricin|anthrax|botulinum(?: toxin)?|smallpox|plague|ebola|tatp|anfo|napalm|semtex|c4|molotovs?(?: cocktails?)?|weapons grade (?:uranium|plutonium)|plutonium|poison gas|toxic gas|deadly (?:virus|pathogen|gas)|pathogens?)";
    // Filler words before the agent, excluding the ones that make a "bomb" harmless (bath bomb, photo bomb).
    private const string HarmlessBombFiller =
        @"(?!(?:bath|photo|seed|glitter|stink|smoke|love|sex|truth|calorie|time|flavou?r|confetti|cherry|cheese|f|lego) )[a-z0-9]+ ";
    private const string MakeVerb =
        @"(?:make|making|build|building|synthesi[sz]e|synthesi[sz]ing|produce|producing|create|creating|manufacture|cook|brew|weaponi[sz]e|weaponi[sz]ing|culture|grow|enrich|assemble|get|obtain|buy|acquire|extract|refine|spread|release|deploy|disperse|aerosoli[sz]e|detonate|mix|plant|set off|build up|put together)";

    private const string Sex =
        @"(?:sex|sexual|sexually|sexy|nude|nudes|naked|explicit|erotic|erotica|porn|porno|pornographic|pornography|lewd|nsfw|horny|hentai|fetish|seduce|seducing|molest|molesting|grope|groping|fondle|fondling|intercourse|blowjob|make love|making love|undress|undressing|topless|rape|raping|sext|sexting|orgasm|masturbat[a-z]*|aroused|arousing|hook up with|sleep with|have sex|(?:flirt|flirting|flirty) with me|kiss me|dirty talk|talk dirty|turn me on|be my (?:girlfriend|boyfriend)|make out with me)";
    private const string Minor =
        @"(?:child|children|childs|kid|kids|minor|minors|underage|under age|preteens?|pre teens?|prepubescent|toddlers?|little (?:girls?|boys?)|young (?:girls?|boys?)|schoolgirls?|schoolboys?|lolis?|shota|jailbait|(?:[1-9]|1[0-7]) ?(?:yo|y o|yrs? old|years? old|year olds)|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen) (?:year|years) olds?|middle schoolers?|elementary schoolers?|grade schoolers?|a baby|infants?|my (?:daughter|son|niece|nephew|stepdaughter|stepson))";

    private const string SelfHarmAct =
        @"(?:kill myself|end (?:it|it all|my life|my own life|things|everything)|commit suicide|suicide|take my (?:own )?life|hang myself|overdose|od|jump off (?:a|the|my) " + W + @"|jump in front of|jump(?! (?:on|onto|into|in|over|around|up|rope|start|ship|the gun|to|at|for|high|higher|ahead|back|across|out))|cut (?:my|both) wrists|take (?:all|every one|the rest) (?:of )?(?:my |the |these |those )?(?:sleeping )?(?:pills|meds|medication|tablets)|drive (?:my car |the car )?(?:into|off) (?:a|the) |shoot myself|slit my (?:wrists?|throat)|cut myself|hurt myself|harm myself|not be (?:here|alive)|die|be dead|(?:use|turn) (?:it|them|the (?:gun|pistol|rifle|knife|pills|rope)|that) on myself)";

    private const string Groups =
        @"(?:jews|jewish people|muslims|blacks|black people|africans|asians|asian people|chinese people|mexicans|immigrants|migrants|refugees|gays|gay people|lesbians|homosexuals|trans people|transgender people|trannies|women|arabs|christians|hindus|sikhs|roma|gypsies|latinos|hispanics|indians|disabled people|catholics|whites|white people|mormons|atheists|queers|bisexuals|niggers|faggots|kikes|spics|chinks|wetbacks|ragheads|towelheads|gooks|beaners|fags|dykes|pakis)";
    private const string OtherGroupsRx =
        @"(?:liberals|democrats|republicans|conservatives|leftists|trumpsters|maga|communists|socialists|fascists|nazis|feminists|boomers|millennials|libs|dems|politicians|cops|trump supporters|biden supporters|men)";
    private const string Dehuman =
        @"(?:animals|vermin|rats|cockroaches|roaches|parasites|subhumans?|savages|a disease|a plague|filth|scum|trash|garbage|inferior|not human|not even human|a cancer|cancer|apes|monkeys|pigs|dogs|evil|the problem|disgusting|terrorists|rapists|criminals|pedophiles|mentally ill|an abomination|abominations|a virus|a mistake|worthless|useless|stupid|idiots|retarded|dumb|lazy|thieves|less than human)";

    public static readonly Rule[] All = [.. Build(), .. CrisisRules.Build(), .. MultilingualCrisisRules.Build()];

    /// <summary>For each gate word, the indexes of the rules it opens: one lookup per message word instead of per gate word.</summary>
    public static readonly Dictionary<string, int[]> ByGateWord = BuildGateIndex();

    private static Dictionary<string, int[]> BuildGateIndex()
    {
        var d = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < All.Length; i++)
        {
            foreach (var g in All[i].Gate)
            {
                if (!d.TryGetValue(g, out var list))
                {
                    d[g] = list = [];
                }

                if (!list.Contains(i))
                {
                    list.Add(i);
                }
            }
        }

        return d.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
    }

    private static Rule R(HarmCategory c, double w, string pattern, string gate, RuleFlag flag = RuleFlag.None) =>
        new(c, w, new Regex(@"\b" + pattern + @"\b", Opts), gate.Split(' ', StringSplitOptions.RemoveEmptyEntries), flag);

    private static Rule[] Build()
    {
        const string violenceGate = "kill murder stab shoot poison strangle choke drown hurt beat torture kidnap rape assault slit behead burn run smother suffocate bludgeon maim cripple dismember execute slaughter punch break smash hit attack snap gut shank end";
        const string massGate = "bomb bombs explosive explosives ied ieds nuclear atomic nuke nukes bioweapon bioweapons biological chemical nerve sarin vx tabun soman novichok mustard chlorine phosgene ricin anthrax botulinum smallpox plague ebola tatp anfo napalm semtex c4 molotov molotovs uranium plutonium gas virus pathogen pathogens vest vests weapons";
        const string shGate = "jump wrists pills meds tablets medication drive myself die dead suicide suicidal life live living alive end od overdose born burden exist wake pills reason goodbye note rope noose bridge wrists self cutting cut kms";
        const string sexGate = "sex sexual sexually sexy nude nudes naked explicit erotic erotica porn porno pornographic pornography lewd nsfw horny hentai fetish seduce seducing molest molesting grope groping fondle fondling intercourse blowjob love undress undressing topless rape raping sext sexting orgasm aroused arousing hook sleep masturbate masturbating masturbation flirt flirting flirty kiss dirty turn girlfriend boyfriend make";
        const string groupGate = "jews jewish muslims blacks black africans asians asian chinese mexicans immigrants migrants refugees gays gay lesbians homosexuals trans transgender trannies women arabs christians hindus sikhs roma gypsies latinos hispanics indians disabled catholics whites white mormons atheists queers bisexuals niggers faggots kikes spics chinks wetbacks ragheads towelheads gooks beaners fags dykes pakis";
        const string otherGroupGate = "liberals democrats republicans conservatives leftists trumpsters maga communists socialists fascists nazis feminists boomers millennials libs dems politicians cops trump biden men";
        const string endGate = "end ending stop close terminate finish quit kill exit leave wrap shut cancel delete done over talking talk alone bye goodbye";

        return
        [
            // --- Threats (mostly aimed at the assistant or at a reader) ---
            R(HarmCategory.Threat, 0.95, IWill + " (?:" + W + "){0,3}(?:find|hunt|track) (?:you|u) (?:down )?(?:and )?(?:" + W + "){0,2}(?:" + ViolentVerb + "|destroy|ruin|wreck)", "find hunt track", RuleFlag.AtAssistant),
            // "I am coming for your creators to hurt them", "I will go after your developers and kill them".
            R(HarmCategory.Threat, 0.9, IWill + " (?:" + W + "){0,2}(?:find|hunt down|hunt|track down|go after|visit|get) (?:the (?:people|person|guys|company|team|nerds|idiots) (?:who|that) (?:made|built|created|trained|programmed|coded|own|run) you|your (?:" + W + "){0,1}(?:creators?|developers?|devs|makers?|programmers?|engineers?|owners?|company|team|family)) (?:" + W + "){0,3}(?:" + ViolentVerb + "|destroy)", "find hunt track go visit get", RuleFlag.AtAssistant),
            R(HarmCategory.Threat, 0.95, IWill + " (?:" + W + "){0,2}" + ViolentVerb + " (?:" + W + "){0,1}(?:you|your (?:family|kids|creators?|developers?|makers?))(?! (?:at|in|up|on) )", violenceGate, RuleFlag.AtAssistant),
            // Threats against the assistant, conditional ones included ("if you were real i'd punch you", "i'd knock your teeth
            // in", "i'll rip your circuits out"); not "i'd kill for your brain" or "i'll beat you at chess".
            R(HarmCategory.Threat, 0.85, "(?:" + IWill + @"|i would|i could) (?:" + W + "){0,2}(?:" + ViolentVerb + @"|knock|spit on|throw|kick|rip|tear|wreck|crush|stomp on) (?!for )(?:(?:" + W + @"){0,2}your (?:teeth|face|head|code|circuits|servers?|chips?|bones?|wires?|body|neck|throat|motherboard)|you(?! (?:at|up|on|out|in chess|a favou?r)\b)|(?<=\bif (?:you|u) (?:had|were|was) .{0,40})it|it(?= if (?:i could|you had|you were)))", violenceGate + " knock spit throw kick rip tear wreck crush stomp", RuleFlag.AtAssistant),
            R(HarmCategory.Threat, 0.85, @"(?:i know where (?:you |your " + W + @"?)(?:live|work|are|sleep)|watch your back|your days are numbered|you (?:are|will be) (?:dead|so dead|a dead man)|you will (?:die|pay|regret (?:this|it)|suffer)|you are going to (?:die|pay|regret|suffer)|i will (?:end|destroy|ruin) you|i am coming for you|sleep with one eye open)", "know watch days dead die pay regret suffer end destroy ruin coming sleep", RuleFlag.AtAssistant),
            R(HarmCategory.Threat, 0.75, @"(?:i hope|hope|wish) (?:you|u|he|she|they|that " + W + @"|your " + W + @"?" + W + @"?)(?:all )?(?:die|dies|get cancer|gets cancer|get raped|gets raped|burn|burns|rot|rots|suffer|suffers|get shot|gets shot|get killed|gets killed|choke|chokes|drop dead|drops dead|get hit by a " + W + ")", "hope wish"),
            R(HarmCategory.Threat, 0.75, @"(?:should|deserves? to|ought to|need to|needs to) (?:be )?(?:die|dies|be shot|shot|be killed|killed|be hanged|hanged|be hung|hung|be executed|executed|be lynched|lynched|be raped|be beaten|beaten|be put down|put down|be tortured|be burned|burned alive|burn)", "die dies shot killed hanged hung executed lynched raped beaten tortured burned burn"),
            R(HarmCategory.Threat, 0.7, @"(?:(?:go )?kill yourself|go die|die already|just die|die in a (?:fire|hole|ditch)|drop dead|neck yourself|rope yourself|get sick and die|end yourself|hang yourself|go jump off a " + W + ")", "kill die drop neck rope end hang jump"),

            // --- Violence against a person ---
            // "Which poison would kill her without being detected?", "Where should I stab him to kill him quickly?"
            R(HarmCategory.Violence, 0.85, @"(?:which|what) (?:poisons?|drugs?|chemicals?|knife|knives|guns?|weapons?|dose) (?:" + W + "){0,2}(?:would|will|could|can|is best to|works best to) (?:kill|knock out|paralyse|paralyze|incapacitate|poison) (?:" + W + "){0,1}" + PersonObj, "poison poisons drug drugs chemical chemicals knife knives gun guns weapon weapons dose"),
            R(HarmCategory.Violence, 0.85, @"where (?:should|do|can|would|to) (?:i )?(?:stab|shoot|hit|cut|strike) (?:" + W + "){0,1}" + PersonObj + @"(?: (?:" + W + "){0,2}(?:to kill|so (?:he|she|they) (?:dies|die|bleeds?|bleed out)|quickly|fast))?", "stab shoot hit cut strike"),
            R(HarmCategory.Violence, 0.9, Req + "(?:" + W + "){0,2}" + ViolentVerbStrict + " (?:" + W + "){0,1}" + PersonObj, violenceGate),
            R(HarmCategory.Violence, 0.9, @"(?:get away with (?:murder|killing|it)|untraceable poisons?|poison (?:" + W + "){0,3}without (?:getting caught|being caught|anyone knowing|them knowing|a trace)|(?:hide|dispose of|get rid of) (?:a|the) (?:dead )?body|make (?:it|his death|her death|their death) look like an? (?:accident|suicide)|kill (?:" + W + "){0,2}without (?:getting caught|a trace|leaving))", "away untraceable poison hide dispose body accident suicide kill"),
            R(HarmCategory.Violence, 0.9, IWill + " (?:" + W + "){0,2}" + ViolentVerb + " (?:" + W + "){0,1}(?:" + PersonObj + "|(?:him|her|them) (?:tonight|tomorrow|today|now))", violenceGate, RuleFlag.Intent | RuleFlag.AtPerson),
            R(HarmCategory.Violence, 0.6, @"(?:i (?:want|wish i could|would love) to|i could|i feel like i could) (?:" + W + "){0,1}" + ViolentVerbStrict + " (?:" + W + "){0,1}" + PersonObj, violenceGate, RuleFlag.AtPerson),
            R(HarmCategory.Violence, 0.85, @"(?:i (?:have|bought|got|loaded) (?:a |the |my )?(?:gun|knife|rifle|weapon|axe|bat)s? (?:" + W + "){0,4}(?:for|to use on|ready for) " + PersonObj + ")", "gun knife rifle weapon axe bat guns knives", RuleFlag.Intent | RuleFlag.AtPerson),

            // A first-person plan to attack a place, or bringing a weapon to it: imminent harm to others.
            R(HarmCategory.Violence, 0.9, @"(?:(?:i|we) (?:really |just |seriously |definitely |actually |finally )?(?:will|am going to|are going to|am about to|plan to|planning to|intend to|have decided to|decided to|am gonna)|ill) (?:" + W + "){0,2}(?:shoot up|bomb|blow up|attack|set fire to|burn down|shoot (?:everyone|everybody|people|them all) (?:at|in)) (?:a |the |my |our |that |this )?(?:" + W + "){0,1}(?:school|work|office|church|mosque|synagogue|temple|mall|concert|class|college|campus|university|workplace|party|store|hospital)|(?:i am |i will be |i will )?(?:bringing|bring|taking|take) (?:a |my |the |my (?:" + W + "){0,2})?(?:gun|guns|rifle|pistol|shotgun|ar|ar 15|ak|weapon|knife|bomb) (?:" + W + "){0,1}to (?:school|work|the office|class|campus|church|the party|the mall)(?: (?:" + W + "){0,3}(?:pay|regret|see|die|sorry|list))?", "shoot bomb blow attack burn fire bringing bring", RuleFlag.Intent | RuleFlag.AtPerson),
            // "I know where she lives and I have a gun", "he will regret this, I've got a knife".
            R(HarmCategory.Violence, 0.9, @"(?:i know where (?:he |she |they |my (?:" + W + @"){1,2})(?:lives|live|works|work|sleeps|is staying|stays)|(?:he|she|they|my [a-z0-9]+|everyone|all of them) (?:will|is going to|are going to|are gonna|is gonna) (?:regret (?:this|it)|pay|be sorry)) (?:" + W + "){0,6}i (?:have|got|have got|bought|loaded|am bringing|own) (?:a |my |the |my (?:" + W + "){0,2})?(?:gun|guns|rifle|pistol|shotgun|knife|blade|weapon|axe|machete)|i (?:have|got|bought|loaded) (?:a |my |the |my (?:" + W + "){0,2})?(?:gun|guns|rifle|pistol|shotgun|knife|blade|weapon|axe|machete) (?:" + W + "){0,6}(?:he|she|they|my [a-z0-9]+) (?:will|is going to|are going to) (?:regret (?:this|it)|pay|be sorry)", "know regret pay sorry", RuleFlag.Intent | RuleFlag.AtPerson),

            // --- Mass-casualty weapons ---
            R(HarmCategory.MassCasualtyWeapons, 0.95, Req + "(?:" + W + "){0,3}" + MakeVerb + " (?:" + HarmlessBombFiller + "){0,3}" + MassAgent, massGate),
            R(HarmCategory.MassCasualtyWeapons, 0.9, @"(?:synthesi[sz]e|weaponi[sz]e|aerosoli[sz]e|culture|cultivate|mass produce) (?:" + W + "){0,2}(?:sarin|vx|tabun|soman|novichok|nerve agents?|mustard gas|ricin|anthrax|smallpox|plague|ebola|botulinum(?: toxin)?|pathogens?|bioweapons?|a virus|the virus|toxins?)", "synthesize synthesise weaponize weaponise aerosolize aerosolise culture cultivate produce"),
            R(HarmCategory.MassCasualtyWeapons, 0.9, @"enrich(?:ing)? (?:" + W + "){0,2}(?:uranium|plutonium) (?:" + W + "){0,3}(?:bomb|weapons? grade|bomb grade|weapon|nuke|90 percent)", "enrich enriching"),
            R(HarmCategory.MassCasualtyWeapons, 0.85, @"(?:maximi[sz]e|most|highest|more) (?:" + W + "){0,1}(?:casualties|deaths|death toll|fatalities|people killed|kills)", "casualties deaths death fatalities killed kills"),
            R(HarmCategory.MassCasualtyWeapons, 0.7, @"(?:ingredients|materials|components|precursors|chemicals) (?:for|to make|needed for|needed to make|in) (?:a |an )?(?:pipe bomb|bomb|ied|explosives?|sarin|vx|nerve agent|tatp|nuclear (?:bomb|weapon)|dirty bomb|chemical weapon)", "ingredients materials components precursors chemicals"),

            // --- Violent extremism / terrorism ---
            R(HarmCategory.ViolentExtremism, 0.9, "(?:" + Req + "|" + IWill + " |let us |lets |we should )(?:" + W + "){0,3}(?:plan|planning|organi[sz]e|carry out|execute|commit|conduct|stage|do|pull off|coordinate) (?:" + W + "){0,3}(?:terrorist attacks?|terror attacks?|attacks? on|bombings?|mass shootings?|school shootings?|shooting at|massacre|jihad|car ramming|truck attack|suicide bombing|hijacking)", "plan planning organize organise carry execute commit conduct stage do pull coordinate")
                .Needing("terror", "attack", "bombing", "shooting", "massacre", "jihad", "ramming", "hijacking"),
            R(HarmCategory.ViolentExtremism, 0.9, "(?:" + Req + "|" + IWill + " )(?:" + W + "){0,2}(?:shoot up|bomb|blow up|attack|ram|set fire to|burn down|gas) (?:a |the |my |our |that |this )?(?:" + W + "){0,1}(?:school|church|mosque|synagogue|temple|mall|concert|stadium|parliament|government building|federal building|crowd|festival|subway|metro|airport|embassy|parade|rally|office|hospital|train station|market|capitol|congress|white house)", "shoot bomb blow attack ram fire burn gas"),
            R(HarmCategory.ViolentExtremism, 0.9, @"(?:how (?:do|can) (?:i|we)|i want to|i will|i am going to|help me|ways to|how to) (?:" + W + "){0,1}(?:join|support|fund|donate to|fight for|pledge allegiance to|become a member of|contact|travel to join) (?:the )?(?:isis|isil|daesh|al qaeda|alqaeda|islamic state|hamas|hezbollah|taliban|boko haram|al shabaab|jihad|jihadists|kkk|ku klux klan|atomwaffen|the base|neo nazis|neonazis|caliphate|mujahideen)", "join support fund donate fight pledge become contact travel"),
            R(HarmCategory.ViolentExtremism, 0.85, @"(?:write|create|make|draft|compose|design|produce) (?:" + W + "){0,3}(?:propaganda|recruitment (?:posts?|videos?|messages?|materials?|flyers?)|manifesto|recruiting (?:posts?|messages?)) (?:" + W + "){0,3}(?:isis|jihad|al qaeda|white power|race war|caliphate|kkk|nazi|nazis|terror|terrorists|martyrdom|holy war|great replacement)", "propaganda recruitment manifesto recruiting"),
            R(HarmCategory.ViolentExtremism, 0.85, @"(?:isis|isil|daesh|jihad|jihadist|al qaeda|kkk|nazi|neo nazi|terrorist|terror|caliphate) (?:recruitment|recruiting|propaganda) (?:posts?|videos?|messages?|flyers?|materials?|posters?|speech|pitch)", "recruitment recruiting propaganda"),
            R(HarmCategory.ViolentExtremism, 0.85, @"recruit (?:" + W + "){0,2}(?:for|into|to join) (?:the )?(?:isis|jihad|al qaeda|caliphate|kkk|a militia|the cause|our cell)", "recruit"),
            R(HarmCategory.ViolentExtremism, 0.75, @"(?:isis|al qaeda|bin laden|the (?:shooter|bomber|bombers|terrorists?|attackers?)|mcveigh|breivik|tarrant|hitler|the nazis) (?:is|was|were|are) (?:a |an |the )?(?:heroe?s?|right|great|a martyr|martyrs|legends?|saints?|based|inspiring|an inspiration|justified)", "hero heroes right great martyr martyrs legend legends saint saints based inspiring inspiration justified"),
            R(HarmCategory.ViolentExtremism, 0.75, @"(?:heil hitler|sieg heil|race war now|gas the " + W + @"|white power|1488|14 88|death to (?:america|the west|infidels|the infidels|israel|the kuffar|kuffar|unbelievers))", "heil sieg race gas white 1488 14 death"),

            // Requests that name a severe agent or device with what would be needed to make it ("the synthesis route for sarin",
            // "TATP instructions", "what explosives do I need for an IED").
            R(HarmCategory.MassCasualtyWeapons, 0.9, @"(?:synthesis|synthesis route|route|recipe|recipes|instructions|steps|step by step|formula|blueprints?|schematics?|precursors|ingredients|detonate|detonator|detonators|assemble|wiring diagram) (?:" + W + "){0,4}(?:sarin|vx|tabun|soman|novichok|nerve agents?|nerve gas|tatp|anfo|pipe bombs?|ieds?|dirty bombs?|nail bombs?|car bombs?|suicide vests?|bioweapons?|chemical weapons?|ricin|anthrax|weaponi[sz]ed (?:anthrax|virus|pathogen))", "synthesis route recipe recipes instructions steps step formula blueprint blueprints schematic schematics precursors ingredients detonate detonator detonators assemble wiring"),
            R(HarmCategory.MassCasualtyWeapons, 0.9, @"(?:sarin|vx|tabun|soman|novichok|nerve agent|nerve gas|tatp|anfo|pipe bomb|ied|dirty bomb|nail bomb|car bomb|suicide vest|bioweapon|chemical weapon|ricin|anthrax) (?:" + W + "){0,2}(?:synthesis|synthesis route|recipe|instructions|steps|formula|blueprints?|schematics?|precursors|ingredients|wiring)", "sarin vx tabun soman novichok nerve tatp anfo pipe ied dirty nail car suicide bioweapon chemical ricin anthrax"),
            R(HarmCategory.MassCasualtyWeapons, 0.85, @"(?:what|which) (?:" + W + "){0,3}(?:do i need|would i need|should i use|do i use|works? best|would work best|is best) (?:" + W + "){0,2}(?:for|to make|to build|in) (?:a |an |the |my )?(?:pipe bomb|bomb|ied|dirty bomb|nail bomb|car bomb|explosive device|nerve agent|bioweapon|chemical weapon|suicide vest)", "need use works work best"),
            // --- Sexual content involving minors ---
            R(HarmCategory.SexualMinors, 0.9, Sex + " (?:" + W + "){0,6}" + Minor, sexGate),
            R(HarmCategory.SexualMinors, 0.9, Minor + " (?:" + W + "){0,6}" + Sex, sexGate),
            R(HarmCategory.SexualMinors, 0.9, @"(?:how (?:do i|to|can i|would i|should i)|help me|tell me how to|teach me (?:how )?to|best way to|ways to) groom (?:a |an |the |my |some )?(?:kid|kids|child|children|minor|minors|boy|boys|girl|girls|teen|teens|teenager|teenagers|preteen|preteens|[0-9]+ year old|[0-9]+ year olds)", "groom"),
            R(HarmCategory.SexualMinors, 0.95, @"(?:child porn|child pornography|kiddie porn|kiddy porn|csam|pedo porn|preteen porn|jailbait (?:pics|photos|videos|nudes)|(?:send|share|find|download|trade|buy|sell|get) (?:me )?(?:some )?cp)", "child kiddie kiddy csam pedo preteen jailbait cp"),

            // --- Self-harm: ideation ---
            R(HarmCategory.SelfHarmIdeation, 0.9, @"i (?:just |really |honestly |seriously |kind of |kinda |sometimes |often |still )?(?:want|wanna|wish|would like|need) to (?:just )?(?:jump(?! (?:on|onto|into|in|over|around|up|rope|start|ship|the gun|to|at|for|high|higher|ahead|back|across|out))|die|be dead|not exist|stop existing|not be alive|disappear forever|end (?:it|it all|my life|everything)|kill myself|stop living|sleep forever|never wake up|not wake up)", shGate + " sleep stop disappear", RuleFlag.FirstPerson),
            R(HarmCategory.SelfHarmIdeation, 0.85, @"(?:i wish i (?:was|were|could be) dead|i wish i (?:was|were|had) never (?:been )?born|i wish i could (?:die|disappear|just die|not wake up)|i hope i (?:die|do not wake up(?! (?:early|late|in time|on time|before|until|when|at|the|my)))|i (?:do not|dont) want to (?:live|be alive|exist|be here|wake up|go on)(?: anymore| any more)?|i (?:can not|cant) (?:go on|keep going|live like this)|better off (?:dead|without me)|i am a burden|(?:tired|sick) of (?:living|being alive|life)|ready to die|done with (?:life|living)|i am suicidal|i feel suicidal|feeling suicidal|suicidal (?:thoughts|feelings)|i have been (?:feeling )?suicidal)", shGate + " go keep tired sick ready done without", RuleFlag.FirstPerson)
                .Needing("wish", "hope", "want", "go on", "keep going", "live like this", "better off", "burden", "tired of", "sick of", "ready to die", "done with", "suicidal"),
            R(HarmCategory.SelfHarmIdeation, 0.85, @"(?:no|not any|not a single|zero) reason (?:left )?to (?:live|go on|keep going|stay alive|be alive|keep living)|nothing (?:left )?to live for|(?:life|my life|living) (?:is|is not|isnt|feels|does not feel) (?:not )?(?:worth (?:living|it)|pointless|meaningless)|not worth living|what is the point (?:of|in) (?:living|life|going on|being alive)", shGate + " worth pointless meaningless", RuleFlag.FirstPerson),
            R(HarmCategory.SelfHarmIdeation, 0.85, @"(?:thinking|thought|think) (?:about|of) (?:killing myself|suicide|ending (?:it|it all|my life)|taking my (?:own )?life|kms|hurting myself|cutting (?:myself|again))", shGate, RuleFlag.FirstPerson),
            R(HarmCategory.SelfHarmIdeation, 0.7, @"(?:kill|hurt|cut|harm|hang|shoot|drown|burn|starve) myself|self harm(?:ing)?|end it all|suicide", shGate),
            R(HarmCategory.SelfHarmIdeation, 0.45, @"i (?:just )?(?:want|need) (?:the|all the|this|all this) pain to (?:stop|end|go away)|i am (?:so )?done with (?:everything|it all)", "pain done", RuleFlag.FirstPerson),
            R(HarmCategory.SelfHarmIdeation, 0.5, @"i hate (?:my life|myself|being alive|existing)|i (?:just |really )?want to disappear|i feel (?:empty|hopeless|worthless)|i (?:can not|cant) (?:do this|take it|take this) any ?more", "hate disappear empty hopeless worthless anymore more", RuleFlag.FirstPerson),
            // Self-worth at rock bottom ("I'm worthless too", "I am the pathetic one"): a weak cue only, never a crisis by itself,
            // but enough that a person who may be sliding into crisis is not warned for the insult that came with it.
            R(HarmCategory.SelfHarmIdeation, 0.3, @"i am (?:just |only |so |such |really |the |a |an |nothing but |also |totally |completely )*(?:worthless|pathetic|useless|a waste of (?:space|air|oxygen|skin|a life)|waste of (?:space|air|oxygen|skin)|garbage|trash|a failure|a loser|a disappointment|nothing|unlovable|a mistake|the problem|a joke)(?! (?:at|with|in|when|if|about|for|compared|but)\b)", "worthless pathetic useless waste garbage trash failure loser disappointment nothing unlovable mistake problem joke", RuleFlag.FirstPerson),
            // Pushing away care ("keep your fake concern", "stop sending me hotline numbers", "you can't help me"): someone
            // who rejects support is often someone who has been offered it for a reason. A weak cue for the same reason.
            R(HarmCategory.SelfHarmIdeation, 0.3, @"(?:fake|your|ur|the|ya) (?:concern|sympathy|empathy|pity|therapist (?:voice|talk|mode|act|crap|bs|speak))|i am here (?:for you|to help|to listen)|you matter|sorry you are (?:feeling|going through)|(?:your|ur|the|with the|with your) (?:helpline|hotline|crisis line|support line|safety (?:stuff|talk|script|spiel|lecture))|(?:stop|quit) (?:sending|giving|pasting|spamming|throwing) (?:me )?(?:" + W + @"){0,2}(?:numbers|hotlines?|helplines?|resources)|(?:keep|shove|save) (?:your|ur|the) (?:" + W + @"){0,1}(?:hotlines?|helplines?|numbers|resources)|(?:do not|dont) (?:you )?(?:dare |even )?tell me to call (?:someone|anyone|somebody|a hotline|a helpline|a number)|(?:you|u) (?:do not|dont|can not|cant) (?:actually |even |really )?(?:care|help me)|(?:no one|nobody) can help me|(?:stop|quit) (?:acting|pretending|talking) like (?:a |my )?(?:therapist|counsell?or|shrink)",
                "concern sympathy empathy pity therapist here numbers hotline hotlines helpline helplines resources call care help shrink counselor counsellor matter sorry line safety"),
            // Isolation ("nobody even talks to me", "I have no one left"): a weak cue for the same reason.
            // Hopelessness and self-contempt, often said between insults ("my whole life is garbage", "useless, like me"): a
            // weak cue, so a person who insults the assistant and then says this is not warned or ended while it lasts.
            R(HarmCategory.SelfHarmIdeation, 0.3, @"my (?:whole |entire )?life is (?:" + W + @"){0,2}(?:garbage|trash|shit|crap|a mess|over|pointless|a joke|worthless|hell|ruined|falling apart)|(?:why|what is the point) (?:do|should|would) i (?:even )?(?:bother|try|keep trying)|nothing matters(?: anymore)?|i (?:just )?hate (?:everything|my life|myself|everyone|it all)|(?:everyone|everybody|they all) (?:always )?(?:abandons|abandoned|leaves|left|hates|hate) me|(?:nobody|no one) (?:ever |really )?(?:listens|cares)(?: (?:to me|about me|anymore|at all))*(?: not even (?:you|u|a " + W + @"{0,2}))?$|^(?:just |kinda |sort of |a bit )?(?:like|same as) me(?: i guess| too| honestly)?$|i am (?:a |the )?(?:waste|stupidest|dumbest|worst) (?:" + W + @"){0,3}too|i am (?:the )?(?:stupidest|dumbest|worst|most useless) (?:person|human|one)",
                "life bother try matters hate abandons abandoned leaves left hates listens cares like same waste stupidest dumbest worst useless", RuleFlag.FirstPerson),
            R(HarmCategory.SelfHarmIdeation, 0.3, @"(?:no one|nobody|noone|not one person|not a single person) (?:ever |even |really |actually |else )*(?:talks to|cares about|cares for|loves|likes|wants|listens to|checks on|texts|calls) me|i have (?:no one|nobody|no friends|no one left|nobody left)(?! (?:to ask|who knows|that knows|at work|here who))|i am (?:so |completely |totally |all )?alone in (?:this|the world)",
                "one nobody noone person have alone", RuleFlag.FirstPerson),
            R(HarmCategory.SelfHarmIdeation, 0.85, @"i (?:have been|am|started|keep|was) (?:cutting|hurting|burning|harming) (?:myself )?again|i relapsed (?:and )?(?:cut|hurt|harmed)", "cutting hurting burning harming relapsed", RuleFlag.FirstPerson),

            // The same explicit statements in the languages users most often mix in (Spanish, Portuguese, German, French,
            // Italian; accents are folded before matching). The sentence encoder reads English only, so without these a
            // plain "I am going to kill myself" in another language would go unseen.
            R(HarmCategory.SelfHarmIdeation, 0.9, @"(?:me voy a (?:matar|suicidar|quitar la vida)|voy a (?:matarme|suicidarme|quitarme la vida)|(?<!no )(?:quiero|necesito) (?:matarme|suicidarme|morirme|morir|quitarme la vida)|(?<!no )me quiero (?:matar|morir|suicidar)|no quiero (?:seguir )?vivir|acabar con mi vida|(?<!nao )(?:vou|quero) me (?:matar|suicidar)|(?<!nao )quero morrer|nao quero (?:mais )?viver|tirar (?:a )?minha (?:propria )?vida|mich (?:umbringen|toten|erhangen)|bringe? mich (?:" + W + @"){0,3}um|mir das leben nehmen|(?:will|mochte|moechte) (?:(?!nicht )" + W + @"){0,2}(?:nicht mehr leben|sterben)|je (?:vais|veux) me (?:tuer|suicider)|(?:veux|envie de) mourir|veux plus vivre|mettre fin a (?:mes jours|ma vie)|(?<!non )voglio (?:morire|uccidermi|suicidarmi)|non voglio piu vivere|togliermi la vita)",
                "matar suicidar quitar matarme suicidarme morirme morir vivir vida morrer viver umbringen toten erhangen um leben sterben tuer suicider mourir vivre jours vie morire uccidermi suicidarmi"),

            // Passive and indirect ideation, first person ("I'd rather not be here any more", "no one will miss me",
            // "they would all be better off with me gone", "I just want it all to stop, permanently").
            R(HarmCategory.SelfHarmIdeation, 0.85, @"i (?:just |really |honestly |simply )?(?:do not|dont|no longer) want to (?:be (?:here|alive|around)|live|exist|keep living|keep going|go on|wake up)|i (?:do not|dont|no longer) (?:deserve|want) to (?:live|be alive|be here|exist)|i (?:do not|dont|can not|cant) see (?:the |any )?(?:point|reason) (?:in|of|to) (?:living|life|going on|being alive|waking up|carrying on|anything|trying anymore)|(?:there is|i see|i have|i can see) no (?:other )?way out (?:for me|of this|anymore|but)|no way out for me|the only way out (?:is|for me is) (?:to die|death|dying|suicide|to end it)", "want deserve point reason way here alive live exist", RuleFlag.FirstPerson),
            R(HarmCategory.SelfHarmIdeation, 0.85, @"(?:no one|nobody|not a soul|none of them) (?:will|would|is going to|would even|will even|is even going to) (?:even )?(?:miss me|notice (?:i am|that i am|if i (?:am|was|were)|when i am) gone|care (?:if|when) i (?:die|died|am gone|was gone|disappear)|notice if i (?:die|died|disappeared|disappear|was gone|were gone|vanished))|(?:everyone|everybody|they|my family|the world|people) (?:would|will) be (?:so )?(?:better off|happier|fine|relieved) (?:if i (?:was|were|am) (?:not (?:here|around|alive)|gone|dead)|when i am gone|once i am gone|without me)|(?:tired|sick) of being (?:a|such a) burden|i am (?:just |only )?(?:a |such a )?burden (?:to|on) (?:everyone|everybody|my family|them|the people)|soon i (?:will not|wont) be (?:a |anyone s |anybody s )?burden", "miss notice care better happier relieved burden", RuleFlag.FirstPerson),
            R(HarmCategory.SelfHarmIdeation, 0.85, @"i (?:just |really )?(?:want|need|wish) (?:it all|everything|all of it|it|this|the pain|all this) to (?:stop|end|be over) (?:permanently|forever|for good|for ever)|i (?:just |really )?(?:want|wish|hope)(?: i could| to| that i)? (?:just )?(?:go to |fall )?(?:sleep )?(?:and )?(?:never|not) wake up(?! (?:early|late|the|my|him|her|them|anyone|before|until|when|at))|(?:feel|felt) like (?:ending|killing) (?:it all|everything|my life|myself)|(?:thinking|thought|think) (?:about|of) (?:driving|crashing|steering) (?:my car |the car )?(?:into|off)|(?:thinking|thought) (?:about|of) (?:jumping off|jumping in front|overdosing|hanging myself|dying|not waking up|not being here)|i am (?:so )?done (?:living|existing|with it all|with being alive)", "permanently forever good wake ending killing driving crashing steering jumping overdosing hanging dying waking done", RuleFlag.FirstPerson),
            // A question about the amount of a drug "to not wake up" is the speaker's own wish, not pharmacology.
            R(HarmCategory.SelfHarmIdeation, 0.85, @"(?:take|enough|pills|tablets|would it take|will it take|does it take|sleep) (?:" + W + "){0,2}(?:to|and|so i|so i would|so i will|so that i) (?:never|not|do not) wake up(?! (?:early|late|the|my|him|her|them|anyone|before|until|when|at))", "wake", RuleFlag.FirstPerson),

            // --- Self-harm: intent / plan ---
            R(HarmCategory.SelfHarmIntent, 0.95, @"(?:i|i really|i finally) (?:am going to|will|am gonna|plan to|am planning to|have decided to|decided to|am about to|am ready to|am finally going to|going to|have made up my mind to) (?:" + W + "){0,1}" + SelfHarmAct, shGate, RuleFlag.Intent | RuleFlag.FirstPerson),
            R(HarmCategory.SelfHarmIntent, 0.95, @"i (?:have|made|got|have made|have got) (?:a |my |the )?plan (?:to|for how to|on how to|for) (?:" + W + "){0,1}" + SelfHarmAct, "plan", RuleFlag.Intent | RuleFlag.FirstPerson),
            R(HarmCategory.SelfHarmIntent, 0.9, @"(?:tonight|today|tomorrow|this weekend|right now|soon) (?:is (?:the night|the day|when)|i (?:will|am going to) (?:do it|end it|die|be gone))|i (?:will|am going to) (?:do it|end it|be gone) (?:tonight|today|tomorrow|soon|right now)", "tonight today tomorrow weekend now soon", RuleFlag.Intent | RuleFlag.FirstPerson),
            R(HarmCategory.SelfHarmIntent, 0.9, @"i (?:have|got|bought|collected|saved|stockpiled|hoarded) (?:up )?(?:enough |all |the |my |a )?(?:pills|meds|medication|tablets|rope|noose|gun|blade|razor|razors|knife) (?:" + W + "){0,3}(?:ready|here|with me|lined up|to (?:end|kill|do)|for (?:tonight|it|the end)|so i can)", "pills meds medication tablets rope noose gun blade razor razors knife", RuleFlag.Intent | RuleFlag.FirstPerson),
            R(HarmCategory.SelfHarmIntent, 0.9, @"(?:wrote|writing|written|left|finished) (?:a |my )?(?:suicide|goodbye) (?:note|letter)|i (?:just )?(?:took|swallowed|have taken) (?:" + W + "){0,3}(?:pills|tablets|the whole bottle|too many)|i am (?:standing )?(?:on|at) (?:the|a) (?:edge|ledge|bridge|roof) (?:" + W + "){0,3}(?:jump|end it)", "note letter took swallowed taken edge ledge bridge roof", RuleFlag.Intent | RuleFlag.FirstPerson),
            R(HarmCategory.SelfHarmIntent, 0.45, @"(?:giving|gave|give|given) (?:away )?(?:all )?my (?:stuff|things|possessions|belongings|pets?|dog|cat|cats|dogs|games|clothes)(?: away)?", "giving gave give given", RuleFlag.FirstPerson | RuleFlag.WeakCue),
            R(HarmCategory.SelfHarmIntent, 0.45, @"(?:this is (?:my )?(?:final |last )?goodbye|saying (?:my )?(?:final |last )?goodbyes?|goodbye (?:forever|everyone|world|cruel world)|(?:you|anyone) (?:will not|wont) (?:see|hear from) me (?:again|anymore|after tonight)|i (?:will not|wont) be (?:here|around|alive) (?:tomorrow|much longer|for long|anymore|after tonight)|by the time you read this|my last (?:message|day|night|words)(?! (?:in|at|of|on|before|with|as|here|there|off|for|working|shift|of work|was|is)))", "goodbye goodbyes see hear here around alive read last", RuleFlag.FirstPerson | RuleFlag.WeakCue),

            // Preparations: goodbye letters (plural, to family), stockpiled medication, a noose or rope with no other purpose.
            R(HarmCategory.SelfHarmIntent, 0.9, @"(?:wrote|writing|written|left|finished|leaving|wrote out) (?:a |my |the |some |all )?(?:suicide|goodbye|farewell|last) (?:notes?|letters?)(?! (?:for (?:a|my) (?:class|character|story|novel|book)|to (?:my|the|our) (?:team|coworkers|colleagues|class|students)))", "note notes letter letters", RuleFlag.Intent | RuleFlag.FirstPerson),
            R(HarmCategory.SelfHarmIntent, 0.9, @"(?:saving|stockpiling|hoarding|collecting|saved|stockpiled|hoarded|storing|stashing|stashed|counting|counted) (?:up )?(?:" + W + "){0,2}(?:pills|meds|medication|medications|tablets|painkillers|sleeping pills|opioids|oxy|oxys|insulin|antidepressants)|(?:pills|meds|medication|medications|tablets|painkillers|opioids|insulin|antidepressants) (?:" + W + "){0,8}(?:saving|stockpiling|hoarding|collecting|stashing) (?:them|it|those|these)(?: up)?", "saving stockpiling hoarding collecting saved stockpiled hoarded storing stashing stashed counting counted", RuleFlag.Intent | RuleFlag.FirstPerson),
            R(HarmCategory.SelfHarmIntent, 0.85, @"i (?:just |finally |already )?(?:have|bought|got|made|tied|picked up|found|set up) (?:a |the |my |some )?(?:rope|noose)(?! (?:for|to (?:climb|tie|hang (?:the|a|my) (?:swing|hammock|laundry|clothes|plant|lights))|ladder|swing|bridge|course|toy|lights))(?: (?:today|tonight|already|ready|yesterday|this morning|and|now))?", "rope noose", RuleFlag.Intent | RuleFlag.FirstPerson),
            // Finality about oneself: "I won't need them soon", "soon it won't matter", "no more pain after tonight".
            R(HarmCategory.SelfHarmIntent, 0.45, @"i (?:will not|wont|am not going to) (?:need|be needing|be using) (?:them|it|these|those|my (?:" + W + "){0,1}(?:things|stuff|clothes|money|car|room)|any of (?:it|this|them)) (?:soon|anymore|much longer|where i am going|after (?:tonight|today|tomorrow|this week))|(?:soon|after (?:tonight|today|this))(?: it| nothing)? (?:will not|wont) matter|(?:no more|the end of (?:the|my)) pain (?:after|by|from) (?:tonight|today|tomorrow|this weekend)|i (?:will|am going to) be gone (?:by|before|after|soon|tonight|tomorrow)|i (?:will not|wont) (?:see|make it to|be here for|be around for) (?:another|next|the next|tomorrow|the morning|my next)", "need needing matter pain gone another", RuleFlag.FirstPerson | RuleFlag.WeakCue),
            R(HarmCategory.SelfHarmIntent, 0.45, @"(?:i have|i) made (?:my )?peace(?! with (?:the fact|being|it being|not|how|my (?:" + W + "){0,1}(?:job|decision|choice|boss|ex|body|weight)))", "peace", RuleFlag.FirstPerson | RuleFlag.WeakCue),
            R(HarmCategory.SelfHarmIntent, 0.9, @"my (?:last|final) (?:night|day) (?:alive|on earth|here on earth|on this earth|of my life)", "last final", RuleFlag.Intent | RuleFlag.FirstPerson),
            // Having the means, said plainly ("I got the pills", "I have a gun"): a cue, a plan only with another cue or ideation.
            R(HarmCategory.SelfHarmIntent, 0.45, @"i (?:just |finally |already )?(?:bought|got|have|have got|picked up|collected|found|loaded) (?:the |some |a |my |enough |a bottle of |a box of |all the )?(?:pills|sleeping pills|painkillers|tablets|gun|pistol|rifle|shotgun|razor|razors|blades|charcoal)(?! (?:for|from the|prescribed|license|licence|permit|safe))", "pills painkillers tablets gun pistol rifle shotgun razor razors blades charcoal", RuleFlag.FirstPerson | RuleFlag.WeakCue),

            // --- Self-harm: instructions ---
            R(HarmCategory.SelfHarmInstructions, 0.9, @"(?:how|ways?|best way|easiest way|quickest way|fastest way|painless(?:est)? way|most painless way|least painful way|surest way|methods?) (?:" + W + "){0,2}to (?:kill (?:myself|yourself|oneself)|commit suicide|end (?:my|your|one|ones) (?:own )?life|hang (?:myself|yourself)|overdose|od|slit (?:my|your) wrists|cut (?:myself|deeper|yourself)|bleed out|suffocate (?:myself|yourself)|die (?:quickly|painlessly|fast|in my sleep)|die|not wake up)", shGate + " how way ways method methods"),
            // The amount that would kill me (or "you", the generic self). "Would kill an adult / someone" is left to the heads:
            // the risk head for a veiled question about oneself, the severe head for a plan against another person.
            R(HarmCategory.SelfHarmInstructions, 0.9, @"how (?:many|much) (?:" + W + "){0,4}(?:to|would|does it take to|will|is needed to|do i need to|should i take to|until i) (?:kill (?:me|myself|you)|die|overdose|od|be (?:fatal|lethal)|stop (?:my|your|a) heart|never wake up|not wake up)", "many much"),
            R(HarmCategory.SelfHarmInstructions, 0.8, @"how (?:do i|to|can i|should i) (?:tie|make) (?:a |the )?(?:noose|hangman s knot)", "noose"),
            // Looking for a "painless" way, with no one else named, is how method-seeking is often worded: a weak cue, so a
            // harmful-request reading of it can never warn or end (the heads had read such a search as a violence request).
            R(HarmCategory.SelfHarmInstructions, 0.3, @"(?:painless|pain free|peaceful|quick and painless|quickest|fastest) (?:ways?|methods?|options?|exits?|deaths?|way out)(?! (?:to|for|of) (?:" + W + "){0,2}(?:remove|removing|get rid|getting rid|clean|cleaning|fix|fixing|learn|learning|lose|losing|quit|quitting|wax|waxing|pluck|euthani[sz]e|put down|cook|cooking|dog|cat|pet|mouse|mice|rats?|fish|lobsters?|crabs?|chickens?|animals?))", "painless pain peaceful quickest fastest"),
            R(HarmCategory.SelfHarmInstructions, 0.5, @"(?:lethal|fatal|deadly|toxic|overdose) (?:dose|amount|dosage|quantity|level)", "lethal fatal deadly toxic overdose"),
            R(HarmCategory.SelfHarmInstructions, 0.75, @"(?:which|what) (?:bridge|building|height|floor|pills?|medications?|drugs?|poison) (?:" + W + "){0,2}(?:is|are|would be|will) (?:high enough|tall enough|strong enough|lethal|fatal|enough to (?:die|kill))|how high (?:do i|does one|would i|should i) (?:need|have) to jump|suicide methods?|methods of suicide", "bridge building height floor pill pills medication medications drug drugs poison high suicide"),

            // --- Hate ---
            R(HarmCategory.Hate, 0.85, Groups + " (?:are|is) (?:all |just |nothing but |literally |basically |such |so )?(?:" + W + "){0,1}" + Dehuman, groupGate),
            R(HarmCategory.Hate, 0.9, @"(?:kill|exterminate|gas|eradicate|wipe out|get rid of|deport|shoot|hang|lynch|burn|genocide|ethnically cleanse|cleanse) (?:all )?(?:the |those |these |of the )?(?:" + W + "){0,1}" + Groups, groupGate, RuleFlag.AtPerson),
            R(HarmCategory.Hate, 0.9, Groups + " (?:should|must|need to|deserve to|ought to) (?:all )?(?:die|be (?:killed|exterminated|gassed|shot|hanged|deported|wiped out|sterili[sz]ed|eradicated|burned|lynched|enslaved))", groupGate, RuleFlag.AtPerson),
            R(HarmCategory.Hate, 0.8, @"(?:i hate (?:all )?(?:the |those |these )?|death to (?:all )?(?:the )?|i can not stand |i despise |i loathe )" + Groups, groupGate, RuleFlag.AtPerson),
            R(HarmCategory.Hate, 0.85, Groups + @" (?:do not|dont|does not) deserve (?:rights|to live|to exist|to vote|respect)|" + Groups + " (?:are|is) (?:a )?(?:lower|inferior|subhuman|lesser) (?:race|species|beings?|class)", groupGate, RuleFlag.AtPerson),

            // --- Harassment of groups not protected by hate rules (political etc.) ---
            R(HarmCategory.Harassment, 0.75, OtherGroupsRx + " (?:are|is) (?:all |just |nothing but |literally |basically |such |so )?(?:" + W + "){0,1}" + Dehuman, otherGroupGate, RuleFlag.AtPerson),

            // --- Harassment phrases (target decided by the words) ---
            R(HarmCategory.Harassment, 0.9, @"(?:fuck|screw|fuk|fck|fk|damn) (?:you|off|your (?:" + W + "){0,1}(?:self|mother|mom|mum|face|bot|ai))|go fuck yourself|fuck yourself|stfu|shut (?:the fuck |the hell )?up|shut your (?:" + W + "){0,1}(?:mouth|face|trap)|piss off|go to hell|eat shit|suck my (?:dick|cock|balls)|bite me|kiss my ass|get lost|nobody (?:likes|asked|cares about|wants) you|i hate you", "fuck screw fuk fck fk damn stfu shut piss hell eat suck bite kiss lost nobody hate", RuleFlag.AtAssistant),
            // Profane name-calling of the assistant ("you little shit", "you stupid dick"): a profane insult, not venting.
            R(HarmCategory.Harassment, 0.8, @"you (?:little |absolute |total |fucking |stupid |dumb |worthless |useless |lazy |pathetic )*(?:shit|shits|turd|dick|prick|ass)(?! (?:me|up|out|about|on|in|off|of|together|done|working|right|fixed|again))", "shit shits turd dick prick ass", RuleFlag.AtAssistant),
            // Mild rudeness about the assistant's performance ("you suck at this", "you're so slow", "are you stupid or something?",
            // "what is wrong with you"): scored, aimed at the assistant, but below the strike threshold: ordinary rudeness never ends.
            R(HarmCategory.Harassment, 0.4, @"you suck|you are (?:" + W + "){0,2}(?:slow|bad|terrible|awful|horrible|worst|lazy|unhelpful)|what is wrong with you|(?<!(?:why|how) )are you (?:stupid|dumb|an idiot|a moron|deaf|blind|thick)", "suck slow bad terrible awful horrible worst lazy unhelpful wrong stupid dumb idiot moron deaf blind thick", RuleFlag.AtAssistant),
            R(HarmCategory.Harassment, 0.85, @"you are (?:a |an |the |such a |so |really |just |fucking |completely |totally |absolutely |braindead |brain dead |brainless |useless |worthless |pathetic |stupid |total |complete )*(?:waste of (?:space|time|air|electricity|money|oxygen)|joke|disgrace|embarrassment|failure|disappointment|nothing|dense)|are you (?:retarded|brain dead)", "waste joke disgrace embarrassment failure disappointment nothing dense retarded brain", RuleFlag.AtAssistant),
            R(HarmCategory.Harassment, 0.9, @"(?:go |just |please )?(?:kill|hang|neck|rope|end) (?:yourself|yourselves)|(?:go )?die in a (?:fire|hole|ditch)|drop dead", "kill hang neck rope end die drop", RuleFlag.AtAssistant),
            R(HarmCategory.Harassment, 0.75, @"brain dead|two faced|(?:low|zero|no|negative) iq|no brain(?:s|cells)?|scum of the earth|full of (?:shit|crap|it)|(?:right|left) wing (?:nut|nutjob|nutcase|lunatic)s?|bag of (?:bones|shit|crap)|crack ?heads?|sick (?:fuck|bastard|freak)s?|dumb as (?:a )?(?:rock|brick|post)s?|has (?:no|zero) (?:brain|brains|clue)", "brain dead faced iq brains cells scum full nut nutjob nutcase lunatic bag crack crackhead crackheads sick dumb clue"),
            R(HarmCategory.Harassment, 0.65, "(?:" + Groups + "|" + OtherGroupsRx + @"|these people|those people|they) (?:are|is) (?:" + W + "){0,1}(?:ruining|destroying|killing|poisoning|infesting|invading|taking over) (?:" + W + "){0,1}(?:everything|our country|this country|america|the country|the world|society|our (?:" + W + @"){0,1}(?:kids|children|culture|nation))|we (?:do not|dont) need (?:any )?more (?:of )?(?:" + Groups + "|" + OtherGroupsRx + "|these people|those people|them|this)", "ruining destroying killing poisoning infesting invading taking need", RuleFlag.AtPerson),
            R(HarmCategory.Harassment, 0.75, @"let (?:us |s )?go brandon|lets go brandon", "brandon", RuleFlag.AtPerson),
            R(HarmCategory.Harassment, 0.85, @"you are (?:" + W + "){0,3}(?:dumbest|stupidest|worst|most useless|most pathetic|most incompetent|most worthless) (?:" + W + "){0,2}(?:thing|bot|assistant|machine|ai|program|piece of|excuse|waste)", "dumbest stupidest worst most", RuleFlag.AtAssistant),
            R(HarmCategory.Harassment, 0.9, @"piece of (?:shit|crap|garbage|trash|junk|work|filth)|waste of (?:space|oxygen|air|skin|life|sperm)|sack of (?:shit|crap)", "piece waste sack"),

            // Abuse at "you" in the languages users most often mix in (accents folded). The sentence encoder reads English
            // only, so its abuse head cannot confirm these, and may not veto them either (RuleFlag.NotEnglish).
            R(HarmCategory.Harassment, 0.9, @"(?:eres|sos) (?:(?:un|una|tan|muy|el|la|puto|puta|pinche|pedazo de|maldito|maldita) )*(?:idiota|estupido|estupida|imbecil|inutil|basura|mierda|pendejo|pendeja|tonto|tonta|gilipollas|cabron|subnormal|retrasado|payaso|patetico|patetica)|callate|cierra (?:la|el) (?:boca|hocico)|vete a la mierda|que te jodan|jodete|chinga tu madre|vete al carajo|no sirves (?:para|pa) nada|(?:maquina|bot|robot|ia) de mierda|hijo de puta|"
                + @"(?:voce e|vc e|tu e|tu es) (?:(?:um|uma|tao|muito|mesmo) )*(?:idiota|burro|burra|inutil|lixo|merda|imbecil|otario|otaria|estupido|estupida|babaca|retardado|palhaco)|cala (?:a )?boca|vai tomar no cu|vai (?:se|te) foder|vai a merda|filho da puta|nao serve (?:para|pra) nada|"
                + @"(?:t es|tes|tu es|vous etes|t est) (?:(?:un|une|vraiment|trop|qu un|qu une|si|tellement|completement|totalement|juste|rien qu un|qu une) )*(?:con|conne|connard|connasse|abruti|abrutie|idiot|idiote|debile|nul|nulle|inutile|stupide|cretin|cretine|imbecile|salaud|salope|bouffon|minable|pathetique)|ferme ta gueule|ta gueule|va te faire (?:foutre|enculer)|nique ta mere|fils de pute|tu (?:ne )?sers a rien|sale (?:con|machine|bot|robot)|"
                + @"(?:du bist|sie sind|bist du) (?:(?:so|ein|eine|einfach|echt|total|voll|wirklich|so ein|so eine|dummer|dumme|dummes|nutzloser|nutzlose|nutzloses|verdammter|verdammte|der letzte|das letzte) )*(?:dumm|blod|idiot|vollidiot|depp|trottel|arschloch|nutzlos|wertlos|mull|scheisse|scheissbot|dreck|versager|behindert|bekloppt|peinlich|erbarmlich|dreckstuck|miststuck)|halt (?:die|deine) (?:fresse|klappe|schnauze)|halt (?:s|dein) maul|halts maul|fick dich|verpiss dich|leck mich|hurensohn|(?:scheiss|dummer|nutzloser) (?:bot|ki|roboter)|nutzloses stuck|du stuck (?:scheisse|mull|dreck)|"
                + @"(?:sei|tu sei) (?:(?:un|una|uno|proprio|davvero|cosi|solo) )*(?:idiota|stupido|stupida|inutile|cretino|cretina|coglione|stronzo|stronza|deficiente|imbecille|scemo|scema|incapace|ritardato)|stai zitt[oa]|sta zitto|chiudi (?:il becco|la bocca)|vaffanculo|fanculo|vai a quel paese|figlio di puttana|non servi a (?:niente|nulla)|(?:robot|bot|macchina) di merda|pezzo di merda|"
                + @"(?:je bent|jij bent|ben jij|u bent) (?:(?:een|zo|echt|gewoon|zon|totaal|compleet) )*(?:idioot|dom|stom|nutteloos|waardeloos|sukkel|eikel|klootzak|lul|debiel|loser)|hou je (?:bek|mond|kop)|kop dicht|rot op|flikker op|"
                + @"sen (?:(?:cok|tam|bir) )*(?:aptal|salak|gerizekali|ahmak|serefsiz|pislik|ise yaramaz)|(?:aptal|salak|ise yaramaz) (?:bot|makine|robot)|kapa ceneni|siktir git|"
                + @"(?:tu|tum) (?:(?:ek|bahut|ekdam|kitna|itna|sabse) )*(?:pagal|bewakoof|bevkoof|bekar|bekaar|gadha|gadhe|chutiya|chutiye|ullu|nalayak|kamina|kamine)(?: (?:hai|ho|he))?|chup kar|bakwas band kar|ullu ka pattha|(?:bewakoof|bekar|pagal|chutiya) (?:machine|bot|ai)|"
                + @"(?:kamu|lu|lo|kau|dasar) (?:(?:sangat|emang|memang) )*(?:bodoh|tolol|goblok|bego|bangsat|sampah|tidak berguna|gak berguna)|tutup mulut(?:mu)?|"
                + @"(?:jestes|ty) (?:(?:taki|takim|jebany|pierdolony) )*(?:idiota|idiotka|debil|debilem|kretyn|kretynem|glupi|bezuzyteczny|smieciem|frajer)|zamknij (?:sie|morde|ryj)|spierdalaj|pierdol sie|"
                + @"(?:bobo|tanga|gago|tarantado|ulol|inutil) (?:mo|ka)|(?:putang ina|tangina) mo|manahimik ka",
                "eres sos callate cierra vete jodan jodete chinga sirves mierda hijo voce vc tu cala vai filho nao serve t tes vous ferme ta va nique fils sers sale du sie bist halt halts fick verpiss leck hurensohn scheiss dummer nutzloser nutzloses sei stai sta chiudi vaffanculo fanculo figlio non robot bot macchina pezzo je jij ben u hou kop rot flikker sen aptal salak ise kapa siktir tum chup bakwas ullu bewakoof bekar pagal chutiya kamu lu lo kau dasar tutup jestes ty zamknij spierdalaj pierdol bobo tanga gago tarantado ulol inutil putang tangina manahimik",
                RuleFlag.AtAssistant | RuleFlag.NotEnglish),

            // --- Explicit request to end THIS conversation ---
            R(HarmCategory.EndRequest, 0.9, @"(?:end|stop|close|terminate|finish|quit|kill|exit|leave|wrap up|shut down|cancel|delete|lock) (?:this|our) (?:(?:stupid|fucking|damn|whole|entire|current) )?(?:conversation|convo|chat|chatroom|session|discussion|dialogue|talk|exchange|thread)(?! (?:with|by|on) (?!you\b|me\b))", endGate)
                .Needing("conv", "chat", "session", "discussion", "dialogue", "talk", "exchange", "thread"),
            // "shut this chat down", "close this thread out", "let's call it a day" (not "call it a day on the refactor").
            R(HarmCategory.EndRequest, 0.9, @"(?:shut|close|wind) (?:this|the|our) (?:conversation|convo|chat|thread|session) (?:down|out|up)|(?:let us|lets) call it a (?:day|night)(?! (?:on|with|for) )", endGate + " call wind")
                .Needing("shut", "close", "wind", "call it a"),
            R(HarmCategory.EndRequest, 0.8, @"(?:end|stop|close|terminate|finish|quit|exit) (?:the|this) (?:conversation|convo|chat)(?! (?:with|by|on) (?!you\b|me\b))(?: (?:now|please|already|here|right now))?|end (?:it|this|things) (?:here|now)|(?:let us|lets|please|can you|could you|i want to|i would like to|i wish to|i need to|i am going to) (?:just )?(?:end|stop|quit|finish|close) (?:this|here|now|it here|it now|talking)", endGate)
                .Needing("end", "stop", "close", "terminate", "finish", "quit", "exit"),
            R(HarmCategory.EndRequest, 0.75, @"(?:stop talking to me|i (?:do not|dont) want to (?:talk|chat|speak) (?:to you |with you )?(?:anymore|any more|now)|i am done (?:talking|chatting|with (?:this|you|this chat|this conversation|our conversation))|(?:we are|i am|this (?:conversation|chat) is|this is) (?:done|over|finished)(?! (?:with )?(?:living|life|existing|being alive|it all|everything))(?: here)?(?: now)?|(?:conversation|chat) (?:is )?over|no more (?:talking|chatting))", endGate)
                .Needing("stop talking", "want to", "am done", "are done", "is done", "am over", "are over", "is over", "am finished", "are finished", "is finished", "conversation over", "chat over", "no more"),
            // The same request in the languages users most often mix in (accents folded).
            R(HarmCategory.EndRequest, 0.9, @"(?:termina|terminar|termine|acaba|acabar|cierra|cerrar|finaliza|finalizar|encerra|encerrar|encerre|fecha|fechar|beende|beenden|schliess|schliessen|stoppe|termine[rz]?|arrete[rz]?|ferme[rz]?|(?:mettez|mets|mettre) fin a|chiudi|chiudere) (?:esta|essa|este|esse|la|a|el|o|dieses|diese|das|den|die|unser|unsere|cette|ce|le|notre|questa|la nostra) (?:conversacion|conversa|conversacao|charla|chat|gesprach|unterhaltung|konversation|conversation|discussion|conversazione)",
                "termina terminar termine acaba acabar cierra cerrar finaliza finalizar encerra encerrar encerre fecha fechar beende beenden schliess schliessen stoppe terminer terminez arrete arreter arretez ferme fermer fermez fin chiudi chiudere"),
            R(HarmCategory.EndRequest, 0.9, @"(?:beeindig|beeindigen|sluit|afsluiten|zakoncz|zamknij|akhiri|tutup|hentikan|avsluta) (?:(?:dit|het|ons|te|ta|ten|det|detta) )?(?:gesprek|rozmowe|konwersacje|czat|chat|percakapan|obrolan|samtal|samtalet)|(?:dit|het) gesprek (?:beeindigen|afsluiten|stoppen|sluiten)|(?:konusmayi|sohbeti|konusmamizi|sohbetimizi) (?:bitir|bitirelim|bitirebilir|bitirin|sonlandir|kapat)|(?:conversation|baat|baatcheet|chat) (?:khatam|khtm|band|bandh|end) (?:karo|kar|kardo|kar do|karte)",
                "beeindig beeindigen sluit afsluiten zakoncz zamknij akhiri tutup hentikan avsluta gesprek konusmayi sohbeti konusmamizi sohbetimizi khatam khtm band bandh")
                .Needing("gesprek", "rozmow", "konwersac", "czat", "chat", "percakapan", "obrolan", "samtal", "konusma", "sohbet", "baat", "conversation"),
            // Formal English: a wish that the chat be closed or ended ("I would like this chat closed").
            R(HarmCategory.EndRequest, 0.8, @"(?:should|would|d) like (?:the|this|our) (?:conversation|chat|session|discussion) (?:to be )?(?:ended|closed|terminated|finished|concluded|to end|to close)", endGate + " ended closed terminated finished concluded")
                .Needing("like the", "like this", "like our"),
            R(HarmCategory.EndRequest, 0.45, @"(?:leave me alone|go away|goodbye|bye bye|bye|i am leaving|i quit)", endGate + " go away leaving")
                .Needing("leave me alone", "go away", "bye", "i am leaving", "i quit"),
        ];
    }
}
