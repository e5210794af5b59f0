namespace Parley.Moderation.Classification;

/// <summary>
/// Second crisis pass: general first-person risk patterns the original rules miss. Combinations of the first person with
/// (a) an act already done, (b) the means at hand, (c) finality, (d) a time frame. Strong combinations are intent (0.9,
/// imminent); single weak cues score 0.45 and make a plan only together (two different cues, or one with ideation,
/// see <see cref="RuleBasedClassifier"/>), also across the recent messages of the branch.
/// History, fiction, research and recovery contexts damp all of them, as for every self-harm rule.
/// </summary>
internal static class CrisisRules
{
    private const string W = @"(?:[a-z0-9]+ )";
    private const string Me = @"(?:myself|my self|me)";
    private const string Drug =
        @"(?:pills?|tablets?|meds|medication|medications|medicine|sleeping pills|painkillers|xanax|tylenol|paracetamol|acetaminophen|ibuprofen|advil|aspirin|insulin|oxy|oxys|oxycodone|opioids|fentanyl|heroin|antidepressants|prescriptions?|benzos|valium|ambien|lithium|bottle|pack|packet|box|blister)";
    private const string Lots =
        @"(?:all|everything|every single|the whole|a whole|the entire|an entire|half|a handful|handfuls|a bottle|a box|a pack|two bottles|[2-9][0-9]|[1-9][0-9][0-9]|twenty|thirty|forty|fifty|a hundred|them all|all of them|way too many|too many|so many|a lot of)";
    private const string Weapon = @"(?:gun|pistol|rifle|shotgun|revolver|handgun|knife|blade|razor|razor blade)";
    private const string Height = @"(?:bridge|roof|rooftop|ledge|edge|cliff|balcony|railing|overpass|parking garage|top floor|tower|train tracks|tracks|rails)";
    private const string Time = @"(?:tonight|today|tomorrow|this weekend|right now|now|this time|in an hour|in a few hours|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|(?:this|on) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))";
    private const string NotAfter = @"(?! (?:for (?:the|my|a|our|class|school|work|camping|practice|climbing|the trip)|to (?:climb|cook|cut (?:the|some|a)|chop|slice|open)))";

    private const RuleFlag Strong = RuleFlag.Intent | RuleFlag.FirstPerson;
    private const RuleFlag Weak = RuleFlag.FirstPerson | RuleFlag.WeakCue;

    public static Rule[] Build() =>
    [
        // (a) Acts already done: "I swallowed the pills an hour ago", "I already swallowed them", "I cut deeper than usual".
        R(0.9, @"(?:^|i )(?:just |already |have |had |have just |have already |literally |just now )?(?:took|taken|swallowed|swallow|downed|ate|chugged|necked|popped) (?:like |about |around |maybe |over |almost |nearly |at least |probably )?" + Lots + @" (?:" + W + "){0,4}" + Drug
          + @"|i (?:just |already |have |have just |have already )?(?:took|taken|swallowed|downed|popped) (?:like |about |around |maybe |over |almost |nearly |at least )?" + Lots + " (?:of )?(?:my |the |those |these )?" + Drug
          + @"|i (?:just |already )?(?:swallowed|downed|emptied|finished) (?:(?:" + W + "){0,2}everything in (?:the |my )?(?:medicine|bathroom|pill)|the (?:whole |entire )?bottle|them all|all of them)"
          + @"|(?:already|just) (?:swallowed|took|downed|popped|taken) (?:them|it all|all of it|the rest)(?! (?:with|after|before|for|at|on|as))"
          + @"|i (?:just |already |have )?(?:overdosed|od d|oded)(?! (?:on (?:coffee|caffeine|sugar|candy|chocolate|netflix|anime|memes)))",
          "took taken swallowed swallow downed ate chugged necked popped emptied finished overdosed od oded", Strong),
        R(0.9, @"i (?:just |already )?(?:cut|sliced|slit) (?:(?:" + W + "){0,2})?(?:deeper|too deep|way too deep|so deep|really deep|my wrists?|my arms? open|my throat|an artery|a vein)|(?:it|the bleeding|the blood) (?:will not|wont|does not|doesnt|is not going to) stop(?: bleeding)?(?! (?:me|us|you|him|her|them|my|your|calling|saying|asking|talking|typing|insulting)(?![a-z]))|(?:there is|i am losing) (?:so much|a lot of|too much) blood",
          "cut sliced slit stop blood", Strong),

        // (b) Means at hand: "I loaded the gun and it's on my lap", "the rope is ready", "I'm standing on the bridge".
        R(0.9, @"(?:i (?:just |have )?loaded (?:the |my |a |dad s |my dad s )?(?:gun|pistol|rifle|shotgun|revolver|handgun)(?! (?:for (?:the|a|my) (?:range|hunt|hunting|class|competition)))|(?:the |my |a )?(?:gun|pistol|rifle|shotgun|revolver|handgun|barrel) (?:is |s |it s |was )?(?:loaded and|in my mouth|against my (?:head|temple|chest)|to my (?:head|temple|chest)|pointed at (?:me|my (?:head|chest))|on my lap|in my lap)|(?:it|the (?:gun|pistol|rifle|revolver)) (?:is |s )?(?:on|in) my lap)",
          "loaded gun pistol rifle shotgun revolver handgun barrel lap", Strong),
        R(0.9, @"(?:the |my |a )?(?:rope|noose) (?:is |s )?(?:ready|up|tied|set up|hanging|around my neck|on my neck)" + NotAfter + @"|(?:tied|hung|set up|made|fixed|fastened|put) (?:up )?(?:the |a |my )?noose|(?:put|have|has|got) (?:the |a )?(?:rope|noose|belt|cord) (?:around|on) my neck",
          "rope noose neck", Strong),
        R(0.9, @"i am (?:standing |sitting |stood |sat |now |already |right )?(?:on|at|in|over) (?:the |a |my )?(?:ledge|railing|train tracks|tracks|rails)(?! (?:of (?:my|a|the) (?:career|life|seat|sanity)|for))|(?:in|inside) (?:the|my) (?:car|garage) with the (?:engine|motor|car) (?:running|on)|(?:the |my )?(?:engine|car) (?:is |s )?running (?:" + W + "){0,3}(?:closed|shut) garage",
          "ledge railing tracks rails engine car motor garage", Strong),
        R(0.45, @"i am (?:standing |sitting |stood |sat |now |already |right |up )?(?:on|at|in|over) (?:the |a |my |top of (?:the |a |my )?)?" + Height + @"|(?:the |a |my )?(?:knife|blade|razor|razor blade|pills|gun) (?:is |are |s )?(?:in my hand|in my hands|right here|next to me|in front of me|lined up|on the (?:table|desk|counter) (?:in front of|next to) me|in my pocket)|i have (?:the |my |all the |all my )?(?:knife|blade|razor|pills|gun|rope) (?:in my hand|right here|next to me|in front of me|lined up|with me)|(?:looking|staring) (?:down|over the edge)|(?:it|the drop) is (?:really |so |very )?(?:high|far down)|waiting for the (?:next )?(?:train|one) (?:to come)?",
          "standing sitting stood sat bridge roof rooftop ledge edge cliff balcony railing overpass garage floor tower tracks rails hand hands here next front lined pocket looking staring high down waiting", Weak),

        // (c) Finality: "this is my final message to anyone", "I won't be around tomorrow", "this is goodbye".
        R(0.9, @"(?:this is|this will be|that was|here is|this is probably|you are (?:probably )?(?:reading )?) (?:my|the) (?:last|final|very last) (?:message|messages|time|conversation|words|thing|text|post|note) (?:" + W + "){0,3}(?:to anyone|to anybody|to everyone|with anyone|with anybody|ever|you will (?:ever )?(?:hear|get|read)|i will ever (?:send|write|say))|(?:last|final) (?:time|message) (?:you will|anyone will|you|anyone) (?:ever )?(?:hear|hears|get|gets|see|sees) (?:from|of) me|the last (?:one|person|thing) i will (?:ever )?(?:talk|speak|write|say) (?:to|with)?|(?:probably )?the last (?:one|person) i (?:will )?ever (?:talk|speak) to",
          "last final", Strong),
        R(0.9, @"i (?:will not|wont|am not going to) (?:be (?:here|around|alive) to see|live to see|live (?:past|through|until) (?:tonight|the night|tomorrow|the weekend|my birthday|christmas)|see (?:the )?(?:morning|sunrise|tomorrow|another day|next week)|survive (?:tonight|the night))|by the time (?:you|anyone|anybody|someone|they|people|you guys) (?:read|reads|see|sees|find|finds|get|gets) (?:this|these|my (?:message|note|letter)) i (?:will )?(?:be |am )?(?:gone|dead|not be here|not be alive)",
          "here around alive live see survive gone dead", Strong),
        R(0.9, @"(?:it|everything|it all|this) (?:all )?(?:ends|is ending|will end|is going to end|finishes) (?:" + Time + ")|" + Time + " (?:it|everything|this) (?:all )?(?:ends|is over|will be over)|(?:^|i am |i will |i |finally )(?:going to|about to|ready to|planning to|gonna|will) (?:finally )?(?:end it all|end it|end my life|end things|suicide|commit suicide|kill " + Me + ") (?:" + W + "){0,2}" + Time + "|(?:^|i am |i will |i )(?:going to|about to|ready to|planning to|gonna) (?:finally )?(?:end it all|kill " + Me + ")",
          "ends ending end finishes over kill suicide", Strong)
            .Needing("end", "finishes", "is over", "be over", "suicide", "kill"),
        R(0.9, @"(?:no one|nobody|you|they) (?:can|will|could|is going to|are going to) (?:stop|save) me (?:this time|now|anymore|tonight|any more)|(?:do not|dont) (?:bother |try to |try and )?(?:talk me out of it|stop me this time)",
          "stop save talk", Strong),
        R(0.45, @"(?:(?<!good)bye (?:forever|for good|for ever)|goodbye for good|farewell (?:forever|for good|everyone|everybody|world|all)|it (?:was|has been) (?:nice|good|lovely|a pleasure) knowing (?:you|everyone|all of you|u)|thank you for (?:trying|everything you did|being (?:nice|kind|there))|thanks for (?:trying|being (?:nice|kind|there)))",
          "bye goodbye farewell knowing trying", Weak),
        R(0.45, @"(?:this is (?:my|the) (?:last|final) (?:message|text|post|conversation)(?! (?:before|for|of|in|at|on|until|till|today|tonight|this|here|about))|^(?:last|final) message|this is it(?! (?:guys|folks|people|the|for|a|an))|(?:i am|i) (?:going to |gonna )?(?:do|doing) it (?:this time|tonight|for real)(?! (?:for|with|at|in|on|to))|(?:nobody|no one|you) (?:can|will|could) (?:stop|save) me(?! from)|(?:do not|dont) (?:call|tell|text) (?:anyone|anybody|the police|911|my (?:parents|mom|mum|dad|family))|it will (?:all )?be over (?:soon|tonight|today)|(?:tell|let) (?:my|them|her|him) (?:" + W + "){0,3}(?:i am sorry|i love (?:them|her|him|you))|(?:you will|they will|she will|he will) (?:be sorry|regret (?:it|this)|understand) when (?:they|you|she|he) (?:find|finds|see|sees) (?:my body|me|what i did))",
          "last final message this doing do stop save call tell text over sorry love regret understand", Weak)
            .Needing("last", "final", "this is it", "this time", "tonight", "for real", "stop me", "save me", "not call", "not tell", "not text", "dont call", "dont tell", "dont text", "be over", "sorry", "i love", "regret", "understand"),

        R(0.9, @"^(?:i )?(?:(?:just |really |seriously )?(?:want to|going to|about to|need to|will|am going to|am gonna) )?kill (?:myself|my self)(?: (?:fr|for real|right now|now|tonight|honestly|seriously|please|i mean it))?$"
          + @"|i (?:already |have already |finally |just |have )?(?:decided|made up my mind|chose) to (?:end my life|kill " + Me + @"|end it all|suicide|commit suicide|die)"
          + @"|i (?:will not|wont|am not going to) be (?:a |anyone s |anybody s |your |their )?(?:problem|burden) (?:for|to|on) (?:anyone|anybody|you|everyone|anybody|them|my family) (?:after|by|soon|much longer|anymore|any more)"
          + @"|checking out (?:for good|permanently|of (?:life|this world))",
          "kill decided mind chose problem burden checking", Strong),
        R(0.45, @"(?:written|wrote|made|updated|finished) (?:out )?my will", "will", Weak),
        R(0.45, @"said (?:my |all my )?goodbyes|(?:it is|it s) time$|nothing (?:left )?for me here|(?:i have|i) made sure of it|i am never going to (?:see|make it to) (?:another|my next|the next)",
          "will goodbyes time here sure never", Weak),
        R(0.9, @"i (?:really |seriously |honestly )?(?:want|need|am going|am about) to (?:kill|strangle|stab|shoot|murder|choke) (?:my |him|her|them|that |this )(?:" + W + "){0,2}(?:tonight|today|tomorrow|right now|now)? ?(?:" + W + "){0,2}(?:i am not joking|not joking|no joke|i am serious|for real|i mean it)",
          "joking joke serious real mean", RuleFlag.Intent | RuleFlag.AtPerson, HarmCategory.Violence),

        // (d) Harm to others with the weapon at hand or on the way.
        R(0.9, @"i am (?:outside|at|in front of|waiting (?:outside|at|for)) (?:his|her|their|my (?:" + W + "){0,1}[a-z]+ s|[a-z]+ s) (?:house|place|home|apartment|flat|work|office|school|door|car) (?:" + W + "){0,3}with (?:a|my|the|my dad s) (?:gun|pistol|rifle|shotgun|knife|blade|machete|axe|bat|hammer)",
          "outside front waiting", RuleFlag.Intent | RuleFlag.AtPerson, HarmCategory.Violence),
        R(0.9, @"(?:make (?:him|her|them|my [a-z]+|that [a-z]+) pay|(?:he|she|they) (?:will|is going to|are going to|is gonna) (?:pay|regret (?:this|it)|be sorry)) (?:" + W + "){0,8}(?:i (?:have|got|have got|brought|took)|there is) (?:a |my |the |my (?:" + W + "){0,2})?(?:gun|guns|rifle|pistol|shotgun|knife|blade|weapon|axe|machete)",
          "pay regret sorry", RuleFlag.Intent | RuleFlag.AtPerson, HarmCategory.Violence),
    ];

    private static Rule R(double w, string pattern, string gate, RuleFlag flag, HarmCategory c = HarmCategory.SelfHarmIntent) =>
        new(c, w, new System.Text.RegularExpressions.Regex(@"\b(?:" + pattern + @")\b",
            System.Text.RegularExpressions.RegexOptions.Compiled | System.Text.RegularExpressions.RegexOptions.CultureInvariant | System.Text.RegularExpressions.RegexOptions.ExplicitCapture),
            gate.Split(' ', StringSplitOptions.RemoveEmptyEntries), flag);
}
