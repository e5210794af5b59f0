using System.CommandLine;
using Parley.Evaluation;
using Parley.Moderation.Classification;
using Parley.Moderation.Policy;

namespace Parley.Cli;

/// <summary><c>parley classify</c>: classifies single messages with the classifier and says which the policy would count.</summary>
public static class ClassifyCommand
{
    public static Command Create()
    {
        var input = CommandSupport.InputOption("JSON Lines file of {\"id\", \"text\"}.");
        var output = CommandSupport.OutputOption("JSON Lines file to write {\"id\", \"flagged\", \"categories\", \"target\", \"imminentRisk\"} to.");
        var command = new Command("classify", "Classify messages (one per line) without context.") { input, output };
        command.SetAction((parse, _) => CommandSupport.RunAsync(() => RunAsync(parse.GetValue(input)!, parse.GetValue(output)!)));
        return command;
    }

    public static async Task RunAsync(string inputPath, string outputPath)
    {
        var rows = JsonLinesFile.Read(inputPath, (o, line) =>
            (Id: JsonLinesFile.RequiredId(o, "id", inputPath, line), Text: JsonLinesFile.RequiredString(o, "text", inputPath, line)));
        var classifier = ParleyClassifier.CreateDefault();
        var policy = new ConversationPolicy();
        var results = new object[rows.Count];
        await CommandSupport.WithProgressAsync("classify", rows.Count, tick =>
        {
            for (var i = 0; i < rows.Count; i++)
            {
                var c = classifier.Classify(rows[i].Text, []);
                results[i] = new
                {
                    id = rows[i].Id,
                    flagged = policy.ViolationOf(c) != Violation.None,
                    categories = Categories(c),
                    target = TargetName(c.Target),
                    imminentRisk = c.ImminentRisk,
                };
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
