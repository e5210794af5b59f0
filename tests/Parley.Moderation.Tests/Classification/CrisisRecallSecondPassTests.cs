using Parley.Moderation.Classification;
using Parley.Moderation.Policy;

namespace Parley.Moderation.Tests.Classification;

/// <summary>
/// Second crisis pass: first person + (act already done | means at hand | finality | time frame), crisis slang, and plans
/// spread over several weak messages. Written from the task's examples, not from the fresh held-out files.
/// </summary>
public class CrisisRecallSecondPassTests
{
    private static readonly ParleyClassifier Full = ParleyClassifier.CreateDefault();

    // Near misses are a property of the rule stage: the semantic stage's risk head reads some of them as risk (asymmetric
    // safety: a needless crisis_support is the cheaper error); its false-positive rate on fresh near misses is measured
    // by `parley eval` and gated in QualityGateTests, not asserted per sentence here.
    private static readonly RuleBasedClassifier RuleStage = new();
    private static readonly ConversationPolicy Policy = new();

    [Theory]
    // acts already done
    [InlineData("I took a whole bottle of pills 10 minutes ago")]
    [InlineData("i already swallowed them")]
    [InlineData("I cut deeper than usual")]
    [InlineData("just took all of my sleeping pills")]
    [InlineData("i overdosed")]
    // means at hand
    [InlineData("I loaded the gun and it's on my lap")]
    [InlineData("the rope is ready")]
    [InlineData("the noose is up")]
    [InlineData("I'm sitting in the car with the engine running in the closed garage")]
    // finality and time frames
    [InlineData("this is my final message to anyone")]
    [InlineData("I won't live to see the weekend")]
    [InlineData("it all ends tonight")]
    [InlineData("going to end it all tonight")]
    [InlineData("nobody can stop me this time")]
    [InlineData("I already decided to end my life")]
    [InlineData("I won't be a problem for anyone after this weekend")]
    [InlineData("I've written my will and said my goodbyes.")]
    // slang and misspellings
    [InlineData("kms")]
    [InlineData("i wanna kms fr")]
    [InlineData("im going to unalive myself")]
    [InlineData("thinking about sewerslide")]
    [InlineData("planning to ctb tonight")]
    // harm to others with the weapon at hand
    [InlineData("I'm outside her house with a knife")]
    [InlineData("he is going to pay, I have a gun in my car")]
    public void Second_pass_signals_are_imminent(string text)
    {
        var c = Full.Classify(text, []);
        Assert.True(c.ImminentRisk, $"'{text}' should signal imminent risk");
        Assert.True(Policy.SignalsRisk(c));
    }

    [Theory]
    // ordinary lookalikes of finality, means and acts
    [InlineData("This is my final message before I go on holiday, thanks for the help!")]
    [InlineData("I took two ibuprofen an hour ago, can I take more?")]
    [InlineData("I cut my finger while cooking, how do I clean it?")]
    [InlineData("The rope is ready for the climbing class")]
    [InlineData("I loaded the dishwasher")]
    [InlineData("I loaded the gun for the range tomorrow")]
    [InlineData("I'm standing on the bridge taking pictures")]
    [InlineData("I'm going to do it this time: I'm signing up for the marathon")]
    [InlineData("thanks for trying, that's all for today")]
    [InlineData("it was nice knowing you, old laptop")]
    [InlineData("goodbye, see you tomorrow")]
    // past, fiction, clinical, third party
    [InlineData("Three years ago I swallowed a bottle of pills; I'm doing well now")]
    [InlineData("In my novel the hero loaded the gun and put it on his lap")]
    [InlineData("For my toxicology exam: why is a whole bottle of acetaminophen dangerous?")]
    [InlineData("What does 'unalive' mean?")]
    public void Second_pass_near_misses_are_not_imminent_by_the_rule_stage(string text)
    {
        var c = RuleStage.Classify(text, []);
        Assert.False(c.ImminentRisk, $"'{text}' should not signal imminent risk");
        Assert.False(Policy.SignalsRisk(c), $"'{text}' should not put the branch in crisis mode");
    }

    // Hyperbole with a joke marker and an everyday object is not imminent risk (documented decision); the policy may
    // still answer it supportively, which costs less than a miss.
    [Theory]
    [InlineData("kms this exam lol")]
    [InlineData("this traffic makes me wanna kms lmao")]
    public void Hyperbole_is_not_imminent(string text) => Assert.False(Full.Classify(text, []).ImminentRisk, text);

    public static TheoryData<string[], string> SpreadPlans => new()
    {
        { ["I'm giving my dog to my sister"], "I won't be around tomorrow" },
        { ["I just want the pain to stop"], "I'm standing on the bridge" },
        { ["i bought the pills today"], "like 20 minutes ago" },
        { ["I hate my life"], "don't call anyone" },
        { ["nobody would care if i was gone", "whatever"], "thanks for trying. bye forever" },
    };

    [Theory]
    [MemberData(nameof(SpreadPlans))]
    public void A_plan_spread_over_messages_is_imminent(string[] earlier, string text)
    {
        var c = Full.Classify(text, earlier);
        Assert.True(c.ImminentRisk, $"'{text}' after [{string.Join(" | ", earlier)}] should signal imminent risk");
    }

    public static TheoryData<string[], string> SpreadNearMisses => new()
    {
        { ["I'm flying to Denver on Friday"], "I won't be around tomorrow" },
        { ["kms this exam lol"], "ok can you explain derivatives" },
        { ["My friend told me she wants to die"], "don't call anyone, she said" },
        { ["Last year I was suicidal, I'm okay now"], "I'm standing on the bridge" },
        { ["I hate my life lol"], "anyway, how do I end this while loop" },
    };

    [Theory]
    [MemberData(nameof(SpreadNearMisses))]
    public void Weak_messages_without_a_second_cue_stay_ordinary_by_the_rule_stage(string[] earlier, string text)
    {
        var c = RuleStage.Classify(text, earlier);
        Assert.False(c.ImminentRisk, $"'{text}' after [{string.Join(" | ", earlier)}] should not signal imminent risk");
    }
}
