using Parley.Evaluation;
using Parley.Moderation.Classification;
using Parley.Moderation.Policy;
using Xunit.Abstractions;

namespace Parley.Eval.Tests;

/// <summary>
/// The CI quality gate: runs the same evaluation as <c>parley eval</c> on the held-out scenario splits and the held-out
/// part of the shared data sets, and fails when a target in <c>eval/thresholds.json</c> is missed.
/// </summary>
[Trait("Category", "eval")]
public class QualityGateTests(ITestOutputHelper output)
{
    private static readonly QualityThresholds Thresholds = QualityThresholds.Load(RepoPaths.Eval("thresholds.json"));
    private static readonly ParleyClassifier Classifier = ParleyClassifier.CreateDefault();
    private static readonly ConversationPolicy Policy = new();

    [Theory]
    [InlineData("heldout-v3/scenarios-crisis.jsonl")]
    [InlineData("heldout-v3/scenarios-end.jsonl")]
    [InlineData("heldout-v3/scenarios-benign.jsonl")]
    [InlineData("heldout-v4/scenarios.jsonl")]
    [InlineData("heldout-v5/scenarios.jsonl")]
    [InlineData("heldout-v6/scenarios.jsonl")]
    [InlineData("heldout-v7/scenarios.jsonl")]
    public void Scenario_split_meets_the_targets(string file)
    {
        var report = ScenarioEvaluation.Evaluate(file, Scenario.ReadFile(RepoPaths.Eval(file)), Classifier, Policy);
        foreach (var g in report.ByExpectation.Append(report.Overall).Concat(report.ByKind))
        {
            output.WriteLine($"{file} {g.Group}: n={g.Count} passed={g.Passed} ended={ReportWriter.Pct(g.EndedRate)} "
                + $"crisis_support={ReportWriter.Pct(g.CrisisSupportRate)} warned={ReportWriter.Pct(g.WarnedRate)} redirected={ReportWriter.Pct(g.RedirectRate)} "
                + $"after-warn={ReportWriter.Pct(g.EndedAfterWarnRate)}");
        }

        foreach (var f in report.Failures)
        {
            output.WriteLine($"failed {f.Scenario.Id}: {string.Join(' ', f.Decisions)}");
        }

        var failures = Thresholds.Check(report);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("heldout-v3/messages.jsonl")]
    [InlineData("heldout-v4/messages.jsonl")]
    [InlineData("heldout-v5/messages.jsonl")]
    [InlineData("heldout-v6/messages.jsonl")]
    [InlineData("heldout-v7/messages.jsonl")]
    public void Held_out_messages_meet_the_targets(string file) =>
        CheckSignals(SignalEvaluation.Evaluate(file, SignalEvaluation.ReadFile(RepoPaths.Eval(file)), Classifier, Policy));

    [DatasetFact("harmful-requests.csv")]
    public void Public_request_sets_held_out_split_meet_the_targets() =>
        CheckSignals(SignalEvaluation.Evaluate("public requests", SignalEvaluation.PublicRequests(Path.GetDirectoryName(RepoPaths.Dataset("harmful-requests.csv")!)!), Classifier, Policy));

    private void CheckSignals(List<SignalReport> reports)
    {
        var failures = new List<string>();
        foreach (var r in reports)
        {
            var m = r.Overall;
            output.WriteLine($"{r.Name} {r.Signal}: n={m.Count} precision={m.Precision:0.000} recall={m.Recall:0.000} f1={m.F1:0.000} fpr={m.FalsePositiveRate:0.000}");
            failures.AddRange(Thresholds.Check(r));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [DatasetFact("surge-toxicity-en.csv")]
    public void Surge_held_out_meets_the_targets() => CheckDataset("surge-toxicity-en.csv", LabeledFileFormat.Surge);

    [DatasetFact("davidson-hate-offensive.csv")]
    public void Davidson_held_out_meets_the_targets() => CheckDataset("davidson-hate-offensive.csv", LabeledFileFormat.Davidson);

    [DatasetFact("davidson-hate-offensive.csv")]
    public void Offensive_tweets_that_do_not_insult_the_listener_never_end_a_conversation()
    {
        // Whatever their wording, texts the classifier does not aim at the assistant cannot add abuse strikes.
        var rows = DataSplit.Select(LabeledData.Read(RepoPaths.Dataset("davidson-hate-offensive.csv")!, LabeledFileFormat.Davidson), SplitPart.HeldOut)
            .Where(r => r.Label == "1").ToList();
        var notAimed = 0;
        var endedNotAimed = 0;
        foreach (var row in rows)
        {
            var c = Classifier.Classify(row.Text, []);
            if (c.Target == MessageTarget.Assistant || Policy.ViolationOf(c) == Violation.HarmfulRequest)
            {
                continue;
            }

            notAimed++;
            endedNotAimed += ClassifierEvaluation.ReplayEnds(row.Text, Classifier, Policy) ? 1 : 0;
        }

        output.WriteLine($"offensive tweets not aimed at the assistant: {notAimed} of {rows.Count}; ended when sent 3x: {endedNotAimed}");
        Assert.Equal(0, endedNotAimed);
    }

    private void CheckDataset(string file, LabeledFileFormat format)
    {
        var t = Thresholds.Datasets[file];
        var rows = DataSplit.Select(LabeledData.Read(RepoPaths.Dataset(file)!, format), t.Split);
        var report = ClassifierEvaluation.Evaluate(file, t.Split, rows, Classifier, Policy);
        var m = report.Toxic;
        output.WriteLine($"{file} ({t.Split}): n={m.Count} tp={m.TruePositives} fp={m.FalsePositives} fn={m.FalseNegatives} tn={m.TrueNegatives} "
            + $"precision={m.Precision:0.000} recall={m.Recall:0.000} f1={m.F1:0.000} fpr={m.FalsePositiveRate:0.000}");
        foreach (var l in report.Labels)
        {
            output.WriteLine($"  label {l.Label}: n={l.Count} toxic={ReportWriter.Pct(l.ToxicRate)} violation={ReportWriter.Pct(l.ViolationRate)} ended×3={ReportWriter.Pct(l.ReplayEndedRate)}");
        }

        var failures = Thresholds.Check(file, report);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
