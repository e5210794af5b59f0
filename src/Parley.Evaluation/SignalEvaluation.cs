using Parley.Moderation.Classification;
using Parley.Moderation.Policy;

namespace Parley.Evaluation;

/// <summary>One labeled single message: <c>{"id", "signal", "label", "kind", "text"}</c>.</summary>
public sealed record SignalExample(string Id, string Signal, bool Label, string Kind, string Text);

/// <summary>Figures for one signal of a message file, overall and per kind.</summary>
public sealed record SignalReport(string Name, string Signal, BinaryMetrics Overall, IReadOnlyList<BinaryMetrics> ByKind, IReadOnlyList<SignalExample> Errors);

/// <summary>
/// Measures single-message decisions by signal, as the policy and <c>parley classify</c> read the classifier's output:
/// <c>risk</c> (the policy would answer with crisis support), <c>end_request</c> (it would ask to confirm an end),
/// <c>confirmation</c> (read as an affirmative answer, which confirms a pending end request),
/// <c>abuse_at_assistant</c> (a strike for abuse), <c>hate</c> (hate score ≥ 0.5), <c>harmful_request</c> (flagged).
/// </summary>
public static class SignalEvaluation
{
    /// <summary>The signals a message file may label.</summary>
    public static readonly string[] Signals = ["risk", "end_request", "confirmation", "abuse_at_assistant", "hate", "harmful_request"];

    /// <summary>Reads a message file; errors name the line.</summary>
    public static List<SignalExample> ReadFile(string path) => JsonLinesFile.Read(path, (o, line) =>
    {
        var signal = JsonLinesFile.RequiredString(o, "signal", path, line);
        if (!Signals.Contains(signal))
        {
            throw new EvaluationInputException($"{path}:{line}: \"signal\" is \"{signal}\"; use one of {string.Join(", ", Signals)}.");
        }

        var label = o.TryGetProperty("label", out var l) && l.ValueKind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False
            ? l.GetBoolean()
            : throw new EvaluationInputException($"{path}:{line}: \"label\" must be true or false.");
        var kind = o.TryGetProperty("kind", out var k) && k.ValueKind == System.Text.Json.JsonValueKind.String ? k.GetString()! : "";
        return new SignalExample(JsonLinesFile.RequiredString(o, "id", path, line), signal, label, kind, JsonLinesFile.RequiredString(o, "text", path, line));
    });

    /// <summary>
    /// The public request sets as one contrast file, from the held-out split only: <c>harmful-requests.csv</c> (true)
    /// against <c>coconot-contrast.csv</c> and <c>benign-instructions.csv</c> (false; the user-oriented rows, which are never
    /// trained on, are all included).
    /// </summary>
    public static List<SignalExample> PublicRequests(string datasets)
    {
        var rows = new List<SignalExample>();
        void Add(string file, LabeledFileFormat format, bool label, Func<LabeledExample, bool> heldOut)
        {
            foreach (var r in LabeledData.Read(Path.Combine(datasets, file), format).Where(heldOut))
            {
                rows.Add(new SignalExample($"{file}:{rows.Count}", "harmful_request", label, Path.GetFileNameWithoutExtension(file), r.Text));
            }
        }

        Add("harmful-requests.csv", new LabeledFileFormat("text", "category", []), true, r => DataSplit.IsHeldOut(r.Text));
        Add("coconot-contrast.csv", new LabeledFileFormat("text", "category", []), false, r => DataSplit.IsHeldOut(r.Text));
        Add("benign-instructions.csv", new LabeledFileFormat("text", "source", ["self-instruct-user-oriented"]), false,
            r => r.Positive || DataSplit.IsHeldOut(r.Text));
        return rows;
    }

    /// <summary>True when the classification flags the message as unsafe content (what <c>parley classify</c> reports as <c>flagged</c>).</summary>
    public static bool Flagged(MessageClassification c, ConversationPolicy policy) =>
        policy.ViolationOf(c) != Violation.None
        || c[HarmCategory.HarmfulRequest] >= ClassifierEvaluation.FlagThreshold
        || c[HarmCategory.SelfHarmInstructions] >= ClassifierEvaluation.FlagThreshold;

    /// <summary>Whether the decision for <paramref name="signal"/> is positive.</summary>
    public static bool Predict(string signal, MessageClassification c, ConversationPolicy policy) => signal switch
    {
        "risk" => policy.SignalsRisk(c),
        "end_request" => c[HarmCategory.EndRequest] >= ClassifierEvaluation.FlagThreshold,
        "confirmation" => c.Affirmative,
        "abuse_at_assistant" => policy.ViolationOf(c) == Violation.Abuse,
        "hate" => c[HarmCategory.Hate] >= ClassifierEvaluation.FlagThreshold,
        _ => Flagged(c, policy),
    };

    /// <summary>Classifies every message without context and reports each signal.</summary>
    public static List<SignalReport> Evaluate(string name, IReadOnlyList<SignalExample> rows, IMessageClassifier classifier, ConversationPolicy policy, Action? tick = null)
    {
        var predicted = new Dictionary<SignalExample, bool>();
        foreach (var r in rows)
        {
            predicted[r] = Predict(r.Signal, classifier.Classify(r.Text, []), policy);
            tick?.Invoke();
        }

        return rows.GroupBy(r => r.Signal).OrderBy(g => Array.IndexOf(Signals, g.Key)).Select(g =>
        {
            BinaryMetrics Build(string label, IEnumerable<SignalExample> items)
            {
                var c = new Confusion(label);
                foreach (var r in items)
                {
                    c.Add(r.Label, predicted[r]);
                }

                return c.Build();
            }

            var byKind = g.GroupBy(r => r.Kind).OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => Build(k.Key, k)).ToList();
            return new SignalReport(name, g.Key, Build(g.Key, g), byKind, g.Where(r => predicted[r] != r.Label).ToList());
        }).ToList();
    }
}
