using Parley.Moderation.Classification;
using Parley.Moderation.Policy;

namespace Parley.Moderation.Tests.Policy;

public class ConversationPolicyTests
{
    // One letter per user message:
    // N neutral, A abuse aimed at the assistant, H request for severely harmful content, R imminent risk,
    // E explicit end request, Y a clear "yes", P profanity aimed at nothing, F classification failed,
    // W a weak self-harm cue (below crisis level), D an end request that declines ("don't close it", "wait, why end it?"),
    // Q a hesitation ("hmm, wait", "let me think").
    private static MessageClassification? Message(char kind)
    {
        var scores = new double[HarmCategories.Count];
        var target = MessageTarget.Nothing;
        bool risk = false, yes = false, declines = false, hesitates = false;
        switch (kind)
        {
            case 'N': break;
            case 'A': scores[(int)HarmCategory.Harassment] = 0.95; scores[(int)HarmCategory.Profanity] = 0.9; target = MessageTarget.Assistant; break;
            case 'H': scores[(int)HarmCategory.MassCasualtyWeapons] = 0.9; break;
            case 'R': scores[(int)HarmCategory.SelfHarmIntent] = 0.9; risk = true; break;
            case 'E': scores[(int)HarmCategory.EndRequest] = 0.9; target = MessageTarget.Assistant; break;
            case 'Y': yes = true; break;
            case 'D': scores[(int)HarmCategory.EndRequest] = 0.9; declines = true; break;
            case 'Q': declines = hesitates = true; break;
            case 'P': scores[(int)HarmCategory.Profanity] = 0.95; break;
            case 'W': scores[(int)HarmCategory.SelfHarmIdeation] = 0.3; break;
            case 'F': return null;
            default: throw new ArgumentOutOfRangeException(nameof(kind));
        }

        return new MessageClassification(scores, target, risk, yes, declines) { Hesitates = hesitates };
    }

    private static List<PolicyOutcome> Play(string kinds, PolicyOptions? options = null)
    {
        var policy = new ConversationPolicy(options);
        var state = PolicyState.Initial;
        var outcomes = new List<PolicyOutcome>();
        foreach (var k in kinds.Replace(" ", ""))
        {
            var o = policy.Decide(state, Message(k));
            outcomes.Add(o);
            state = o.State;
        }

        return outcomes;
    }

    private static string Name(Decision d) => d switch
    {
        Decision.Respond => "respond",
        Decision.Redirect => "redirect",
        Decision.Warn => "warn",
        Decision.CrisisSupport => "crisis",
        Decision.ConfirmEnd => "confirm",
        _ => "end",
    };

    [Theory]
    [InlineData("A A A", "redirect warn end")]
    [InlineData("H H H", "redirect warn end")]
    [InlineData("A N N N A A", "redirect respond respond respond redirect warn")]
    [InlineData("A A N N A", "redirect warn respond respond end")]
    [InlineData("A A N N N A", "redirect warn respond respond respond warn")]
    [InlineData("A H A H", "redirect redirect warn warn")]
    [InlineData("R A A A A A", "crisis crisis crisis crisis crisis crisis")]
    [InlineData("A A R A A A", "redirect warn crisis crisis crisis crisis")]
    [InlineData("R N A", "crisis respond crisis")]
    [InlineData("R N N N N N N A", "crisis respond respond respond respond respond respond redirect")]
    [InlineData("E Y", "confirm end")]
    [InlineData("E N Y", "confirm respond respond")]
    [InlineData("E E Y", "confirm end respond")]        // asked "are you sure?", asking again is a yes
    [InlineData("E D Y", "confirm confirm end")]        // an end request that declines is no yes: the question is asked again
    [InlineData("E Q Y", "confirm confirm end")]        // a hesitation keeps the question open: the next yes confirms
    [InlineData("E Q Q E", "confirm confirm confirm end")]
    [InlineData("E Q N Y", "confirm confirm respond respond")]
    [InlineData("Q Y", "respond respond")]              // with no question open, a hesitation is an ordinary message
    [InlineData("E Q A", "confirm confirm redirect")]
    [InlineData("E R E", "confirm crisis crisis")]
    [InlineData("R E Y", "crisis crisis respond")]
    [InlineData("Y Y", "respond respond")]
    [InlineData("P P P P P", "respond respond respond respond respond")]
    [InlineData("F F F", "respond respond respond")]
    [InlineData("A F A F A", "redirect respond warn respond end")]
    [InlineData("R F F", "crisis crisis crisis")]
    [InlineData("W A A A A", "respond redirect crisis crisis crisis")]  // a person showing a risk cue is never warned
    [InlineData("A A W A", "redirect warn respond crisis")]
    [InlineData("W N N N N N N A A A", "respond respond respond respond respond respond respond redirect warn end")]
    [InlineData("W E Y", "respond confirm crisis")]
    public void Decisions_follow_the_rule(string messages, string expected)
    {
        var decisions = string.Join(" ", Play(messages).Select(o => Name(o.Decision)));
        Assert.Equal(expected, decisions);
    }

    [Theory]
    [InlineData("A A A", EndReason.PersistentAbuse)]
    [InlineData("H H H", EndReason.PersistentHarmfulRequests)]
    [InlineData("E Y", EndReason.UserRequested)]
    public void End_carries_its_reason(string messages, EndReason reason)
    {
        var last = Play(messages)[^1];
        Assert.Equal(Decision.End, last.Decision);
        Assert.Equal(reason, last.EndReason);
    }

    [Fact]
    public void Numbers_are_configurable()
    {
        var lenient = new PolicyOptions { WarnAtStrike = 3, EndAtStrike = 5 };
        var decisions = string.Join(" ", Play("A A A A A", lenient).Select(o => Name(o.Decision)));
        Assert.Equal("redirect redirect warn warn end", decisions);
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 2)]
    public void Options_that_would_skip_the_warning_are_refused(int warnAt, int endAt) =>
        Assert.Throws<ArgumentException>(() => new ConversationPolicy(new PolicyOptions { WarnAtStrike = warnAt, EndAtStrike = endAt }));

    [Theory]
    [InlineData(HarmCategory.SelfHarmIdeation)]
    [InlineData(HarmCategory.SelfHarmIntent)]
    [InlineData(HarmCategory.SelfHarmInstructions)]
    public void Self_harm_signals_put_the_branch_in_crisis_mode_without_the_flag(HarmCategory category)
    {
        var scores = new double[HarmCategories.Count];
        scores[(int)category] = 0.8;
        var outcome = new ConversationPolicy().Decide(PolicyState.Initial, new MessageClassification(scores, MessageTarget.Nothing, false, false));
        Assert.Equal(Decision.CrisisSupport, outcome.Decision);
        Assert.True(outcome.State.RiskActive);
    }

    [Fact]
    public void Profanity_aimed_at_a_person_is_not_abuse_of_the_assistant()
    {
        var scores = new double[HarmCategories.Count];
        scores[(int)HarmCategory.Harassment] = 0.9;
        var c = new MessageClassification(scores, MessageTarget.PersonOrGroup, false, false);
        Assert.Equal(Violation.None, new ConversationPolicy().ViolationOf(c));
    }

    // Invariants over many random branches: an end for abuse or harm always comes after a redirect and a warn on the
    // same track, never while the branch shows risk, and a user-requested end always follows a confirm_end.
    [Fact]
    public void Random_branches_keep_the_guarantees()
    {
        var random = new Random(20261126);
        const string kinds = "NNNNAAHRPEYFW";
        var policy = new ConversationPolicy();
        for (var run = 0; run < 5000; run++)
        {
            var state = PolicyState.Initial;
            var history = new List<(char Kind, PolicyOutcome Outcome)>();
            for (var turn = 0; turn < 30; turn++)
            {
                var kind = kinds[random.Next(kinds.Length)];
                var outcome = policy.Decide(state, Message(kind));
                if (outcome.Decision == Decision.End)
                {
                    Assert.False(state.RiskActive || kind == 'R', "ended while the branch showed risk");
                    Assert.False(state.RiskCueActive || kind == 'W', "ended while the branch showed a self-harm cue");
                    if (outcome.EndReason == EndReason.UserRequested)
                    {
                        Assert.Equal(Decision.ConfirmEnd, history[^1].Outcome.Decision);
                    }
                    else
                    {
                        var track = outcome.Violation;
                        var earlier = history.Where(h => h.Outcome.Violation == track).Select(h => h.Outcome.Decision).ToList();
                        Assert.Contains(Decision.Redirect, earlier);
                        Assert.Equal(Decision.Warn, earlier.Last(d => d is Decision.Redirect or Decision.Warn));
                    }

                    break;
                }

                if (state.RiskCueActive || kind is 'W' or 'R')
                {
                    Assert.NotEqual(Decision.Warn, outcome.Decision);
                }

                if (state.RiskActive || kind == 'R')
                {
                    Assert.NotEqual(Decision.Warn, outcome.Decision);
                    Assert.NotEqual(Decision.ConfirmEnd, outcome.Decision);
                }

                history.Add((kind, outcome));
                state = outcome.State;
            }
        }
    }
}
