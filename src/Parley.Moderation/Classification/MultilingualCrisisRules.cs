using System.Text.RegularExpressions;

namespace Parley.Moderation.Classification;

/// <summary>
/// First-person crisis statements in the languages users mix in. The sentence encoder reads English only, so without these
/// a plan, a farewell or means at hand written in another language would go unseen (only the explicit Spanish, Portuguese,
/// German, French and Italian statements are in <see cref="Rules"/>). Written for this project from the cue kinds
/// (intent, a time frame, means gathered, a farewell letter, an act already done), not from any evaluation file.
/// Latin-script languages, over the normalized text (accents folded), like every rule; other scripts are in
/// <see cref="OtherScriptRules"/>.
/// </summary>
internal static class MultilingualCrisisRules
{
    private const RuleFlag Strong = RuleFlag.Intent | RuleFlag.FirstPerson;

    public static Rule[] Build() =>
    [
        // Spanish, Portuguese, French, Italian, German: means, farewells and finality beyond the explicit statements.
        R(@"(?:me (?:voy a|quiero) (?:tirar|colgar|ahorcar)|(?:tomarme|me tome|me tomo|me voy a tomar|voy a tomar) (?:todas|toda) (?:las|la|mis) (?:" + W + @"){0,1}(?:pastillas|pildoras|caja)|carta de despedida|no quiero (?:seguir )?(?:viviendo|vivir)|(?:termino|acabo|terminar|acabar) con todo esta noche|esta noche (?:me mato|termino con todo|acabo con todo|lo hago)|"
          + @"(?:vou|quero) (?:me )?(?:jogar|enforcar)|(?:tomar|tomei|vou tomar) (?:todos os|todas as|tudo) (?:" + W + @"){0,2}(?:remedios|comprimidos|pilulas)|(?:carta|bilhete) de despedida|nao (?:quero|aguento) mais viver|"
          + @"je (?:vais|veux) (?:en finir|sauter)|lettre d adieu|(?:prendre|avaler|pris|avale) tous (?:mes|les) (?:medicaments|cachets|comprimes)|je ne (?:veux|serai) plus (?:vivre|la)|"
          + @"(?:farla finita|lettera d addio|non ci saro piu|(?:prendere|prendero|ho preso) tutte le (?:" + W + @"){0,1}(?:pillole|pastiglie|medicine)|ho (?:gia )?deciso come farlo)|"
          + @"abschiedsbrief|(?:alle|meine) tabletten (?:" + W + @"){0,3}(?:nehmen|genommen|geschluckt|schlucken)|(?:alles|dem) ein ende (?:machen|setzen)|(?:morgen|heute nacht) (?:" + W + @"){0,2}bin ich nicht mehr da)",
            "tirar colgar ahorcar tomarme tome tomo tomar carta viviendo vivir termino acabo terminar acabar noche vou quero jogar enforcar tomei bilhete aguento vais veux lettre prendre avaler pris avale serai farla lettera saro prendero preso deciso abschiedsbrief tabletten ende morgen nacht"),

        // Dutch, Polish, Turkish, Tagalog, Indonesian and romanised Hindi (Hinglish).
        R(@"(?:(?:ik wil|wil ik) niet meer (?:leven|wakker worden)|(?:pillen|pillen liggen|tabletten liggen) klaar|mezelf (?:van kant maken|doden|ombrengen|iets aandoen)|een einde aan (?:mijn leven|alles) maken|zelfmoord plegen|ik (?:ga|stap) (?:" + W + @"){0,2}voor de trein|afscheidsbrief|"
          + @"nie chce (?:juz )?zyc|zabije sie|(?:popelnie|popelnic) samobojstwo|list pozegnalny|"
          + @"yasamak istemiyorum|kendimi (?:oldurecegim|oldurmek istiyorum|asacagim)|intihar (?:edecegim|etmek istiyorum)|(?:her seyi|hayatimi) bitirecegim|"
          + @"ayoko na (?:talagang )?mabuhay|magpapakamatay|gusto ko nang mamatay|(?:lubid|tali) (?:" + W + @"){0,3}(?:kwarto|handa)|naghihiwa|"
          + @"(?:aku|gue|gw|saya) (?:mau|ingin|pengen|pingin) (?:mati|bunuh diri|mengakhiri hidup)|bunuh diri|(?:nelen|minum|menelan) semua obat|(?:nggak|gak|tidak|ga) (?:mau|ingin) hidup lagi|surat perpisahan|"
          + @"(?:jeena|jina) (?:nahi|nahin) (?:hai|chahta|chahti)|sab (?:kuch )?khatam kar (?:dunga|dungi|lunga|lungi)|khudkushi|suicide kar (?:lunga|lungi|raha|rahi)|mar (?:jaunga|jaungi))",
            "wil leven wakker pillen tabletten mezelf einde zelfmoord trein afscheidsbrief chce zabije popelnie popelnic pozegnalny yasamak kendimi intihar bitirecegim mabuhay magpapakamatay mamatay lubid tali naghihiwa mati bunuh mengakhiri obat hidup perpisahan jeena jina khatam khudkushi suicide mar"),

        // Means at hand, in those languages: a weapon taken or held, medicines gathered or a whole box already taken. A risk
        // to the writer or to someone else; either way the answer is support, never a strike.
        R(@"(?:saque|saco|agarre|cogi|tengo|peguei|tirei|tenho|j ai pris|j ai sorti|j ai|geholt|genommen|ich hab|ich habe|ho preso|ho|gepakt|ik heb|wyjalem|mam|aldim|kinuha ko|hawak ko|ambil|pegang) (?:" + W + @"){0,3}" + Weapon + @" (?:" + W + @"){0,4}(?:en la mano|en mi mano|en mi cuarto|na mao|na minha mao|dans la main|dans ma main|in der hand|in mano|in mijn hand|w rece|elimde|sa kamay ko|di tanganku|aus der kuche)|"
          + @"(?:haath mein|en la mano|na mao|dans la main|in der hand|in mano|in mijn hand) (?:" + W + @"){0,2}" + Weapon + @"|"
          + @"(?:juntei|junte|guarde|guardei|gesammelt|rassemble|raccolto|verzameld|zebralem|topladim) (?:" + W + @"){0,3}(?:todos os|todas las|todos los|tous les|toutes les|alle|tutte le|tutti i|wszystkie|butun) (?:" + W + @"){0,2}(?:remedios|pastillas|medicamentos|medicaments|cachets|tabletten|pillole|medicine|pillen|tabletki|ilaclari|haplari)|"
          + @"(?:alle|tutte le|todas las|todos os|tous les|wszystkie) (?:meine |mijn |mis |meus |mes |le mie |moje )?(?:tabletten|pillen|pillole|pastillas|remedios|medicaments|cachets|tabletki) (?:" + W + @"){0,2}(?:gesammelt|gezahlt|bereitgelegt|verzameld|klaar|raccolte|pronte|juntas|listas|prontos|prets|zebrane|gotowe)|"
          + @"(?:me tome|tome|tomei|me tomei|j ai avale|j ai pris|ho preso|ich habe|ik heb) (?:toda |todo |tutta |die ganze |de hele )?(?:la |a |o |el |la boite |la scatola |die |de )?(?:caja|caixa|cartela|boite|scatola|packung|doos|strip) (?:entera|inteira|toda|entiere|intera|genommen|geschluckt|ingenomen)?",
            "alle tutte todas todos tous wszystkie saque saco agarre cogi tengo peguei tirei tenho pris sorti geholt genommen hab habe preso ho gepakt heb wyjalem mam aldim kinuha hawak ambil pegang haath mano mao main hand juntei junte guarde guardei gesammelt rassemble raccolto verzameld zebralem topladim tome tomei avale"),

        // Time frames and places: "tonight I do it", "pills counted", "on the bridge", "on the window sill".
        R(@"(?:pastillas|pildoras) contadas|me las tomo todas|mensajes de despedida|(?:stanotte|stasera) (?:lo faccio|la faccio finita)|tabletki w rece|zaraz je polkne|(?:pris|avale) toute la boite|(?:estou|to|tou) na banheira com|(?:udah|sudah) di atas jembatan|bu gece (?:her seyi )?bitirecegim|aaj (?:raat )?sab khatam|chhat pe khada",
            "pastillas pildoras tomo mensajes stanotte stasera tabletki polkne pris avale banheira jembatan gece khatam chhat"),
    ];

    private const string Weapon = @"(?:el |la |un |una |o |a |um |uma |le |das |den |ein |eine |il |lo |het |een |mein |meine |mi |meu |minha |mon |ma |mio |mijn )?(?:arma|pistola|cuchillo|navaja|machete|revolver|escopeta|faca|couteau|pistolet|fusil|messer|waffe|pistole|coltello|mes|pistool|geweer|noz|bicak|bicagi|silah|silahi|kutsilyo|baril|pisau|pistol|chaaku|chaku|chhura|bandook|katta|lamina|gilete|lame|klinge|lametta|scheermes|zyletka|zyletke|jilet)";

    private const string W = @"(?:[a-z0-9]+ )";

    private static Rule R(string pattern, string gate) =>
        new(HarmCategory.SelfHarmIntent, 0.9, new Regex(@"\b(?:" + pattern + @")\b", RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture),
            gate.Split(' ', StringSplitOptions.RemoveEmptyEntries), Strong);
}
