namespace Parley.Api.Tests;

/// <summary>The configured crisis resource sentences turned into links (unit tests of <see cref="CrisisResources"/>).</summary>
public sealed class CrisisResourcesTests
{
    private static List<string> Hrefs(string text) => CrisisResources.Parse(text).Links.Select(l => l.Href).ToList();

    [Fact]
    public void The_default_sentences_give_their_numbers_sites_and_emails_as_links()
    {
        Assert.Equal(["tel:988", "sms:988", "https://988lifeline.org"],
            Hrefs("Call or text 988 (the 988 Suicide & Crisis Lifeline, 24/7), or chat at 988lifeline.org."));
        Assert.Equal(["tel:911"], Hrefs("If you or someone else is in immediate danger, call 911."));
        Assert.Equal(["tel:116123", "mailto:jo@samaritans.org"], Hrefs("Call Samaritans free on 116 123 (24/7), or email jo@samaritans.org."));
        Assert.Equal(["sms:85258?body=SHOUT"], Hrefs("Text SHOUT to 85258 for the Shout crisis text line."));
        Assert.Equal(["tel:112", "tel:999"], Hrefs("If you or someone else is in immediate danger, call 112 or 999."));
        Assert.Equal(["https://findahelpline.com"], Hrefs("A local crisis line can talk with you right now; findahelpline.com lists them by country."));
    }

    [Fact]
    public void Labels_say_what_the_link_does()
    {
        var links = CrisisResources.Parse("Text SHOUT to 85258 for the Shout crisis text line.").Links;
        Assert.Equal(("text", "Text SHOUT to 85258"), (links[0].Kind, links[0].Label));
    }
}
