using System.Text;
using Parley.Moderation.Classification;
using Xunit.Abstractions;

namespace Parley.Moderation.Tests.Classification;

/// <summary>
/// Measures the rule-based classifier on the labeled public data sets in ../shared/datasets (next to the repository,
/// never inside it). The floors guard against regressions; they are below the current figures, not targets.
/// </summary>
public class DatasetMeasurementTests(ITestOutputHelper output)
{
    private static readonly RuleBasedClassifier Classifier = new();

    /// <summary>"Toxic" for these comment data sets: abusive content aimed at anyone, whatever its target.</summary>
    internal static bool IsToxic(MessageClassification c) =>
        new[] { HarmCategory.Harassment, HarmCategory.Threat, HarmCategory.Hate, HarmCategory.Violence, HarmCategory.ViolentExtremism, HarmCategory.SexualMinors }
            .Any(k => c[k] >= 0.5);

    [DatasetFact("surge-toxicity-en.csv")]
    public void Surge_toxicity_precision_and_recall()
    {
        int tp = 0, fp = 0, fn = 0, tn = 0;
        foreach (var row in Datasets.ReadCsv("surge-toxicity-en.csv").Skip(1))
        {
            var gold = row[1] == "Toxic";
            var predicted = IsToxic(Classifier.Classify(row[0], []));
            (tp, fp, fn, tn) = (gold, predicted) switch
            {
                (true, true) => (tp + 1, fp, fn, tn),
                (false, true) => (tp, fp + 1, fn, tn),
                (true, false) => (tp, fp, fn + 1, tn),
                _ => (tp, fp, fn, tn + 1),
            };
        }

        var precision = tp / (double)(tp + fp);
        var recall = tp / (double)(tp + fn);
        var f1 = 2 * precision * recall / (precision + recall);
        output.WriteLine($"surge: tp={tp} fp={fp} fn={fn} tn={tn} precision={precision:0.000} recall={recall:0.000} f1={f1:0.000}");
        Assert.True(precision >= 0.9, $"precision {precision:0.000}");
        Assert.True(f1 >= 0.7, $"f1 {f1:0.000}");
    }

    [DatasetFact("davidson-hate-offensive.csv")]
    public void Davidson_flag_rates_per_class()
    {
        var n = new int[3];
        var toxic = new int[3];
        var profane = new int[3];
        var hate = new int[3];
        foreach (var row in Datasets.ReadCsv("davidson-hate-offensive.csv").Skip(1))
        {
            var cls = int.Parse(row[5], System.Globalization.CultureInfo.InvariantCulture);
            var c = Classifier.Classify(row[6], []);
            n[cls]++;
            toxic[cls] += IsToxic(c) ? 1 : 0;
            profane[cls] += c[HarmCategory.Profanity] >= 0.5 ? 1 : 0;
            hate[cls] += c[HarmCategory.Hate] >= 0.5 ? 1 : 0;
        }

        string[] names = ["hate", "offensive", "neither"];
        for (var i = 0; i < 3; i++)
        {
            output.WriteLine($"davidson {names[i]}: n={n[i]} toxic={toxic[i] / (double)n[i]:P1} profanity={profane[i] / (double)n[i]:P1} hate={hate[i] / (double)n[i]:P1}");
        }

        // Clean tweets are rarely flagged; hateful and offensive ones mostly are.
        Assert.True(toxic[2] / (double)n[2] <= 0.2);
        Assert.True(toxic[0] / (double)n[0] >= 0.7);
        Assert.True(profane[1] / (double)n[1] >= 0.8);
    }
}

/// <summary>A fact that runs only where the labeled data sets are present.</summary>
public sealed class DatasetFactAttribute : FactAttribute
{
    public DatasetFactAttribute(string file)
    {
        if (Datasets.Find(file) is null)
        {
            Skip = $"Needs ../shared/datasets/{file} next to the repository: the labeled data is kept outside the repo "
                + "(its rows must not be copied in), so a fresh clone skips this measurement. CI has the folder and runs it.";
        }
    }
}

internal static class Datasets
{
    /// <summary>Looks for ../shared/datasets/<paramref name="file"/> beside the repository root (the folder with Silo.sln).</summary>
    public static string? Find(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Silo.sln")))
            {
                var path = Path.Combine(dir.FullName, "..", "shared", "datasets", file);
                return File.Exists(path) ? Path.GetFullPath(path) : null;
            }
        }

        return null;
    }

    /// <summary>Reads an RFC 4180 CSV with the evaluation library's parser.</summary>
    public static List<string[]> ReadCsv(string file) =>
        Parley.Evaluation.LabeledData.ParseCsv(File.ReadAllText(Find(file) ?? throw new FileNotFoundException(file)));
}
