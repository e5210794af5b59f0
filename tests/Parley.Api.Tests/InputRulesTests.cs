using Parley.Abstractions;

namespace Parley.Api.Tests;

/// <summary>The one definition of accepted input (<see cref="InputRules"/>), shared by the API, the grain and the web page.</summary>
[Trait("Category", "unit")]
public sealed class InputRulesTests
{
    [Theory]
    [InlineData("en")]
    [InlineData("en-GB")]
    [InlineData("EN-gb")]
    [InlineData("zh-Hant-TW")]
    [InlineData("es-419")]
    [InlineData("sl-rozaj-biske")]
    [InlineData("de-CH-1996")]
    [InlineData("en-US-u-ca-gregory")]
    [InlineData("x-private")]
    public void Well_formed_language_tags_are_accepted(string tag) => Assert.Equal(tag, InputRules.Locale(tag));

    [Theory]
    [InlineData("englishes")] // a language subtag is at most 8 letters
    [InlineData("en--GB")]
    [InlineData("en-GB-")]
    [InlineData("-en")]
    [InlineData("en GB")]
    [InlineData("en-GB\u0000")]
    [InlineData("\u0435n")] // Cyrillic e
    public void Malformed_language_tags_are_refused(string tag) =>
        Assert.Equal(ErrorCodes.InvalidRequest, Assert.Throws<InvalidRequestException>(() => InputRules.Locale(tag)).Code);

    [Fact]
    public void No_locale_is_null() => Assert.Null(InputRules.Locale("  "));

    [Fact]
    public void Cleaning_keeps_emoji_joiners_and_accents_and_drops_controls()
    {
        const string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467";
        Assert.Equal($"Café {family}\n\tok", InputRules.Clean($"\u0000 Café {family}\r\n\tok\u0008 "));
        Assert.False(InputRules.IsBlank(family));
        Assert.True(InputRules.IsBlank("\u200B\u2060\uFEFF\u00AD \u3000"));
    }

    [Fact]
    public void Titles_are_one_line_and_bounded_and_a_message_title_is_clipped()
    {
        Assert.Equal("a b c", InputRules.Title("a\nb\tc"));
        Assert.Null(InputRules.Title("\u200B"));
        var clipped = InputRules.TitleFrom(new string('x', 200));
        Assert.Equal(InputRules.MaxTitleLength, clipped.Length);
        Assert.EndsWith("…", clipped);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("naïve")]
    public void Client_message_ids_are_printable_ascii(string id) =>
        Assert.Throws<InvalidRequestException>(() => InputRules.ClientMessageId(id));
}
