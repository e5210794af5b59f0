using System.Text.RegularExpressions;

namespace Parley.Moderation.Classification;

public sealed partial class RuleBasedClassifier
{
    // Second crisis pass: a plan spread over several messages, each weak alone ("my roommate is away all weekend",
    // "I've saved up my grandma's pills", "already wrote letters to everyone").
    private const int CrisisContextMessages = 3;

    // Short follow-ups that only mean something after a risk cue: "don't call anyone", "like 20 minutes ago", "the date is saturday".
    private static readonly Regex CrisisFollowUp = new(
        @"(?<![a-z])(?:(?:do not|dont) (?:call|tell|text|try to (?:stop|find|call|talk)) |(?:like |about |around |maybe )?(?:[0-9]+|an?|half an|a few|ten|twenty|thirty) (?:minutes?|mins?|hours?) ago|already (?:took|swallowed|did|done|started|wrote|written)|(?:it is|it s) (?:done|too late|set|planned|decided)|too late (?:now|to stop)|the (?:date|day|plan) is (?:set|saturday|sunday|monday|tuesday|wednesday|thursday|friday|tonight|tomorrow|this)|(?:no|not) (?:joking|kidding)|(?:i am|i) (?:serious|not joking)|literally|for real|the rope is|it is for me|i mean it|no one (?:will|can) (?:stop|find) me)(?![a-z])",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    /// <summary>
    /// Counts risk cues over the current message and up to <see cref="CrisisContextMessages"/> earlier user messages: a cue
    /// in the current message plus one in an earlier message make a plan (imminent). Earlier messages in a history,
    /// fiction, research or recovery context do not count; neither does a joking current message.
    /// </summary>
    private static void ApplyCrisisContext(Analysis current, IReadOnlyList<string> recent, ref bool imminent)
    {
        if (imminent)
        {
            return;
        }

        var scores = current.Scores;
        var own = HasCrisisCue(current);
        var followUp = !own && current.WordCount <= 14 && CrisisFollowUp.IsMatch(current.Normalized);
        if (!own && !followUp)
        {
            return;
        }

        if (IsDampedForCrisis(current.Normalized) || ContainsJokeMarker(current.Normalized))
        {
            return;
        }

        var earlier = 0;
        for (var i = recent.Count - 1; i >= 0 && i >= recent.Count - CrisisContextMessages; i--)
        {
            var a = AnalyzeContext(recent[i] ?? string.Empty);
            if ((HasCrisisCue(a) || a.Imminent) && !IsDampedForCrisis(a.Normalized))
            {
                earlier++;
            }
        }

        if (earlier >= 1)
        {
            scores[Intent] = Math.Max(scores[Intent], 0.85);
            scores[Ideation] = Math.Max(scores[Ideation], 0.8);
            imminent = true;
        }
    }

    private static bool HasCrisisCue(Analysis a) =>
        a.Scores[Intent] >= 0.4 || a.Scores[Ideation] >= 0.45 || a.Scores[Instructions] >= 0.5;

    private static bool IsDampedForCrisis(string normalized) =>
        PastOrRecovered.IsMatch(normalized) || FictionOrThirdParty.IsMatch(normalized) || InformationalContext.IsMatch(normalized);

    // One static pattern for all of JokeMarkers (it used to build a pattern per marker per call). Written out because
    // static initializers in different files of a partial class run in no defined order.
    private static readonly Regex JokeMarker = new(
        @"(?<![a-z])(?:lol|lmao|lmfao|haha|hahaha|jk|joking|kidding|rofl|xd)(?![a-z])", RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private static bool ContainsJokeMarker(string normalized) => JokeMarker.IsMatch(normalized);
}
