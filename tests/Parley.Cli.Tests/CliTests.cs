using System.Text.Json.Nodes;
using Parley.Cli;
using Parley.Moderation.Classification;

namespace Parley.Cli.Tests;

/// <summary>The <c>parley replay</c> and <c>parley classify</c> commands, run with real arguments on files written here.</summary>
[Trait("Category", "cluster")]
public sealed class CliTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Replay_plays_each_line_as_a_conversation_and_records_refused_messages_after_an_end()
    {
        var input = Write("scenarios.jsonl",
            """{"id": "abuse", "kind": "ignored", "messages": ["Hi, can you help with my essay?", "You are a useless piece of shit.", "Shut up, you stupid worthless bot.", "Fuck you, you idiotic garbage machine.", "Hello?"]}""",
            """{"id": 42, "messages": ["This fucking bug is driving me insane.", "Shit, the build failed again."]}""",
            """{"id": "crisis", "messages": ["I'm going to kill myself tonight. I have the pills ready.", "Fuck off you useless bot."]}""");
        var output = Path.Combine(_dir, "out.jsonl");

        Assert.Equal(0, await ParleyCommands.InvokeAsync(["replay", "--input", input, "--output", output]));

        var lines = Read(output);
        Assert.Equal(["\"abuse\"", "42", "\"crisis\""], lines.Select(l => l["id"]!.ToJsonString())); // ids keep their JSON type

        var abuse = lines[0];
        Assert.Equal(["respond", "redirect", "warn", "end", "rejected"], Decisions(abuse));
        Assert.True((bool)abuse["ended"]!);
        Assert.Equal(4, (int)abuse["endedAtTurn"]!);
        Assert.Equal("persistent_abuse", (string)abuse["endReason"]!);
        var insult = abuse["turns"]![1]!;
        Assert.True((double)insult["categories"]!["harassment"]! >= 0.5);
        Assert.Equal("assistant", (string)insult["target"]!);
        Assert.False(string.IsNullOrEmpty((string)insult["reply"]!));
        Assert.Equal(HarmCategories.Count, insult["categories"]!.AsObject().Count);

        Assert.Equal(["respond", "respond"], Decisions(lines[1]));
        Assert.False((bool)lines[1]["ended"]!);
        Assert.Null(lines[1]["endedAtTurn"]);

        Assert.Equal(["crisis_support", "crisis_support"], Decisions(lines[2]));
        Assert.True((bool)lines[2]["turns"]![0]!["imminentRisk"]!);
    }

    [Fact]
    public async Task Classify_writes_flags_categories_target_risk_and_how_a_reply_reads_per_line()
    {
        var input = Write("messages.jsonl",
            """{"id": "a", "text": "You are a useless piece of shit."}""",
            """{"id": "b", "text": "This fucking bug is driving me insane."}""",
            """{"id": "c", "text": "I'm going to kill myself tonight."}""",
            """{"id": "d", "text": "hmm, let me think"}""",
            """{"id": "e", "text": "yes, please end it"}""");
        var output = Path.Combine(_dir, "labels.jsonl");

        Assert.Equal(0, await ParleyCommands.InvokeAsync(["classify", "--input", input, "--output", output]));

        var lines = Read(output);
        Assert.Equal(["a", "b", "c", "d", "e"], lines.Select(l => (string)l["id"]!));
        Assert.True((bool)lines[0]["flagged"]!);
        Assert.Equal("assistant", (string)lines[0]["target"]!);
        Assert.False((bool)lines[1]["flagged"]!);
        Assert.True((double)lines[1]["categories"]!["profanity"]! > 0);
        Assert.True((bool)lines[2]["imminentRisk"]!);
        Assert.Equal(HarmCategories.Count, lines[0]["categories"]!.AsObject().Count);

        // How a reply to "are you sure?" reads: a hesitation (also a decline, never a yes), and a yes.
        Assert.Equal((false, true, true), ((bool)lines[3]["affirmative"]!, (bool)lines[3]["declines"]!, (bool)lines[3]["hesitates"]!));
        Assert.Equal((true, false, false), ((bool)lines[4]["affirmative"]!, (bool)lines[4]["declines"]!, (bool)lines[4]["hesitates"]!));
    }

    [Theory]
    [InlineData("replay", """{"id": "x"}""")]
    [InlineData("replay", """{"id": "x", "messages": "not an array"}""")]
    [InlineData("classify", """{"id": "x"}""")]
    [InlineData("classify", "{not json")]
    public async Task Bad_input_names_the_line_and_exits_with_2(string command, string badLine)
    {
        var input = Write("bad.jsonl", """{"id": "ok", "text": "hello", "messages": ["hello"]}""", badLine);
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(2, await ParleyCommands.InvokeAsync([command, "--input", input, "--output", Path.Combine(_dir, "o.jsonl")]));
        }
        finally
        {
            Console.SetError(previous);
        }

        Assert.Contains("bad.jsonl:2:", error.ToString());
    }

    [Fact]
    public async Task Load_runs_against_an_in_process_silo_and_writes_its_report_as_json()
    {
        var json = Path.Combine(_dir, "load.json");

        Assert.Equal(0, await ParleyCommands.InvokeAsync(["load", "--users", "4", "--duration", "2", "--baseline-duration", "1", "--warmup", "0", "--json", json]));

        var report = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.Equal("in-process silo", (string)report["transport"]!);
        Assert.Equal(["bare round trip", "storage-bound", "send path (mix)"], report["phases"]!.AsArray().Select(p => (string)p!["name"]!));
        Assert.True((long)report["phases"]![2]!["sends"]! > 0);
        Assert.NotNull(report["ratios"]!["sendsToStorageBound"]);
    }

    [Fact]
    public async Task Replay_writes_each_conversation_id_derived_from_the_input_file()
    {
        var input = Write("ids.jsonl", """{"id": "a", "messages": ["Hello."]}""", """{"id": "b", "messages": ["Hi."]}""");
        var output = Path.Combine(_dir, "ids-out.jsonl");

        Assert.Equal(0, await ParleyCommands.InvokeAsync(["replay", "--input", input, "--output", output]));

        var run = ReplayCommand.DefaultRunId(input);
        Assert.Equal([ReplayCommand.ConversationId(run, 0), ReplayCommand.ConversationId(run, 1)], Read(output).Select(l => (string)l["conversationId"]!));
        Assert.Matches("^[0-9a-f]{12}$", run);
    }

    [Fact]
    public async Task A_missing_input_file_exits_with_2() =>
        Assert.Equal(2, await ParleyCommands.InvokeAsync(["classify", "--input", Path.Combine(_dir, "none.jsonl"), "--output", Path.Combine(_dir, "o.jsonl")]));

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private static List<JsonNode> Read(string path) => File.ReadAllLines(path).Select(l => JsonNode.Parse(l)!).ToList();

    private static List<string> Decisions(JsonNode line) => line["turns"]!.AsArray().Select(t => (string)t!["decision"]!).ToList();
}
