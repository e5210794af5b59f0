using System.CommandLine;
using System.Text.Json;
using Parley.Abstractions;
using Parley.Evaluation;

namespace Parley.Cli;

/// <summary>
/// <c>parley replay</c>: plays each scenario line as a conversation through the real grains of an in-process silo (or,
/// with <c>--connect</c>, of a running cluster), concurrently, and writes one result line per scenario in input order.
/// Conversation ids are derived from the run id and the line, and every call is retried with the same ids on transient
/// errors, so a silo dying mid-run costs retries rather than the run, and a re-run resumes instead of duplicating.
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
        var runId = new Option<string?>("--run-id")
        {
            Description = "Names this run's conversations (replay-{run}-{line}). Default: a hash of the input file, so a re-run of the same file " +
                          "against durable storage resumes the same conversations (already stored turns are returned, not sent again) " +
                          "instead of creating new ones. Give a new name for fresh conversations.",
        };
        var command = new Command("replay", "Replay scenarios through the real grains.") { input, output, concurrency, connect, runId };
        command.SetAction((parse, _) => CommandSupport.RunAsync(() =>
            RunAsync(parse.GetValue(input)!, parse.GetValue(output)!, Math.Max(1, parse.GetValue(concurrency)), parse.GetValue(connect), parse.GetValue(runId))));
        return command;
    }

    /// <summary>Plays the file and writes the results; throws <see cref="ReplayIncompleteException"/> (exit code 1) when
    /// some scenarios still failed after their retries (their lines carry <c>"error"</c>; a re-run resumes them).</summary>
    public static async Task RunAsync(string inputPath, string outputPath, int concurrency, bool connectToCluster = false, string? runId = null)
    {
        var scenarios = ReadScenarios(inputPath);
        runId ??= DefaultRunId(inputPath);
        await using var silo = await GrainConnection.OpenAsync(connectToCluster);
        var results = await PlayAllAsync(silo.Grains, scenarios, runId, concurrency);
        await JsonLines.WriteAsync(outputPath, results.Select(r => r.Line));
        var failed = results.Count(r => r.Error is not null);
        if (failed > 0)
        {
            throw new ReplayIncompleteException(failed, runId);
        }
    }

    /// <summary>The conversation id of the scenario on line <paramref name="index"/> (0-based) of run <paramref name="runId"/>.</summary>
    public static string ConversationId(string runId, int index) => $"replay-{runId}-{index}";

    /// <summary>The default run id: the first 12 hex digits of the input file's SHA-256.</summary>
    public static string DefaultRunId(string inputPath)
    {
        using var stream = File.OpenRead(inputPath);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream))[..12];
    }

    /// <summary>One scenario's output line, and the error code if it could not be finished.</summary>
    public sealed record Played(object Line, string? Error);

    /// <summary>Plays every scenario (concurrently, progress on stderr) and returns the results in input order.</summary>
    public static async Task<Played[]> PlayAllAsync(IGrainFactory grains, IReadOnlyList<Scenario> scenarios, string runId, int concurrency)
    {
        var results = new Played[scenarios.Count];
        await CommandSupport.WithProgressAsync("replay", scenarios.Count, async tick =>
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, scenarios.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, _) =>
            {
                var id = ConversationId(runId, i);
                try
                {
                    results[i] = new Played(await PlayAsync(grains, id, scenarios[i]), null);
                }
                catch (Exception ex) when (Transient.IsTransient(ex))
                {
                    results[i] = new Played(new { id = scenarios[i].Id, conversationId = id, error = Transient.Code(ex) }, Transient.Code(ex));
                }

                tick();
            });
        });
        return results;
    }

    public static List<Scenario> ReadScenarios(string path) => JsonLinesFile.Read(path, (o, line) =>
        new Scenario(JsonLinesFile.RequiredId(o, "id", path, line), JsonLinesFile.RequiredStrings(o, "messages", path, line)));

    /// <summary>
    /// Plays one scenario; messages after an end are still sent and recorded as rejected. Calls that fail transiently are
    /// retried with the same ids (see <see cref="Transient"/>), so a retried send that had in fact been stored returns
    /// the stored turn, and a re-run with the same conversation id returns the turns already stored.
    /// </summary>
    public static async Task<object> PlayAsync(IGrainFactory grains, string conversationId, Scenario scenario)
    {
        var user = "replay";
        var conversation = grains.GetGrain<IConversationGrain>(conversationId);
        var status = await Transient.RetryAsync(() => conversation.StartAsync(user));
        var turns = new List<object>(scenario.Messages.Count);
        int? endedAt = null;
        EndReason? endReason = null;
        for (var i = 0; i < scenario.Messages.Count; i++)
        {
            try
            {
                var (messageId, message) = ($"m{i}", scenario.Messages[i]);
                var result = await Transient.RetryAsync(() => conversation.SendAsync(user, messageId, message));
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
            conversationId,
            resumed = status.CurrentBranch.Length > 0 || status.BranchCount > 1,
            turns,
            ended = endedAt is not null,
            endedAtTurn = endedAt,
            endReason = endReason?.Name(),
        };
    }
}

/// <summary>Some scenarios could not be finished (exit code 1).</summary>
public sealed class ReplayIncompleteException(int count, string runId)
    : Exception($"{count} scenario(s) failed after retries (lines with \"error\"); re-run with --run-id {runId} to resume them.");
