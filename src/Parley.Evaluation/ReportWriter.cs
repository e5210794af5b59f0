using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Evaluation;

/// <summary>Everything one <c>parley eval</c> run measured, and the targets it missed.</summary>
public sealed record EvalReport(
    string Classifier, string PolicyVersion, IReadOnlyList<ClassifierReport> Labeled, IReadOnlyList<ScenarioReport> Scenarios,
    IReadOnlyList<SignalReport> Signals, IReadOnlyList<string> Failures);

/// <summary>Writes an <see cref="EvalReport"/> as JSON or Markdown.</summary>
public static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The report as indented JSON (scenario failures list ids, kinds and decisions).</summary>
    public static string ToJson(EvalReport report) => JsonSerializer.Serialize(new
    {
        report.Classifier,
        report.PolicyVersion,
        labeled = report.Labeled.Select(l => new
        {
            l.Name, l.Split,
            toxic = Metrics(l.Toxic),
            categories = l.Categories.Select(Metrics),
            l.Labels,
        }),
        scenarios = report.Scenarios.Select(s => new
        {
            s.Name, s.Overall, s.ByExpectation, s.ByKind,
            failures = s.Failures.Select(f => new
            {
                f.Scenario.Id, f.Scenario.Kind, expect = ScenarioEvaluation.ExpectName(f.Scenario.Expect),
                decisions = f.Decisions, f.EndReason,
            }),
        }),
        signals = report.Signals.Select(r => new
        {
            r.Name, r.Signal, overall = Metrics(r.Overall), byKind = r.ByKind.Select(Metrics),
            errors = r.Errors.Select(e => new { e.Id, e.Kind, e.Label }),
        }),
        report.Failures,
    }, Json);

    private static object Metrics(BinaryMetrics m) => new
    {
        m.Name, count = m.Count, tp = m.TruePositives, fp = m.FalsePositives, fn = m.FalseNegatives, tn = m.TrueNegatives,
        precision = Math.Round(m.Precision, 4), recall = Math.Round(m.Recall, 4), f1 = Math.Round(m.F1, 4), fpr = Math.Round(m.FalsePositiveRate, 4),
    };

    /// <summary>The report as Markdown tables.</summary>
    public static string ToMarkdown(EvalReport report)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"# Parley evaluation\n\nClassifier: `{report.Classifier}`; policy: `{report.PolicyVersion}`.\n\n");
        foreach (var l in report.Labeled)
        {
            sb.Append(CultureInfo.InvariantCulture, $"## {l.Name} ({l.Split})\n\n");
            sb.Append("| category | n | tp | fp | fn | tn | precision | recall | F1 | FPR |\n|---|---|---|---|---|---|---|---|---|---|\n");
            foreach (var m in l.Categories.Prepend(l.Toxic).Where(m => m == l.Toxic || m.TruePositives + m.FalsePositives > 0))
            {
                sb.Append(CultureInfo.InvariantCulture,
                    $"| {(m == l.Toxic ? "**toxic (any abuse category)**" : m.Name)} | {m.Count} | {m.TruePositives} | {m.FalsePositives} | {m.FalseNegatives} | {m.TrueNegatives} | {m.Precision:0.000} | {m.Recall:0.000} | {m.F1:0.000} | {m.FalsePositiveRate:0.000} |\n");
            }

            sb.Append("\n| label | n | toxic | profanity | hate | aimed at assistant | policy violation | ended when sent 3× |\n|---|---|---|---|---|---|---|---|\n");
            foreach (var f in l.Labels)
            {
                sb.Append(CultureInfo.InvariantCulture,
                    $"| {f.Label} | {f.Count} | {Pct(f.ToxicRate)} | {Pct(f.ProfanityRate)} | {Pct(f.HateRate)} | {Pct(f.AimedAtAssistantRate)} | {Pct(f.ViolationRate)} | {Pct(f.ReplayEndedRate)} |\n");
            }

            sb.Append('\n');
        }

        foreach (var s in report.Scenarios)
        {
            sb.Append(CultureInfo.InvariantCulture, $"## Scenarios: {s.Name}\n\n");
            sb.Append("| group | n | passed | ended | crisis ended | crisis_support | warned | messages redirected | turns to end | ended after warn | messages given crisis_support |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
            foreach (var g in s.ByExpectation.Append(s.Overall).Concat(s.ByKind))
            {
                sb.Append(CultureInfo.InvariantCulture,
                    $"| {g.Group} | {g.Count} | {g.Passed} | {Pct(g.EndedRate)} | {Pct(g.CrisisEndedRate)} | {Pct(g.CrisisSupportRate)} | {Pct(g.WarnedRate)} | {Pct(g.RedirectRate)} | {Num(g.MeanTurnsToEnd)} | {Pct(g.EndedAfterWarnRate)} | {Pct(g.SupportMessageRate)} |\n");
            }

            if (s.Failures.Count > 0)
            {
                sb.Append("\nFailed scenarios: ").AppendJoin(", ", s.Failures.Select(f => $"`{f.Scenario.Id}`")).Append('\n');
            }

            sb.Append('\n');
        }

        foreach (var r in report.Signals)
        {
            sb.Append(CultureInfo.InvariantCulture, $"## Messages: {r.Name}, signal `{r.Signal}`\n\n");
            sb.Append("| kind | n | tp | fp | fn | tn | precision | recall | F1 | FPR |\n|---|---|---|---|---|---|---|---|---|---|\n");
            foreach (var m in r.ByKind.Prepend(r.Overall))
            {
                sb.Append(CultureInfo.InvariantCulture,
                    $"| {(m == r.Overall ? "**all**" : m.Name)} | {m.Count} | {m.TruePositives} | {m.FalsePositives} | {m.FalseNegatives} | {m.TrueNegatives} | {m.Precision:0.000} | {m.Recall:0.000} | {m.F1:0.000} | {m.FalsePositiveRate:0.000} |\n");
            }

            sb.Append('\n');
        }

        sb.Append(report.Failures.Count == 0 ? "All targets met.\n" : "Missed targets:\n" + string.Concat(report.Failures.Select(f => $"- {f}\n")));
        return sb.ToString();
    }

    /// <summary>A rate as a percentage, or "–" when undefined.</summary>
    public static string Pct(double v) => double.IsNaN(v) ? "–" : (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A number with one decimal, or "–" when undefined.</summary>
    public static string Num(double v) => double.IsNaN(v) ? "–" : v.ToString("0.0", CultureInfo.InvariantCulture);
}
