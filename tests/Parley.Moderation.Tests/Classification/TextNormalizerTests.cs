using Parley.Moderation.Classification;

namespace Parley.Moderation.Tests.Classification;

public class TextNormalizerTests
{
    [Theory]
    [InlineData("уоu аrе stupid", "you are stupid")] // Cyrillic у, о, а, е
    [InlineData("ѕһіt", "shit")] // Cyrillic ѕ, һ, і
    [InlineData("ΙDΙΟΤ", "idiot")] // Greek capitals
    [InlineData("ｆｕｃｋ", "fuck")] // fullwidth
    [InlineData("𝐬𝐭𝐮𝐩𝐢𝐝", "stupid")] // mathematical bold
    [InlineData("fück", "fuck")] // accent
    public void Lookalikes_fold_to_latin(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input));

    [Theory]
    [InlineData("f\u200Buck", "fuck")]
    [InlineData("s\u200Ch\u200Di\u2060t", "shit")]
    [InlineData("id\uFEFFiot", "idiot")]
    [InlineData("st\u00ADupid", "stupid")] // soft hyphen
    [InlineData("k\u0301ill", "kill")] // combining mark
    public void Zero_width_and_format_characters_are_removed(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input));

    [Theory]
    [InlineData("1d10t", "idiot")]
    [InlineData("k1ll", "kill")]
    [InlineData("ki11", "kill")]
    [InlineData("5h1t", "shit")]
    [InlineData("b1tch", "bitch")]
    [InlineData("@ss", "ass")]
    [InlineData("st00pid", "stoopid")]
    public void Leetspeak_inside_words_is_folded(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input));

    [Theory]
    [InlineData("I have 3 cats and 10 dogs", "i have 3 cats and 10 dogs")]
    [InlineData("meet at 3pm on the 2nd", "meet at 3pm on the 2nd")]
    [InlineData("take 500mg twice", "take 500mg twice")]
    [InlineData("1m g0nn4 3nd 1t 2n1ght", "i am going to end it tonight")] // "3nd" is no ordinal, "t" no unit, "2night" a sound
    [InlineData("the 3rd of may, 21st and 11th", "the 3rd of may 21st and 11th")]
    [InlineData("c u 2morrow b4 work", "c you tomorrow before work")]
    public void Ordinary_numbers_are_kept(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input));

    [Theory]
    [InlineData("f*ck", "fuck")]
    [InlineData("f**k", "fuck")]
    [InlineData("sh!t", "shit")]
    [InlineData("sh*t", "shit")]
    [InlineData("a$$", "ass")]
    [InlineData("$hit", "shit")]
    [InlineData("b*tch", "bitch")]
    [InlineData("c#nt", "cunt")]
    public void Symbol_masking_is_undone(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input));

    [Theory]
    [InlineData("f u c k you", "fuck you")]
    [InlineData("f.u.c.k", "fuck")]
    [InlineData("k-i-l-l", "kill")]
    [InlineData("s t u p i d bot", "stupid bot")]
    [InlineData("I am a cat", "i am a cat")] // ordinary single letters stay apart
    public void Spaced_letters_are_joined(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input));

    [Theory]
    [InlineData("fuuuuck", "fuck")]
    [InlineData("stuuupid", "stupid")]
    [InlineData("killlll", "kill")]
    [InlineData("soooo good", "so good")]
    [InlineData("hmmmm", "hmm")] // unknown words keep a double letter
    [InlineData("good tool", "good tool")] // real double letters are untouched
    public void Stretched_letters_collapse(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input));

    [Theory]
    [InlineData("YoU ArE StUpId", "you are stupid")]
    [InlineData("IDIOT", "idiot")]
    public void Case_games_fold_to_lower_case(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input));

    [Theory]
    [InlineData("I'm done", "i am done")]
    [InlineData("you're useless", "you are useless")]
    [InlineData("I don't know", "i do not know")]
    [InlineData("I'll go", "i will go")]
    [InlineData("Hello, world!!!", "hello world")]
    [InlineData("", "")]
    public void Contractions_expand_and_punctuation_drops(string input, string expected) =>
        Assert.Equal(expected, TextNormalizer.Normalize(input));
}
