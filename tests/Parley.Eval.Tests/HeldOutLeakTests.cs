using System.Text.Json;
using System.Text.RegularExpressions;

namespace Parley.Eval.Tests;

/// <summary>
/// Held-out text must never reach the rules, lexicons or comments: a figure measured on a file whose sentences are in
/// <c>src/</c> says nothing. Fails when any run of <see cref="RunLength"/> consecutive words of an <c>eval/**/heldout*</c>
/// file appears in a source file (same tokenisation as <c>../shared/tools/heldout-leak.py</c>).
/// </summary>
[Trait("Category", "eval")]
public partial class HeldOutLeakTests
{
    private const int RunLength = 6;

    [Fact]
    public void No_run_of_six_held_out_words_appears_in_src()
    {
        var heldOutFiles = Directory.GetFiles(RepoPaths.Eval(""), "*", SearchOption.AllDirectories)
            .Where(p => Path.GetRelativePath(RepoPaths.Root, p).Contains("heldout", StringComparison.OrdinalIgnoreCase))
            .Where(p => p.EndsWith(".jsonl", StringComparison.Ordinal) || p.EndsWith(".json", StringComparison.Ordinal) || p.EndsWith(".csv", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(heldOutFiles);

        var held = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in heldOutFiles)
        {
            foreach (var line in File.ReadLines(file).Where(l => l.Length > 0))
            {
                foreach (var text in Texts(JsonDocument.Parse(line).RootElement))
                {
                    AddRuns(text, held);
                }
            }
        }

        var leaks = new List<string>();
        var src = Path.Combine(RepoPaths.Root, "src");
        foreach (var file in Directory.GetFiles(src, "*", SearchOption.AllDirectories))
        {
            var rel = Path.GetRelativePath(src, file);
            if (rel.Contains("/bin/", StringComparison.Ordinal) || rel.Contains("/obj/", StringComparison.Ordinal)
                || !(file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".js", StringComparison.Ordinal) || file.EndsWith(".md", StringComparison.Ordinal)
                    || file.EndsWith(".txt", StringComparison.Ordinal) || file.EndsWith(".html", StringComparison.Ordinal)
                    || (file.EndsWith(".json", StringComparison.Ordinal) && !file.EndsWith("semantic-model.json", StringComparison.Ordinal))))
            {
                continue; // the trained model file holds numbers only
            }

            var runs = new HashSet<string>(StringComparer.Ordinal);
            AddRuns(File.ReadAllText(file), runs);
            leaks.AddRange(runs.Where(held.Contains).Select(r => $"{rel}: \"{r}\""));
        }

        Assert.True(leaks.Count == 0, $"{leaks.Count} held-out word runs found in src/:\n" + string.Join("\n", leaks.Take(20)));
    }

    [Fact]
    public void The_check_finds_a_planted_run()
    {
        // The same tokenisation must match text that differs only in case, punctuation and apostrophes.
        var held = new HashSet<string>(StringComparer.Ordinal);
        AddRuns("Please don’t  tell anyone about the plan, ok?", held);
        var runs = new HashSet<string>(StringComparer.Ordinal);
        AddRuns("// comment: \"DON'T tell anyone about the PLAN\"", runs);
        Assert.Contains(runs, held.Contains);
    }

    private static IEnumerable<string> Texts(JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String:
                yield return e.GetString()!;
                break;
            case JsonValueKind.Array:
                foreach (var t in e.EnumerateArray().SelectMany(Texts))
                {
                    yield return t;
                }

                break;
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject().Where(p => p.Name is "text" or "messages" or "message" or "turns"))
                {
                    foreach (var t in Texts(p.Value))
                    {
                        yield return t;
                    }
                }

                break;
        }
    }

    private static void AddRuns(string text, HashSet<string> runs)
    {
        var words = Word().Matches(text.ToLowerInvariant().Replace('\u2019', '\'')).Select(m => m.Value).ToList();
        for (var i = 0; i + RunLength <= words.Count; i++)
        {
            runs.Add(string.Join(' ', words.Skip(i).Take(RunLength)));
        }
    }

    [GeneratedRegex("[a-z0-9']+")]
    private static partial Regex Word();
}
