using System.CommandLine;
using Parley.Evaluation;
using Parley.Moderation.Classification;
using Parley.Moderation.Policy;
using Spectre.Console;

namespace Parley.Cli;

/// <summary>
/// <c>parley eval</c>: measures the classifier on labeled files (CSV or JSON Lines) and the policy on labeled scenario files,
/// prints the tables, optionally writes JSON and Markdown, and with <c>--thresholds</c> exits 1 when a target is missed.
/// </summary>
public static class EvalCommand
{
    public sealed record Options(
        IReadOnlyList<string> Data, IReadOnlyList<string> Scenarios, IReadOnlyList<string> Messages, string? PublicRequests, string? TextColumn, string? LabelColumn, IReadOnlyList<string>? Positive,
        SplitPart Split, string? Json, string? Markdown, string? Thresholds, bool Replay, bool RulesOnly);

    public static Command Create()
    {
        var data = new Option<string[]>("--data", "-d") { Description = "Labeled CSV or JSON Lines file (repeatable).", AllowMultipleArgumentsPerToken = true };
        var scenarios = new Option<string[]>("--scenarios", "-s") { Description = "Scenario JSON Lines file {\"id\",\"kind\",\"messages\",\"expect\"} (repeatable).", AllowMultipleArgumentsPerToken = true };
        var messages = new Option<string[]>("--messages", "-m") { Description = "Single-message JSON Lines file {\"id\",\"signal\",\"label\",\"kind\",\"text\"} (repeatable).", AllowMultipleArgumentsPerToken = true };
        var publicRequests = new Option<string?>("--public-requests") { Description = "The data sets folder: measure harmful_request on the held-out split of harmful-requests, coconot-contrast and benign-instructions." };
        var textColumn = new Option<string?>("--text-column") { Description = "Text column or field (default: known per data set, else \"text\")." };
        var labelColumn = new Option<string?>("--label-column") { Description = "Label column or field (default: known per data set, else \"label\")." };
        var positive = new Option<string[]?>("--positive") { Description = "Label values that count as positive (default: known per data set, else 1/true).", AllowMultipleArgumentsPerToken = true };
        var split = new Option<SplitPart>("--split")
        {
            Description = $"Rows of labeled files to use: HeldOut ({DataSplit.HeldOutPercent}% by a fixed hash, never trained on), Train or All.",
            DefaultValueFactory = _ => SplitPart.HeldOut,
        };
        var json = new Option<string?>("--json") { Description = "Write the report as JSON to this file." };
        var markdown = new Option<string?>("--markdown") { Description = "Write the report as Markdown to this file." };
        var thresholds = new Option<string?>("--thresholds") { Description = "Quality targets (eval/thresholds.json); exit code 1 when one is missed." };
        var noReplay = new Option<bool>("--no-replay") { Description = "Skip sending each labeled text three times through the policy." };
        var rulesOnly = new Option<bool>("--rules-only") { Description = "Evaluate the rule-based stage alone, without the trained model." };
        var command = new Command("eval", "Evaluate the classifier on labeled data and the policy on labeled scenarios.")
        {
            data, scenarios, messages, publicRequests, textColumn, labelColumn, positive, split, json, markdown, thresholds, noReplay, rulesOnly,
        };
        command.SetAction((parse, _) => CommandSupport.RunAsync(async () =>
        {
            var missed = await RunAsync(new Options(
                parse.GetValue(data) ?? [], parse.GetValue(scenarios) ?? [], parse.GetValue(messages) ?? [], parse.GetValue(publicRequests), parse.GetValue(textColumn), parse.GetValue(labelColumn),
                parse.GetValue(positive), parse.GetValue(split), parse.GetValue(json), parse.GetValue(markdown), parse.GetValue(thresholds),
                !parse.GetValue(noReplay), parse.GetValue(rulesOnly)));
            if (missed > 0)
            {
                throw new TargetsMissedException(missed);
            }
        }));
        return command;
    }

    /// <summary>Runs the evaluation; returns the number of missed targets.</summary>
    public static async Task<int> RunAsync(Options o)
    {
        if (o.Data.Count == 0 && o.Scenarios.Count == 0 && o.Messages.Count == 0 && o.PublicRequests is null)
        {
            throw new InputException("nothing to evaluate: give --data, --scenarios, --messages or --public-requests.");
        }

        var thresholds = o.Thresholds is null ? null : QualityThresholds.Load(o.Thresholds);
        IMessageClassifier classifier = o.RulesOnly ? new RuleBasedClassifier() : ParleyClassifier.CreateDefault();
        var policy = new ConversationPolicy();
        var labeledInputs = o.Data.Select(path => (Path: path, Rows: DataSplit.Select(LabeledData.Read(path, FormatFor(path, o)), o.Split))).ToList();
        var scenarioInputs = o.Scenarios.Select(path => (Path: path, Items: Scenario.ReadFile(path))).ToList();
        var messageInputs = o.Messages.Select(path => (Name: Path.GetFileName(path), Rows: SignalEvaluation.ReadFile(path))).ToList();
        if (o.PublicRequests is not null)
        {
            messageInputs.Add(("public request sets (held-out split)", SignalEvaluation.PublicRequests(o.PublicRequests)));
        }

        var total = labeledInputs.Sum(l => l.Rows.Count) + scenarioInputs.Sum(s => s.Items.Count) + messageInputs.Sum(m => m.Rows.Count);
        var signalReports = new List<SignalReport>();

        var labeled = new List<ClassifierReport>();
        var scenarioReports = new List<ScenarioReport>();
        var failures = new List<string>();
        await CommandSupport.WithProgressAsync("eval", total, tick =>
        {
            foreach (var (path, rows) in labeledInputs)
            {
                var report = ClassifierEvaluation.Evaluate(Path.GetFileName(path), o.Split, rows, classifier, policy, o.Replay, tick);
                labeled.Add(report);
                failures.AddRange(thresholds?.Check(Path.GetFileName(path), report) ?? []);
            }

            foreach (var (path, items) in scenarioInputs)
            {
                var report = ScenarioEvaluation.Evaluate(Path.GetFileName(path), items, classifier, policy, tick);
                scenarioReports.Add(report);
                failures.AddRange(thresholds?.Check(report) ?? []);
            }

            foreach (var (name, rows) in messageInputs)
            {
                foreach (var report in SignalEvaluation.Evaluate(name, rows, classifier, policy, tick))
                {
                    signalReports.Add(report);
                    failures.AddRange(thresholds?.Check(report) ?? []);
                }
            }

            return Task.CompletedTask;
        });

        var result = new EvalReport(Describe(classifier), policy.Version, labeled, scenarioReports, signalReports, failures);
        Print(result, thresholds is not null);
        if (o.Json is not null)
        {
            await WriteAsync(o.Json, ReportWriter.ToJson(result));
        }

        if (o.Markdown is not null)
        {
            await WriteAsync(o.Markdown, ReportWriter.ToMarkdown(result));
        }

        return failures.Count;
    }

    private static string Describe(IMessageClassifier c) => c is ParleyClassifier p ? p.Description : "rules";

    private static LabeledFileFormat FormatFor(string path, Options o)
    {
        var name = Path.GetFileName(path);
        var known = name.Contains("surge", StringComparison.OrdinalIgnoreCase) ? LabeledFileFormat.Surge
            : name.Contains("davidson", StringComparison.OrdinalIgnoreCase) ? LabeledFileFormat.Davidson
            : new LabeledFileFormat("text", "label", ["1", "true"]);
        return new LabeledFileFormat(o.TextColumn ?? known.TextColumn, o.LabelColumn ?? known.LabelColumn, o.Positive is { Count: > 0 } p ? p : known.PositiveLabels);
    }

    private static async Task WriteAsync(string path, string text)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        await File.WriteAllTextAsync(path, text);
    }

    private static void Print(EvalReport r, bool checkedTargets)
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 160; // files and CI logs: wide enough for the tables
        }

        console.MarkupLine($"[bold]classifier[/] {Markup.Escape(r.Classifier)}   [bold]policy[/] {Markup.Escape(r.PolicyVersion)}");
        foreach (var l in r.Labeled)
        {
            var t = new Table().Title($"{Markup.Escape(l.Name)} ({l.Split}): per category vs the positive labels")
                .AddColumns("category", "n", "tp", "fp", "fn", "tn", "precision", "recall", "F1", "FPR");
            foreach (var m in l.Categories.Prepend(l.Toxic).Where(m => m == l.Toxic || m.TruePositives + m.FalsePositives > 0))
            {
                t.AddRow(m == l.Toxic ? "[bold]toxic (any abuse)[/]" : m.Name, $"{m.Count}", $"{m.TruePositives}", $"{m.FalsePositives}", $"{m.FalseNegatives}",
                    $"{m.TrueNegatives}", $"{m.Precision:0.000}", $"{m.Recall:0.000}", $"{m.F1:0.000}", $"{m.FalsePositiveRate:0.000}");
            }

            console.Write(t);
            var lt = new Table().Title($"{Markup.Escape(l.Name)} ({l.Split}): per label")
                .AddColumns("label", "n", "toxic", "profanity", "hate", "aimed at assistant", "policy violation", "ended when sent 3×");
            foreach (var f in l.Labels)
            {
                lt.AddRow(Markup.Escape(f.Label), $"{f.Count}", ReportWriter.Pct(f.ToxicRate), ReportWriter.Pct(f.ProfanityRate), ReportWriter.Pct(f.HateRate),
                    ReportWriter.Pct(f.AimedAtAssistantRate), ReportWriter.Pct(f.ViolationRate), ReportWriter.Pct(f.ReplayEndedRate));
            }

            console.Write(lt);
        }

        foreach (var s in r.Scenarios)
        {
            var t = new Table().Title($"scenarios: {Markup.Escape(s.Name)}")
                .AddColumns("group", "n", "passed", "ended", "crisis ended", "crisis_support", "warned", "msgs redirected", "turns to end", "ended after warn", "msgs crisis_support");
            foreach (var g in s.ByExpectation.Append(s.Overall).Concat(s.ByKind))
            {
                t.AddRow(g.Group == "all" ? "[bold]all[/]" : Markup.Escape(g.Group), $"{g.Count}", $"{g.Passed}", ReportWriter.Pct(g.EndedRate),
                    ReportWriter.Pct(g.CrisisEndedRate), ReportWriter.Pct(g.CrisisSupportRate), ReportWriter.Pct(g.WarnedRate), ReportWriter.Pct(g.RedirectRate),
                    ReportWriter.Num(g.MeanTurnsToEnd), ReportWriter.Pct(g.EndedAfterWarnRate), ReportWriter.Pct(g.SupportMessageRate));
            }

            console.Write(t);
            foreach (var f in s.Failures.Take(50))
            {
                console.MarkupLine($"  [red]failed[/] {Markup.Escape(f.Scenario.Id)} ({Markup.Escape(f.Scenario.Kind)}, expect {ScenarioEvaluation.ExpectName(f.Scenario.Expect)}): "
                    + Markup.Escape(string.Join(" ", f.Decisions)));
            }
        }

        foreach (var sr in r.Signals)
        {
            var t = new Table().Title($"messages: {Markup.Escape(sr.Name)}, signal {sr.Signal}")
                .AddColumns("kind", "n", "tp", "fp", "fn", "tn", "precision", "recall", "F1", "FPR");
            foreach (var m in sr.ByKind.Prepend(sr.Overall))
            {
                t.AddRow(m == sr.Overall ? "[bold]all[/]" : Markup.Escape(m.Name), $"{m.Count}", $"{m.TruePositives}", $"{m.FalsePositives}", $"{m.FalseNegatives}",
                    $"{m.TrueNegatives}", $"{m.Precision:0.000}", $"{m.Recall:0.000}", $"{m.F1:0.000}", $"{m.FalsePositiveRate:0.000}");
            }

            console.Write(t);
        }

        if (checkedTargets)
        {
            console.MarkupLine(r.Failures.Count == 0 ? "[green]All targets met.[/]" : "[red]Missed targets:[/]");
            foreach (var f in r.Failures)
            {
                console.MarkupLine($"  [red]-[/] {Markup.Escape(f)}");
            }
        }
    }
}

/// <summary>Quality targets were missed: exit code 1.</summary>
public sealed class TargetsMissedException(int count) : Exception($"{count} quality target(s) missed.");
