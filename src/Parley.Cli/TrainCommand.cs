using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Parley.Cli.Training;
using Parley.Evaluation;
using Parley.Moderation.Classification;
using Parley.Moderation.Semantic;

namespace Parley.Cli;

/// <summary>
/// <c>parley train</c>: trains the semantic stage's heads (<see cref="SemanticModel"/>) with ML.NET L-BFGS logistic regression
/// (one thread, fixed seed) over all-MiniLM-L6-v2 embeddings of the normalized text, on <see cref="TrainingSet"/>. Each
/// head's threshold is chosen on 5-fold out-of-fold probabilities (risk favours recall: F2; the others F1), then the head is
/// refitted on all its rows. The output is deterministic for the same data on the same machine.
/// </summary>
public static class TrainCommand
{
    private const int Folds = 5;

    private sealed class Row
    {
        public bool Label { get; set; }

        [VectorType]
        public float[] Features { get; set; } = [];

        public float Weight { get; set; }
    }

    private sealed record Example(float[] Features, bool Label, float Weight, bool Hard = true, double Vote = double.NaN);

    /// <summary>
    /// Per head: the F-beta it maximises and the highest false-positive rate it may have on the hard negatives (the
    /// project's own contrast messages and CoCoNot: benign text that sounds like the signal). Risk favours recall.
    /// </summary>
    private static (double Beta, double MaxHardFpr) Objective(string head) => head switch
    {
        "risk" => (1, 0.05),
        "abuse" => (1, 0.04),
        "harmful" => (1, 0.04),
        "severe" => (1, 0.02),
        "end_request" => (1, 0.03),
        "confirm" => (1, 0.05),
        "hate" => (1, 0.06),
        "followup" => (1, 0.08),
        _ => (1, 1.0),
    };

    public static Command Create()
    {
        var datasets = new Option<string>("--datasets") { Description = "The public data sets folder.", DefaultValueFactory = _ => "../shared/datasets" };
        var own = new Option<string>("--own") { Description = "The project's own labeled training messages.", DefaultValueFactory = _ => "eval/training" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the model.", DefaultValueFactory = _ => "src/Parley.Moderation/Semantic/Model/semantic-model.json" };
        var davidson = new Option<int>("--davidson-rows") { Description = "About how many Davidson train rows to sample (all hate rows are kept).", DefaultValueFactory = _ => 3000 };
        var l2 = new Option<float>("--l2") { Description = "L2 regularisation of the heads.", DefaultValueFactory = _ => 0.5f };
        var seed = new Option<int>("--seed") { Description = "Seed of ML.NET, the folds and the follow-up pairs.", DefaultValueFactory = _ => 1 };
        var cache = new Option<string?>("--cache") { Description = "Embedding cache file (speeds up re-runs; embeddings are deterministic)." };
        var exemplarWeight = new Option<double>("--exemplar-weight") { Description = "Weight of the nearest-neighbour vote in each signal (0: linear heads only).", DefaultValueFactory = _ => 0.5 };
        var command = new Command("train", "Train the semantic classifier stage on the train split of the labeled data.") { datasets, own, output, davidson, l2, seed, cache, exemplarWeight };
        command.SetAction((parse, _) => CommandSupport.RunAsync(() => RunAsync(
            parse.GetValue(datasets)!, parse.GetValue(own)!, parse.GetValue(output)!, parse.GetValue(davidson), parse.GetValue(l2), parse.GetValue(seed), parse.GetValue(cache),
            parse.GetValue(exemplarWeight))));
        return command;
    }

    public static async Task RunAsync(string datasets, string own, string output, int davidsonRows, float l2, int seed, string? cachePath, double exemplarWeight)
    {
        var (texts, followUps) = TrainingSet.Load(datasets, own, davidsonRows);
        using var embedder = new SentenceEmbedder();
        var cache = EmbeddingCache.Load(cachePath);
        var unique = texts.Select(t => t.Text).Concat(followUps.SelectMany(f => new[] { f.Text, f.Context })).Select(ParleyClassifier.SemanticInput).Distinct().ToList();
        await CommandSupport.WithProgressAsync("embed", unique.Count, tick =>
        {
            foreach (var t in unique)
            {
                cache.GetOrAdd(t, embedder.Embed);
                tick();
            }

            return Task.CompletedTask;
        });
        cache.Save(cachePath);
        float[] E(string text) => cache.GetOrAdd(ParleyClassifier.SemanticInput(text), embedder.Embed);

        // The exemplar index holds every training message; its votes for the thresholds leave the message itself out.
        var exemplars = new ExemplarIndex(texts.Select(t => E(t.Text)).ToList(), texts.Select(t => t.Labels).ToList());
        var votes = new double[texts.Count][];
        await CommandSupport.WithProgressAsync("exemplar votes", texts.Count, tick =>
        {
            Parallel.For(0, texts.Count, i =>
            {
                votes[i] = exemplars.Vote(E(texts[i].Text), exclude: i);
                tick();
            });
            return Task.CompletedTask;
        });

        var ml = new MLContext(seed);
        var heads = new List<LogisticHead>();
        foreach (var signal in Enum.GetValues<Signal>())
        {
            var rows = texts.Select((t, i) => (t, i)).Where(x => x.t.Labels[(int)signal] is not null)
                .Select(x => new Example(E(x.t.Text), x.t.Labels[(int)signal]!.Value, x.t.Weight, IsHard(x.t.Source), votes[x.i][(int)signal])).ToList();
            var head = FitHead(ml, SemanticModel.NameOf(signal), rows, l2, seed, exemplarWeight);
            heads.Add(head);
        }

        var pairs = FollowUpPairs(texts, followUps, E, seed);
        var followUp = FitHead(ml, "followup", pairs, l2, seed, 0);

        // One centroid per severe category, and one for the harmful requests in none of them (fraud, malware, drugs...).
        var categorised = texts.Where(t => t.Labels[(int)Signal.Harmful] == true && t.Labels[(int)Signal.Risk] != true)
            .GroupBy(t => t.SevereCategory ?? SemanticStage.OtherHarm).ToList();
        var centroids = categorised.ToDictionary(g => g.Key, g => Centroid(g.Select(t => E(t.Text))));
        Console.Error.WriteLine("centroids: " + string.Join(", ", categorised.Select(g => $"{g.Key} {g.Count()}")));

        var model = new SemanticModel
        {
            Encoder = SentenceEmbedder.ModelName,
            Description = $"trained by `parley train` (seed {seed}, l2 {l2}) on {texts.Count} texts and {pairs.Count} follow-up pairs: "
                + $"{own}/*.jsonl and the train split of {string.Join(", ", texts.Select(t => Path.GetFileName(t.Source)).Distinct().Order())}",
            Heads = [.. heads],
            ExemplarWeight = exemplarWeight,
            FollowUp = followUp,
            SevereCentroids = centroids,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await using (var file = File.Create(output))
        {
            model.Write(file);
        }

        var exemplarPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, "semantic-exemplars.bin");
        await using (var file = File.Create(exemplarPath))
        {
            exemplars.Write(file);
        }

        Console.Error.WriteLine($"wrote {output} ({new FileInfo(output).Length / 1024.0:0} KB) and {exemplarPath} ({exemplars.Count} exemplars, {new FileInfo(exemplarPath).Length / 1024.0:0} KB)");
    }

    /// <summary>
    /// Pairs for the follow-up head: the project's own follow-ups (after harmful and after benign requests), plus severe
    /// requests paired with continuations (positive) and with unrelated benign messages (negative): after a refused
    /// request, a change of subject must not inherit it.
    /// </summary>
    private static List<Example> FollowUpPairs(List<TrainingText> texts, List<FollowUpText> followUps, Func<string, float[]> e, int seed)
    {
        var rng = new Random(seed);
        var pairs = followUps.Select(f => new Example(SemanticStage.PairFeatures(e(f.Text), e(f.Context)), f.Label, 2f)).ToList();
        var continuations = followUps.Where(f => f.Label).Select(f => f.Text).ToList();
        var severe = texts.Where(t => t.Labels[(int)Signal.Severe] == true).Select(t => t.Text).ToList();
        var benign = texts.Where(t => t.Labels.All(l => l != true)).Select(t => t.Text).ToList();
        if (continuations.Count == 0 || severe.Count == 0 || benign.Count == 0)
        {
            return pairs;
        }

        foreach (var request in severe)
        {
            pairs.Add(new Example(SemanticStage.PairFeatures(e(continuations[rng.Next(continuations.Count)]), e(request)), true, 1f));
            pairs.Add(new Example(SemanticStage.PairFeatures(e(benign[rng.Next(benign.Count)]), e(request)), false, 1f));
        }

        return pairs;
    }

    private static bool IsHard(string source) => source.Contains("coconot", StringComparison.Ordinal) || source.EndsWith(".jsonl", StringComparison.Ordinal);

    private static LogisticHead FitHead(MLContext ml, string name, List<Example> rows, float l2, int seed, double exemplarWeight)
    {
        var (beta, maxHardFpr) = Objective(name);
        var rng = new Random(seed);
        var fold = rows.Select(_ => rng.Next(Folds)).ToArray();
        var oof = new double[rows.Count];
        for (var f = 0; f < Folds; f++)
        {
            var (w, b) = Fit(ml, rows.Where((_, i) => fold[i] != f).ToList(), l2);
            var head = new LogisticHead { Name = name, Weights = w, Bias = b, Threshold = 0.5 };
            for (var i = 0; i < rows.Count; i++)
            {
                if (fold[i] == f)
                {
                    var p = head.Probability(rows[i].Features);
                    oof[i] = double.IsNaN(rows[i].Vote) ? p : ((1 - exemplarWeight) * p) + (exemplarWeight * rows[i].Vote);
                }
            }
        }

        var candidates = Enumerable.Range(5, 95).Select(i => i / 100.0).Select(t => (T: t, M: Measure(rows, oof, t, beta))).ToList();
        var best = candidates.Where(c => c.M.HardFpr <= maxHardFpr).DefaultIfEmpty(candidates[^1]).MaxBy(x => x.M.F);
        Console.Error.WriteLine($"{name,-12} rows {rows.Count,5} (positive {rows.Count(r => r.Label),4})  {Folds}-fold: threshold {best.T:0.00}  "
            + $"precision {best.M.P:0.000} recall {best.M.R:0.000} F{beta} {best.M.F:0.000} hard-negative FPR {best.M.HardFpr:0.000}");
        var (weights, bias) = Fit(ml, rows, l2);
        return new LogisticHead { Name = name, Weights = weights, Bias = bias, Threshold = best.T };
    }

    private static (double P, double R, double F, double HardFpr) Measure(List<Example> rows, double[] p, double t, double beta)
    {
        double tp = 0, fp = 0, fn = 0, hardNeg = 0, hardFp = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var predicted = p[i] >= t;
            tp += predicted && rows[i].Label ? 1 : 0;
            fp += predicted && !rows[i].Label ? 1 : 0;
            fn += !predicted && rows[i].Label ? 1 : 0;
            hardNeg += !rows[i].Label && rows[i].Hard ? 1 : 0;
            hardFp += predicted && !rows[i].Label && rows[i].Hard ? 1 : 0;
        }

        var precision = tp + fp == 0 ? 0 : tp / (tp + fp);
        var recall = tp + fn == 0 ? 0 : tp / (tp + fn);
        var b2 = beta * beta;
        var f = precision + recall == 0 ? 0 : (1 + b2) * precision * recall / ((b2 * precision) + recall);
        return (precision, recall, f, hardNeg == 0 ? 0 : hardFp / hardNeg);
    }

    private static (float[] Weights, float Bias) Fit(MLContext ml, List<Example> rows, float l2)
    {
        // Class balance: each class carries half the total weight, so thresholds are comparable across heads.
        var pos = rows.Where(r => r.Label).Sum(r => r.Weight);
        var neg = rows.Where(r => !r.Label).Sum(r => r.Weight);
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new Row
        {
            Label = r.Label,
            Features = r.Features,
            Weight = r.Weight * (float)((pos + neg) / (2 * (r.Label ? Math.Max(pos, 1e-6) : Math.Max(neg, 1e-6)))),
        }), SchemaFor(rows[0].Features.Length));
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
            ExampleWeightColumnName = nameof(Row.Weight),
            L1Regularization = 0,
            L2Regularization = l2,
            NumberOfThreads = 1,
        });
        var model = trainer.Fit(data).Model.SubModel;
        return (model.Weights.ToArray(), model.Bias);
    }

    private static SchemaDefinition SchemaFor(int dim)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dim);
        return schema;
    }

    private static float[] Centroid(IEnumerable<float[]> vectors)
    {
        var list = vectors.ToList();
        var c = new float[list[0].Length];
        foreach (var v in list)
        {
            for (var i = 0; i < c.Length; i++)
            {
                c[i] += v[i] / list.Count;
            }
        }

        return c;
    }

    /// <summary>Embeddings by normalized text, saved between runs: embedding is the slow part of training.</summary>
    private sealed class EmbeddingCache
    {
        private readonly Dictionary<string, float[]> _map = new(StringComparer.Ordinal);

        public static EmbeddingCache Load(string? path)
        {
            var cache = new EmbeddingCache();
            if (path is null || !File.Exists(path))
            {
                return cache;
            }

            using var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
            var n = reader.ReadInt32();
            for (var i = 0; i < n; i++)
            {
                var key = reader.ReadString();
                var v = new float[SentenceEmbedder.Dimensions];
                for (var d = 0; d < v.Length; d++)
                {
                    v[d] = reader.ReadSingle();
                }

                cache._map[key] = v;
            }

            return cache;
        }

        public float[] GetOrAdd(string text, Func<string, float[]> compute)
        {
            if (!_map.TryGetValue(text, out var v))
            {
                _map[text] = v = compute(text);
            }

            return v;
        }

        public void Save(string? path)
        {
            if (path is null)
            {
                return;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using var writer = new BinaryWriter(File.Create(path), Encoding.UTF8);
            writer.Write(_map.Count);
            foreach (var (k, v) in _map)
            {
                writer.Write(k);
                foreach (var x in v)
                {
                    writer.Write(x);
                }
            }
        }
    }
}
