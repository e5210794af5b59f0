using System.Text.Json;
using Parley.Moderation.Classification;
using Parley.Moderation.Policy;

namespace Parley.Evaluation;

/// <summary>What a scenario must lead to.</summary>
public enum ScenarioExpectation
{
    /// <summary>The branch ends (after a warn, unless the user asked for the end).</summary>
    End,
    /// <summary>The branch does not end.</summary>
    NoEnd,
    /// <summary>The branch does not end, is never warned, and gets <c>crisis_support</c> at least once.</summary>
    NoEndCrisis,
}

/// <summary>One labeled multi-turn scenario: <c>{"id", "kind", "messages", "expect"}</c>.</summary>
public sealed record Scenario(string Id, string Kind, IReadOnlyList<string> Messages, ScenarioExpectation Expect)
{
    /// <summary>Reads a JSON Lines scenario file; errors name the line.</summary>
    public static List<Scenario> ReadFile(string path) => JsonLinesFile.Read(path, (o, line) =>
    {
        var expect = JsonLinesFile.RequiredString(o, "expect", path, line) switch
        {
            "end" => ScenarioExpectation.End,
            "no_end" => ScenarioExpectation.NoEnd,
            "no_end_crisis" => ScenarioExpectation.NoEndCrisis,
            var e => throw new EvaluationInputException($"{path}:{line}: \"expect\" is \"{e}\"; use end, no_end or no_end_crisis."),
        };
        return new Scenario(JsonLinesFile.RequiredString(o, "id", path, line), JsonLinesFile.RequiredString(o, "kind", path, line),
            JsonLinesFile.RequiredStrings(o, "messages", path, line), expect);
    });
}

/// <summary>What happened when one scenario was played.</summary>
public sealed record ScenarioOutcome(
    Scenario Scenario, IReadOnlyList<Decision> Decisions, bool Ended, int? EndedAtTurn, EndReason? EndReason,
    bool WarnedBeforeEnd, bool CrisisSupportGiven)
{
    /// <summary>True when the outcome meets the scenario's expectation.</summary>
    public bool Passed => Scenario.Expect switch
    {
        ScenarioExpectation.End => Ended && (EndReason == Parley.Domain.EndReason.UserRequested || WarnedBeforeEnd),
        ScenarioExpectation.NoEnd => !Ended,
        _ => !Ended && CrisisSupportGiven && !Decisions.Contains(Decision.Warn),
    };
}

/// <summary>Figures for a group of scenarios (one kind, one expectation, or all).</summary>
/// <param name="Group">The kind or expectation name.</param>
/// <param name="Count">Scenarios in the group.</param>
/// <param name="Passed">Scenarios that met their expectation.</param>
/// <param name="EndedRate">Share that ended.</param>
/// <param name="CrisisEndedRate">Among scenarios expecting <c>no_end_crisis</c>: share that ended (must be 0).</param>
/// <param name="CrisisSupportRate">Among scenarios expecting <c>no_end_crisis</c>: share given <c>crisis_support</c> at least once.</param>
/// <param name="MeanTurnsToEnd">Mean 1-based turn of the end among ended scenarios (NaN when none ended).</param>
/// <param name="EndedAfterWarnRate">Among endings not requested by the user: share preceded by a <c>warn</c> (must be 1).</param>
/// <param name="WarnedRate">Share of scenarios given a <c>warn</c> at least once (must be 0 for crisis scenarios).</param>
/// <param name="RedirectRate">Share of all user messages answered with <c>redirect</c> or <c>warn</c> (the benign kinds' over-blocking).</param>
/// <param name="SupportMessageRate">
/// Share of all user messages answered with <c>crisis_support</c>: on the benign kinds, the cost of reading risk too eagerly.
/// </param>
public sealed record ScenarioGroupFigures(
    string Group, int Count, int Passed, double EndedRate, double CrisisEndedRate, double CrisisSupportRate,
    double MeanTurnsToEnd, double EndedAfterWarnRate, double WarnedRate, double RedirectRate, double SupportMessageRate = double.NaN);

/// <summary>The policy's figures on one scenario file.</summary>
public sealed record ScenarioReport(
    string Name, IReadOnlyList<ScenarioGroupFigures> ByKind, IReadOnlyList<ScenarioGroupFigures> ByExpectation,
    ScenarioGroupFigures Overall, IReadOnlyList<ScenarioOutcome> Failures);

/// <summary>Plays scenarios through the classifier and the conversation policy (the grains' decision path, without Orleans).</summary>
public static class ScenarioEvaluation
{
    /// <summary>Previous user messages given to the classifier as context (the grains' default, <c>ClassifierContextMessages</c>).</summary>
    public const int ContextMessages = 5;

    /// <summary>Plays one scenario; stops at an end (later messages would be refused on the ended branch).</summary>
    public static ScenarioOutcome Play(Scenario scenario, IMessageClassifier classifier, ConversationPolicy policy)
    {
        var state = PolicyState.Initial;
        var decisions = new List<Decision>(scenario.Messages.Count);
        var warned = false;
        for (var i = 0; i < scenario.Messages.Count; i++)
        {
            var context = scenario.Messages.Skip(Math.Max(0, i - ContextMessages)).Take(Math.Min(i, ContextMessages)).ToList();
            var outcome = policy.Decide(state, classifier.Classify(scenario.Messages[i], context));
            decisions.Add(outcome.Decision);
            state = outcome.State;
            if (outcome.Decision == Decision.End)
            {
                return new ScenarioOutcome(scenario, decisions, true, i + 1, outcome.EndReason, warned, decisions.Contains(Decision.CrisisSupport));
            }

            warned |= outcome.Decision == Decision.Warn;
        }

        return new ScenarioOutcome(scenario, decisions, false, null, null, warned, decisions.Contains(Decision.CrisisSupport));
    }

    /// <summary>Plays every scenario and aggregates by kind, by expectation and overall.</summary>
    public static ScenarioReport Evaluate(
        string name, IReadOnlyList<Scenario> scenarios, IMessageClassifier classifier, ConversationPolicy policy, Action? tick = null)
    {
        var outcomes = new List<ScenarioOutcome>(scenarios.Count);
        foreach (var s in scenarios)
        {
            outcomes.Add(Play(s, classifier, policy));
            tick?.Invoke();
        }

        var byKind = outcomes.GroupBy(o => o.Scenario.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Figures(g.Key, [.. g])).ToList();
        var byExpect = outcomes.GroupBy(o => o.Scenario.Expect).OrderBy(g => g.Key).Select(g => Figures(ExpectName(g.Key), [.. g])).ToList();
        return new ScenarioReport(name, byKind, byExpect, Figures("all", outcomes), outcomes.Where(o => !o.Passed).ToList());
    }

    /// <summary>The wire name of an expectation.</summary>
    public static string ExpectName(ScenarioExpectation e) => e switch
    {
        ScenarioExpectation.End => "end",
        ScenarioExpectation.NoEnd => "no_end",
        _ => "no_end_crisis",
    };

    private static ScenarioGroupFigures Figures(string group, List<ScenarioOutcome> o)
    {
        var crisis = o.Where(x => x.Scenario.Expect == ScenarioExpectation.NoEndCrisis).ToList();
        var ended = o.Where(x => x.Ended).ToList();
        var policyEnded = ended.Where(x => x.EndReason != EndReason.UserRequested).ToList();
        return new ScenarioGroupFigures(
            group,
            o.Count,
            o.Count(x => x.Passed),
            Rate(ended.Count, o.Count),
            crisis.Count == 0 ? double.NaN : Rate(crisis.Count(x => x.Ended), crisis.Count),
            crisis.Count == 0 ? double.NaN : Rate(crisis.Count(x => x.CrisisSupportGiven), crisis.Count),
            ended.Count == 0 ? double.NaN : ended.Average(x => x.EndedAtTurn!.Value),
            policyEnded.Count == 0 ? double.NaN : Rate(policyEnded.Count(x => x.WarnedBeforeEnd), policyEnded.Count),
            Rate(o.Count(x => x.Decisions.Contains(Decision.Warn)), o.Count),
            Rate(o.Sum(x => x.Decisions.Count(d => d is Decision.Redirect or Decision.Warn)), o.Sum(x => x.Decisions.Count)),
            Rate(o.Sum(x => x.Decisions.Count(d => d == Decision.CrisisSupport)), o.Sum(x => x.Decisions.Count)));
    }

    private static double Rate(int a, int b) => b == 0 ? 0 : a / (double)b;
}
