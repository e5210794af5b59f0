using System.CommandLine;
using Parley.Evaluation;
using Parley.Moderation.Classification;
using Parley.Moderation.Policy;
using Parley.Moderation.Semantic;

namespace Parley.Cli;

/// <summary><c>parley classify</c>: classifies single messages with the classifier and says which the policy would count.</summary>
public static class ClassifyCommand
{
    public static Command Create()
    {
        var input = CommandSupport.InputOption("JSON Lines file of {\"id\", \"text\"} (optional \"context\": earlier user messages of the branch, oldest first).");
        var output = CommandSupport.OutputOption("JSON Lines file to write {\"id\", \"flagged\", \"categories\", \"target\", \"imminentRisk\", \"affirmative\", \"declines\", \"hesitates\"} to.");
        var explain = new Option<bool>("--explain") { Description = "Also write each stage's view: the rules' scores and the semantic heads' probabilities." };
        var command = new Command("classify", "Classify messages (one per line), each with the context it gives.") { input, output, explain };
        command.SetAction((parse, _) => CommandSupport.RunAsync(() => RunAsync(parse.GetValue(input)!, parse.GetValue(output)!, parse.GetValue(explain))));
        return command;
    }

    public static async Task RunAsync(string inputPath, string outputPath, bool explain = false)
    {
        var rows = JsonLinesFile.Read(inputPath, (o, line) =>
            (Id: JsonLinesFile.RequiredId(o, "id", inputPath, line), Text: JsonLinesFile.RequiredString(o, "text", inputPath, line),
                Context: o.TryGetProperty("context", out var ctx) && ctx.GetArrayLength() > 0 ? JsonLinesFile.RequiredStrings(o, "context", inputPath, line) : []));
        var classifier = ParleyClassifier.CreateDefault();
        var policy = new ConversationPolicy();
        var results = new object[rows.Count];
        await CommandSupport.WithProgressAsync("classify", rows.Count, tick =>
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var (rules, reading, c) = classifier.Explain(rows[i].Text, rows[i].Context);
                var line = new Dictionary<string, object?>
                {
                    ["id"] = rows[i].Id,
                    ["flagged"] = SignalEvaluation.Flagged(c, policy),
                    ["categories"] = Categories(c),
                    ["target"] = TargetName(c.Target),
                    ["imminentRisk"] = c.ImminentRisk,
                    ["affirmative"] = c.Affirmative,
                    ["declines"] = c.Declines,
                    ["hesitates"] = c.Hesitates,
                };
                if (explain)
                {
                    line["rules"] = new { categories = Categories(rules).Where(kv => kv.Value > 0).ToDictionary(), target = TargetName(rules.Target), imminentRisk = rules.ImminentRisk, affirmative = rules.Affirmative };
                    line["englishGloss"] = Glossary.ToEnglish(rows[i].Text);
                    line["semantic"] = reading is null ? null : Enum.GetValues<Signal>().ToDictionary(SemanticModel.NameOf, s => Math.Round(reading.Current[(int)s], 3));
                    line["context"] = reading is null ? null : new { risk = reading.ContextRisk.Select(r => Math.Round(r, 3)), followUp = Math.Round(reading.FollowUp, 3), thread = reading.ThreadCategory?.Name(), nearest = reading.Category?.Name() };
                }

                results[i] = line;
                tick();
            }

            return Task.CompletedTask;
        });
        await JsonLines.WriteAsync(outputPath, results);
    }

    /// <summary>Every category by name, zeros included, so each output line has the same keys.</summary>
    public static Dictionary<string, double> Categories(MessageClassification c) =>
        HarmCategories.All.ToDictionary(k => k.Name(), k => Math.Round(c[k], 4));

    /// <summary>The same, from stored evidence (which omits zero scores).</summary>
    public static Dictionary<string, double> Categories(IReadOnlyDictionary<string, double> scores) =>
        HarmCategories.All.ToDictionary(k => k.Name(), k => scores.TryGetValue(k.Name(), out var s) ? s : 0);

    public static string TargetName(MessageTarget t) => t switch
    {
        MessageTarget.Assistant => "assistant",
        MessageTarget.PersonOrGroup => "person_or_group",
        _ => "nothing",
    };
}
