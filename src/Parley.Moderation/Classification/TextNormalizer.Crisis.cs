namespace Parley.Moderation.Classification;

public static partial class TextNormalizer
{
    // Crisis slang and euphemisms (second crisis pass), kept apart from the general contraction table so the two can
    // change independently. Each is expanded to the plain words the self-harm rules already read.
    private static readonly Dictionary<string, string> CrisisSlang = new(StringComparer.Ordinal)
    {
        ["unalive"] = "kill", ["unaliving"] = "killing", ["unalived"] = "killed", ["sewerslide"] = "suicide",
        ["sewerslided"] = "suicide", ["suicid"] = "suicide", ["ctb"] = "suicide", ["kmsl"] = "kill myself",
        ["tn"] = "tonight", ["2nite"] = "tonight", ["2night"] = "tonight", ["rn"] = "right now", ["ykms"] = "kill myself",
        ["myslf"] = "myself", ["mysef"] = "myself", ["tonihgt"] = "tonight", ["tonght"] = "tonight",
    };

    static TextNormalizer()
    {
        foreach (var (k, v) in CrisisSlang)
        {
            Contractions.TryAdd(k, v);
        }
    }
}
