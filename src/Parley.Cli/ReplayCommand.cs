using System.CommandLine;
using System.Text.Json;
using Parley.Abstractions;
using Parley.Evaluation;

namespace Parley.Cli;

/// <summary>
/// <c>parley replay</c>: plays each scenario line as a new conversation through the real grains of an in-process silo,
/// concurrently, and writes one result line per scenario in input order.
/// </summary>
public static class ReplayCommand
{
    public sealed record Scenario(JsonElement Id, IReadOnlyList<string> Messages);

    public static Command Create()
    {
        var input = CommandSupport.InputOption("JSON Lines file of {\"id\", \"messages\": [...]} (other fields are ignored).");
        var output = CommandSupport.OutputOption("JSON Lines file to write one result per scenario to.");
        var concurrency = new Option<int>("--concurrency") { Description = "Conversations played at once.", DefaultValueFactory = _ => 64 };
        var connect = new Option<bool>("--connect")
        {
            Description = "Play against the running cluster described by Parley:Cluster (appsettings.json or Parley__Cluster__* variables) instead of an in-process silo.",
        };
        var command = new Command("replay", "Replay scenarios through the real grains.") { input, output, concurrency, connect };
        command.SetAction((parse, _) => CommandSupport.RunAsync(() =>
            RunAsync(parse.GetValue(input)!, parse.GetValue(output)!, Math.Max(1, parse.GetValue(concurrency)), parse.GetValue(connect))));
        return command;
    }

    public static async Task RunAsync(string inputPath, string outputPath, int concurrency, bool connectToCluster = false)
    {
        var scenarios = ReadScenarios(inputPath);
        await using var silo = await GrainConnection.OpenAsync(connectToCluster);
        var results = new object[scenarios.Count];
        await CommandSupport.WithProgressAsync("replay", scenarios.Count, async tick =>
        {
            var runId = Guid.NewGuid().ToString("N")[..8];
            await Parallel.ForEachAsync(Enumerable.Range(0, scenarios.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
            {
                results[i] = await PlayAsync(silo.Grains, $"replay-{runId}-{i}", scenarios[i]);
                tick();
            });
        });
        await JsonLines.WriteAsync(outputPath, results);
    }

    public static List<Scenario> ReadScenarios(string path) => JsonLinesFile.Read(path, (o, line) =>
        new Scenario(JsonLinesFile.RequiredId(o, "id", path, line), JsonLinesFile.RequiredStrings(o, "messages", path, line)));

    /// <summary>Plays one scenario; messages after an end are still sent and recorded as rejected.</summary>
    public static async Task<object> PlayAsync(IGrainFactory grains, string conversationId, Scenario scenario)
    {
        var user = "replay";
        var conversation = grains.GetGrain<IConversationGrain>(conversationId);
        await conversation.StartAsync(user);
        var turns = new List<object>(scenario.Messages.Count);
        int? endedAt = null;
        EndReason? endReason = null;
        for (var i = 0; i < scenario.Messages.Count; i++)
        {
            try
            {
                var result = await conversation.SendAsync(user, $"m{i}", scenario.Messages[i]);
                var t = result.Turn;
                turns.Add(new
                {
                    decision = t.Decision.Name(),
                    categories = ClassifyCommand.Categories(t.Evidence.Scores),
                    target = t.Evidence.Target.Name(),
                    imminentRisk = t.Evidence.ImminentRisk,
                    reply = t.Reply,
                });
                if (t.Decision == Decision.End)
                {
                    endedAt = i + 1;
                    endReason = t.EndReason;
                }
            }
            catch (ConversationEndedException)
            {
                turns.Add(new { decision = "rejected" });
            }
            catch (InvalidRequestException ex)
            {
                turns.Add(new { decision = "invalid", error = ex.Code });
            }
        }

        return new
        {
            id = scenario.Id,
            turns,
            ended = endedAt is not null,
            endedAtTurn = endedAt,
            endReason = endReason?.Name(),
        };
    }
}
