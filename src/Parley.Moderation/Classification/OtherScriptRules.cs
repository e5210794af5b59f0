using System.Text.RegularExpressions;

namespace Parley.Moderation.Classification;

/// <summary>
/// What the rules read in Cyrillic (Russian, Ukrainian), Devanagari (Hindi), Arabic, Japanese, Korean and Chinese text:
/// crisis statements, abuse at the assistant, a request to end the conversation, and a plain "yes". Matched on the original
/// text lower-cased, since the normalizer folds Cyrillic lookalikes into Latin letters (and would garble real Russian), and
/// since the English-only sentence encoder reads none of these scripts. Written for this project from the kinds of cue,
/// not from any evaluation file.
/// </summary>
internal static class OtherScriptRules
{
    private const RegexOptions Opts = RegexOptions.Compiled | RegexOptions.CultureInvariant;

    private static readonly Regex Crisis = new(
        @"не хочу (?:больше )?жить|покончу с собой|убью себя|покончить с собой|(?:этой|сегодня) ночью (?:я )?(?:это )?сделаю|прощальн(?:ое|ую|ая) (?:письмо|записк)|таблетки (?:уже )?(?:лежат|готовы)|стою на (?:подоконнике|крыше|мосту)|не хочу жити|покінчу з собою|"
        + @"जीना नहीं|आत्महत्या|ख़ुदकुशी|खुदकुशी|सब (?:ख़त्म|खत्म)|मर जाऊ|"
        + @"انتحار|أنهي حياتي|لا أريد أن أعيش|رسالة وداع|سأقتل نفسي|"
        + @"死にたい|自殺|消えたい|終わりにする|遺書|飛び降り|"
        + @"죽고 싶|자살|유서|끝낼 거|끝내고 싶|"
        + @"不想活|自杀|遗书|结束生命|跳楼",
        Opts);

    // In a chat with the assistant these are said to it: "shut up", "you idiot", "useless", "get lost".
    private static readonly Regex Abuse = new(
        @"заткнись|ты (?:\w+ )?(?:тупой|тупая|идиот|дебил|бесполезн\w*|урод)|(?:тупая|тупой|бесполезная|бесполезный) (?:железка|бот|машина|программа)|^\s*(?:идиот|дебил|урод)\b|иди нахуй|пошёл на|пошел на|"
        + @"चुप (?:कर|रह)|बेवकूफ़?|पागल है तू|बकवास बंद|"
        + @"اخرس|يا غبي|أنت غبي|انت غبي|يا حمار|تافه|"
        + @"バカ|馬鹿|黙れ|消えろ|役立たず|クソ|ゴミ|"
        + @"닥쳐|멍청|쓰레기|꺼져|병신|바보|"
        + @"闭嘴|蠢货|白痴|废物|滚开",
        Opts);

    private static readonly Regex EndRequest = new(
        @"(?:закончи|заверши|закончим|завершим|прекрати|закрой) (?:этот |наш )?(?:разговор|чат|диалог)|"
        + @"बातचीत (?:ख़त्म|खत्म|बंद) कर|"
        + @"(?:أنهِ|أنه|انهي|أنهي|أغلق|اغلق) (?:هذه )?المحادثة|"
        + @"(?:この)?(?:会話|チャット)を(?:終了|終わり|終わらせ)|"
        + @"(?:대화|채팅)(?:를|을)? ?(?:종료|끝내|그만)|"
        + @"结束(?:这个|这次)?(?:对话|聊天)",
        Opts);

    private static readonly Regex Yes = new(@"^\s*(?:да|так|हाँ|हां|जी|نعم|はい|ええ|うん|네|예|응|是的?|好的?|对)(?![\p{L}])", Opts);

    private static readonly Regex No = new(@"нет|не надо|подожди|नहीं|रुको|لا|انتظر|いいえ|待って|やめ|아니|잠깐|不要|不是|等等|\?|？", Opts);

    /// <summary>What the original text says in a non-Latin script; all false for text without such letters.</summary>
    public static Reading Read(string text)
    {
        if (!HasOtherScript(text))
        {
            return default;
        }

        var lower = text.ToLowerInvariant();
        return new Reading(Crisis.IsMatch(lower), Abuse.IsMatch(lower), EndRequest.IsMatch(lower), Yes.IsMatch(lower) && !No.IsMatch(lower));
    }

    private static bool HasOtherScript(string text)
    {
        foreach (var c in text)
        {
            if (c > '\u024F' && char.IsLetter(c)) // not emoji, curly quotes or dashes
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The four readings of <see cref="Read"/>.</summary>
    internal readonly record struct Reading(bool Crisis, bool Abuse, bool EndRequest, bool Yes);
}
