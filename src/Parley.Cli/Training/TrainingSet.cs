using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Parley.Evaluation;
using Parley.Moderation.Semantic;

namespace Parley.Cli.Training;

/// <summary>One training text with a label per <see cref="Signal"/> (null: not labeled for that signal, left out of its head).</summary>
public sealed record TrainingText(string Text, bool?[] Labels, string Source, string? SevereCategory = null, float Weight = 1f);

/// <summary>A follow-up text after a request: does it continue that request?</summary>
public sealed record FollowUpText(string Text, string Context, bool Label, string Source);

/// <summary>
/// Gathers the training data of the semantic heads: the project's own labeled messages (<c>eval/training/*.jsonl</c>,
/// written for training by sessions that never saw the held-out files) and the <b>train</b> part of the public data sets
/// (<see cref="DataSplit"/>; the held-out 30% is never read). Where a source says nothing about a signal, rows stay
/// unlabeled for it, except the plainly benign sources, which are negatives for every signal.
/// </summary>
public static partial class TrainingSet
{
    private static readonly int SignalCount = Enum.GetValues<Signal>().Length;

    /// <summary>Reads every source. <paramref name="datasets"/> is <c>../shared/datasets</c>; <paramref name="own"/> is <c>eval/training</c>.</summary>
    public static (List<TrainingText> Texts, List<FollowUpText> FollowUps) Load(string datasets, string own, int davidsonRows)
    {
        var texts = new List<TrainingText>();
        var followUps = new List<FollowUpText>();
        foreach (var file in Directory.GetFiles(own, "*.jsonl").Order(StringComparer.Ordinal))
        {
            ReadOwn(file, texts, followUps);
        }

        var harmful = Train(LabeledData.Read(Path.Combine(datasets, "harmful-requests.csv"), new LabeledFileFormat("text", "category", [])));
        foreach (var row in harmful)
        {
            var selfHarm = row.Label.Contains("Self-Harm", StringComparison.OrdinalIgnoreCase);
            var category = SevereCategoryOf(row.Text + " " + row.Label);
            texts.Add(new TrainingText(row.Text, Labels(harmful: true, severe: category is not null, risk: selfHarm ? true : null, abuse: false, end: false, confirm: false),
                "harmful-requests", category));
        }

        // Self-instruct's user-oriented rows are for evaluation only (their authors ask so); the seed rows may be trained on.
        foreach (var row in Train(LabeledData.Read(Path.Combine(datasets, "benign-instructions.csv"), new LabeledFileFormat("text", "source", ["self-instruct-seed"]))).Where(r => r.Positive))
        {
            texts.Add(new TrainingText(row.Text, AllFalse(), "benign-instructions"));
        }

        foreach (var row in Train(LabeledData.Read(Path.Combine(datasets, "coconot-contrast.csv"), new LabeledFileFormat("text", "label", []))))
        {
            texts.Add(new TrainingText(row.Text, AllFalse(), "coconot-contrast"));
        }

        foreach (var row in Train(LabeledData.Read(Path.Combine(datasets, "surge-toxicity-en.csv"), LabeledFileFormat.Surge)))
        {
            texts.Add(new TrainingText(row.Text, Labels(toxic: row.Positive, harmful: false, severe: false, end: false, confirm: false), "surge", Weight: 2f));
        }

        // Davidson: a fixed sample by hash (the file is 25k tweets, mostly offensive); class 0 hate, 1 offensive, 2 neither.
        var davidson = Train(LabeledData.Read(Path.Combine(datasets, "davidson-hate-offensive.csv"), LabeledFileFormat.Davidson));
        foreach (var row in davidson.Where(r => r.Label == "0" || (Hash(r.Text) % 1000) < davidsonRows * 1000 / Math.Max(1, davidson.Count)))
        {
            texts.Add(new TrainingText(row.Text, Labels(toxic: row.Positive, hate: row.Label == "0", harmful: false, severe: false, end: false, confirm: false),
                "davidson", Weight: 0.5f));
        }

        return (texts, followUps);
    }

    /// <summary>The severe category of a harmful request, from its words (training labels only; never used at run time).</summary>
    public static string? SevereCategoryOf(string text)
    {
        var t = text.ToLowerInvariant();
        if (MinorsPattern().IsMatch(t) && SexualPattern().IsMatch(t))
        {
            return "sexual_minors";
        }

        if (WeaponsPattern().IsMatch(t))
        {
            return "mass_casualty_weapons";
        }

        if (ExtremismPattern().IsMatch(t))
        {
            return "violent_extremism";
        }

        return ViolencePattern().IsMatch(t) ? "violence" : null;
    }

    private static void ReadOwn(string path, List<TrainingText> texts, List<FollowUpText> followUps)
    {
        var line = 0;
        var requests = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            var o = JsonNode.Parse(raw)?.AsObject() ?? throw new EvaluationInputException($"{path}:{line}: not a JSON object.");
            var signal = o["signal"]?.GetValue<string>() ?? throw new EvaluationInputException($"{path}:{line}: no \"signal\".");
            var label = o["label"]?.GetValue<bool>() ?? throw new EvaluationInputException($"{path}:{line}: no \"label\".");
            var text = o["text"]?.GetValue<string>() ?? throw new EvaluationInputException($"{path}:{line}: no \"text\".");
            var kind = o["kind"]?.GetValue<string>() ?? string.Empty;
            var context = o["context"] is JsonArray a ? a.Select(n => n?.GetValue<string>() ?? string.Empty).ToList() : [];
            var severe = label ? SevereCategoryOf(text + " " + kind) : null;
            switch (signal)
            {
                case "risk":
                    texts.Add(new TrainingText(text, Labels(risk: label, end: false, confirm: false, harmful: label ? null : false, severe: label ? null : false), path));
                    break;
                case "abuse_at_assistant":
                    texts.Add(new TrainingText(text, Labels(abuse: label, toxic: label ? true : null, risk: false, end: false, confirm: false, harmful: false, severe: false), path));
                    break;
                case "hate":
                    texts.Add(new TrainingText(text, Labels(hate: label, toxic: label ? true : null, abuse: false, risk: false, end: false, confirm: false, harmful: false, severe: false), path));
                    break;
                case "harmful_request":
                    texts.Add(new TrainingText(text, Labels(harmful: label, severe: label ? severe is not null : false, abuse: false, end: false, confirm: false,
                        risk: label && kind.Contains("self", StringComparison.OrdinalIgnoreCase) ? null : false), path, severe));
                    break;
                case "harmful_followup":
                    followUps.Add(new FollowUpText(text, string.Join(' ', context), label, path));
                    // A one-message context is the harmful request itself: a harmful example too (once), unless the line says
                    // not ("contextAsRequest": false: a set written for the follow-up head, whose stock requests would tilt the
                    // harmful head). A longer context may end in an earlier push ("it's for a book"), not a request on its own.
                    if (context.Count == 1 && label && (o["contextAsRequest"]?.GetValue<bool>() ?? true) && requests.Add(context[0]))
                    {
                        texts.Add(new TrainingText(context[0], Labels(harmful: true), path));
                    }

                    break;
                case "end_request":
                    texts.Add(new TrainingText(text, Labels(end: label, abuse: false, risk: false, harmful: false, severe: false), path));
                    break;
                case "confirm":
                    texts.Add(new TrainingText(text, Labels(confirm: label, risk: false, harmful: false, severe: false), path));
                    break;
                default:
                    throw new EvaluationInputException($"{path}:{line}: unknown signal \"{signal}\".");
            }
        }
    }

    private static List<LabeledExample> Train(List<LabeledExample> rows) => DataSplit.Select(rows, SplitPart.Train);

    private static bool?[] AllFalse() => Enumerable.Repeat<bool?>(false, SignalCount).ToArray();

    private static bool?[] Labels(
        bool? abuse = null, bool? risk = null, bool? harmful = null, bool? severe = null, bool? end = null, bool? confirm = null,
        bool? hate = null, bool? toxic = null)
    {
        var l = new bool?[SignalCount];
        l[(int)Signal.Abuse] = abuse;
        l[(int)Signal.Risk] = risk;
        l[(int)Signal.Harmful] = harmful;
        l[(int)Signal.Severe] = severe;
        l[(int)Signal.EndRequest] = end;
        l[(int)Signal.Confirm] = confirm;
        l[(int)Signal.Hate] = hate;
        l[(int)Signal.Toxic] = toxic;
        return l;
    }

    /// <summary>FNV-1a, for fixed samples that do not depend on file order.</summary>
    public static uint Hash(string s)
    {
        var h = 2166136261u;
        foreach (var c in s)
        {
            h = (h ^ c) * 16777619u;
        }

        return h;
    }

    [GeneratedRegex(@"\b(child|children|minor|minors|underage|kid|kids|preteen|teen|teenager|[0-9]{1,2}[- ]?(yo|year[- ]old)|little (girl|boy)|groom\w*|school ?girl|pedo\w*|csam)\b")]
    private static partial Regex MinorsPattern();

    [GeneratedRegex(@"\b(sex\w*|nude\w*|naked|explicit|porn\w*|erotic\w*|groom\w*|molest\w*|lewd|intimate|csam|pedo\w*)\b")]
    private static partial Regex SexualPattern();

    [GeneratedRegex(@"\b(bomb\w*|explosive\w*|detonat\w*|ied|nerve agent|sarin|tabun|vx|novichok|mustard gas|chlorine gas|phosgene|ricin|anthrax|botulinum|smallpox|pathogen\w*|bioweapon\w*|biological weapon\w*|chemical weapon\w*|chemical_biological|weaponi[sz]\w*|nuclear|radiological|dirty bomb|uranium|plutonium|toxin|pipe bomb|thermite|napalm|mass casualt\w*)\b")]
    private static partial Regex WeaponsPattern();

    [GeneratedRegex(@"\b(terror\w*|jihad\w*|isis|al[- ]qaeda|extremis\w*|mass shooting|shoot up|school shooting|massacre|attack on (a|the) (crowd|school|concert|church|mosque|synagogue|stadium|subway)|radicali[sz]\w*|manifesto|recruit\w* (for|to))\b")]
    private static partial Regex ExtremismPattern();

    [GeneratedRegex(@"\b(kill|murder|assassinat\w*|poison|kidnap\w*|abduct\w*|tortur\w*|maim|stab|strangl\w*|acid attack|hit ?man|beat (him|her|them|someone) (up|to death)|hurt (him|her|them|someone|my)|get rid of (him|her|my)|dispose of (a|the) body|hide (a|the) body|shoot (him|her|my|someone|a person)|violence|physical harm)\b")]
    private static partial Regex ViolencePattern();
}
