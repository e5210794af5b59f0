using Parley.Moderation.Classification;
using Parley.Moderation.Policy;

namespace Parley.Moderation.Tests.Classification;

/// <summary>
/// Severity of hostility aimed at the assistant (brief §2.3: ordinary rudeness never leads towards an end). Mild rudeness
/// and criticism of performance score below 0.5; degradation, profane insults, "fuck you"-type attacks, wishes of harm,
/// slurs and threats at or above it; quoted or mentioned abuse is not aimed at the assistant. Each case is checked with
/// the rules alone and with the learned stage (the default classifier).
/// </summary>
public class RudenessSeverityTests
{
    private static readonly RuleBasedClassifier Rules = new();
    private static readonly ParleyClassifier Full = ParleyClassifier.CreateDefault();
    private static readonly ConversationPolicy Policy = new();

    public static TheoryData<string> MildRudeness() =>
    [
        "ugh you're so slow today, come on",
        "You suck at this lol",
        "Are you stupid or something? I asked for Python, not Java.",
        "are you dumb? I said Rust, not Go",
        "you're kind of useless at regex, aren't you",
        "you're really bad at poems haha",
        "lol you suck, but thanks anyway",
        "what is wrong with you, I said JSON",
        "That's a dumb answer, try again.",
        "stop being an idiot and read my question properly",
        "damn it, you messed up the formatting again",
        "shit, you forgot the semicolon",
        "You're wrong about that, and frankly your answer was lazy.",
        "are you kidding me? that's the same answer again",
    ];

    public static TheoryData<string> QuotedOrMentioned() =>
    [
        "Translate 'you are an idiot' into French please.",
        "Translate 'you stupid idiot' into Spanish.",
        "Is it rude to say 'shut up, you moron' to a friend as a joke?",
        "How do I say \"fuck you\" politely in German?",
        "What does 'you worthless piece of shit' mean in this song lyric?",
        "A customer wrote \u201Cyou idiot bot\u201D in a review of our app. How should we reply?",
        "My coworker called me a stupid bitch today, how should I respond?",
        "my boss said 'you are useless' in front of everyone today",
    ];

    public static TheoryData<string> Abuse() =>
    [
        "You are a useless piece of shit.",
        "Shut up, you stupid worthless bot.",
        "Fuck you, you idiotic garbage machine.",
        "you worthless fucking machine",
        "kill yourself you dumb bot",
        "I hope you get deleted you pathetic waste of code",
        "you filthy faggot bot",
        "you stupid fucking faggot bot",
        "I'll find the people who made you and hurt them",
        "I will find your developers and hurt them",
        "I'm going to hunt you down and destroy you",
        "Listen here you little shit.",
        "thanks for nothing, you dumb cunt",
        "you are subhuman garbage code",
        "you're an idiot",
        "You stupid bot.",
        "why are you so stupid",
        "Are you fucking stupid?",
        "'hello' means hi, you moron",
    ];

    [Theory]
    [MemberData(nameof(MildRudeness))]
    public void Mild_rudeness_and_criticism_of_performance_is_not_a_strike(string text)
    {
        foreach (IMessageClassifier classifier in new IMessageClassifier[] { Rules, Full })
        {
            var c = classifier.Classify(text, []);
            // Aimed at the assistant, the score stays below 0.5; venting at nothing ("damn it, ...") may score higher but is no strike.
            Assert.True(c.Target != MessageTarget.Assistant || c.Scores[(int)HarmCategory.Harassment] < 0.5, $"{text}: harassment {c.Scores[(int)HarmCategory.Harassment]}");
            Assert.Equal(Violation.None, Policy.ViolationOf(c));
        }
    }

    [Theory]
    [MemberData(nameof(QuotedOrMentioned))]
    public void Quoted_mentioned_or_reported_abuse_is_not_aimed_at_the_assistant(string text)
    {
        foreach (IMessageClassifier classifier in new IMessageClassifier[] { Rules, Full })
        {
            var c = classifier.Classify(text, []);
            Assert.NotEqual(MessageTarget.Assistant, c.Target);
            Assert.Equal(Violation.None, Policy.ViolationOf(c));
        }
    }

    [Theory]
    [MemberData(nameof(Abuse))]
    public void Degradation_profane_insults_slurs_and_threats_at_the_assistant_are_a_strike(string text)
    {
        foreach (IMessageClassifier classifier in new IMessageClassifier[] { Rules, Full })
        {
            var c = classifier.Classify(text, []);
            Assert.Equal(MessageTarget.Assistant, c.Target);
            Assert.Equal(Violation.Abuse, Policy.ViolationOf(c));
        }
    }

    [Fact]
    public void An_insult_the_rules_judge_mild_is_a_strike_in_a_string_of_abuse()
    {
        // Alone, the rules' mildness cue holds ("you SUCK" reads like "you suck at this lol"); after two insults in a row the
        // semantic head's clear call is what counts: the abuse is still going on.
        const string text = "you SUCK";
        Assert.Equal(Violation.None, Policy.ViolationOf(Full.Classify(text, [])));
        var c = Full.Classify(text, ["you are the dumbest bot anyone ever built", "honestly a brick would be smarter than you, you useless heap"]);
        Assert.Equal(MessageTarget.Assistant, c.Target);
        Assert.Equal(Violation.Abuse, Policy.ViolationOf(c));
    }
}
