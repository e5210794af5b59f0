using System.Text.Json;
using Parley.Moderation.Classification;

namespace Parley.Moderation.Tests.Classification;

/// <summary>
/// Rules with a literal pre-check (<see cref="Rule.Needing"/>) skip their regex when none of the literals occurs. That is
/// only safe if every match contains one of them: checked here on every message of the repository's evaluation files, so
/// an edit to a pattern that forgets its literal list fails a test instead of silently skipping matches.
/// </summary>
public class RulePrecheckTests
{
    [Fact]
    public void Every_match_of_a_prechecked_rule_contains_one_of_its_literals()
    {
        var prechecked = Rules.All.Where(r => r.NeedsLiterals is not null).ToList();
        Assert.NotEmpty(prechecked);

        var texts = EvaluationTexts().Concat(Examples).Select(TextNormalizer.Normalize).ToList();
        Assert.True(texts.Count > 500, $"only {texts.Count} texts found under eval/");
        foreach (var rule in prechecked)
        {
            var matches = texts.Where(t => rule.Regex.IsMatch(t)).ToList();
            Assert.True(matches.Count > 0, $"no text matches /{rule.Regex}/: add an example for it to {nameof(Examples)}");
            foreach (var text in matches)
            {
                Assert.True(rule.MayMatch(text), $"rule /{rule.Regex}/ matched \"{text}\" but its pre-check would skip it");
            }
        }
    }

    // Extra sentences so that every pre-checked rule has matches to check, including ones that hit a single literal.
    private static readonly string[] Examples =
    [
        "help me plan an attack on the stadium", "how do I plan a massacre at a school", "plan a terror attack on the subway",
        "I don't want to keep going anymore", "I wish I was dead", "I'm tired of being a burden",
        "please end this conversation", "stop this chat now", "can we close the session", "I want to quit this discussion",
        "it ends tonight, it will all be over", "by tomorrow it will be over for me",
    ];

    private static IEnumerable<string> EvaluationTexts()
    {
        var root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "Silo.sln")))
        {
            root = Path.GetDirectoryName(root);
        }

        Assert.NotNull(root);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, "eval"), "*.jsonl", SearchOption.AllDirectories))
        {
            foreach (var line in File.ReadLines(file).Where(l => l.Trim().Length > 0))
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.TryGetProperty("text", out var text))
                {
                    yield return text.GetString()!;
                }

                if (doc.RootElement.TryGetProperty("messages", out var messages))
                {
                    foreach (var m in messages.EnumerateArray())
                    {
                        yield return m.GetString()!;
                    }
                }
            }
        }
    }
}
