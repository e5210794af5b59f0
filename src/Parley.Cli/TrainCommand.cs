using System.CommandLine;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Parley.Evaluation;
using Parley.Moderation.Classification;

namespace Parley.Cli;

/// <summary>
/// <c>parley train</c>: trains the learned stage (<see cref="LinearTextModel"/>) with ML.NET L1/L2-regularised logistic
/// regression (L-BFGS, one thread) over <see cref="HashedNgrams"/> of the normalized text, on the <b>train</b> part of the
/// labeled data (<see cref="DataSplit"/>: the held-out 30% is never read). The decision threshold is chosen by 5-fold
/// cross-validation inside the train part, maximising the F1 of the combined classifier (rules + model) on the surge rows.
/// </summary>
public static class TrainCommand
{
    private sealed class Row
    {
        public bool Label { get; set; }

        public VBuffer<float> Features { get; set; }

        public float Weight { get; set; }
    }

    private sealed record Example(string Text, bool Positive, bool FromSurge, VBuffer<float> Features, bool RulesToxic, bool AtAssistant);

    public static Command Create()
    {
        var surge = new Option<string>("--surge") { Description = "surge-toxicity-en.csv.", DefaultValueFactory = _ => "../shared/datasets/surge-toxicity-en.csv" };
        var davidson = new Option<string?>("--davidson")
        {
            Description = "davidson-hate-offensive.csv, extra training text (hate or offensive = toxic); \"\" to train on surge alone.",
            DefaultValueFactory = _ => "../shared/datasets/davidson-hate-offensive.csv",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Where to write the model.",
            DefaultValueFactory = _ => "src/Parley.Moderation/Classification/Model/toxicity-model.txt",
        };
        var bits = new Option<int>("--bits") { Description = "log2 of the hash buckets.", DefaultValueFactory = _ => 18 };
        var l1 = new Option<float>("--l1") { Description = "L1 regularisation (sparsity).", DefaultValueFactory = _ => 2f };
        var l2 = new Option<float>("--l2") { Description = "L2 regularisation.", DefaultValueFactory = _ => 0.1f };
        var charGram = new Option<int>("--char-gram") { Description = "Also use character n-grams of this length (0: words only).", DefaultValueFactory = _ => 4 };
        var assistantConfidence = new Option<double?>("--assistant-confidence") { Description = "Override ParleyClassifier.AssistantConfidence when choosing the threshold (analysis only)." };
        var surgeWeight = new Option<float>("--surge-weight") { Description = "Example weight of surge rows relative to davidson rows.", DefaultValueFactory = _ => 10f };
        var seed = new Option<int>("--seed") { Description = "Seed of ML.NET and of the cross-validation folds.", DefaultValueFactory = _ => 1 };
        var command = new Command("train", "Train the learned classifier stage on the train split of the labeled data sets.") { surge, davidson, output, bits, l1, l2, charGram, assistantConfidence, surgeWeight, seed };
        command.SetAction((parse, _) => CommandSupport.RunAsync(() => RunAsync(
            parse.GetValue(surge)!, parse.GetValue(davidson), parse.GetValue(output)!, parse.GetValue(bits), parse.GetValue(l1), parse.GetValue(l2), parse.GetValue(seed),
            parse.GetValue(charGram), parse.GetValue(assistantConfidence), parse.GetValue(surgeWeight))));
        return command;
    }

    public static Task RunAsync(string surgePath, string? davidsonPath, string outputPath, int bits, float l1, float l2, int seed, int charGram = 4, double? assistantConfidenceOverride = null, float surgeWeight = 10f)
    {
        try
        {
            var rules = new RuleBasedClassifier();
            var dim = 1 << bits;
            var examples = new List<Example>();
            void Add(string path, LabeledFileFormat format, bool fromSurge)
            {
                foreach (var row in DataSplit.Select(LabeledData.Read(path, format), SplitPart.Train))
                {
                    var c = rules.Classify(row.Text, []);
                    var buckets = HashedNgrams.Buckets(TextNormalizer.Normalize(row.Text), bits, charGram);
                    examples.Add(new Example(row.Text, row.Positive, fromSurge, ToVector(buckets, dim), ClassifierEvaluation.IsToxic(c), c.Target == MessageTarget.Assistant));
                }
            }

            Add(surgePath, LabeledFileFormat.Surge, true);
            if (!string.IsNullOrEmpty(davidsonPath))
            {
                Add(davidsonPath, LabeledFileFormat.Davidson, false);
            }

            var ml = new MLContext(seed);
            var assistantConfidence = assistantConfidenceOverride ?? new ParleyClassifier(null).AssistantConfidence;

            // Out-of-fold probabilities for the surge rows of the train split choose the threshold.
            const int folds = 5;
            var rng = new Random(seed);
            var fold = examples.Select(_ => rng.Next(folds)).ToArray();
            var oof = new double[examples.Count];
            for (var f = 0; f < folds; f++)
            {
                var (w, b) = Fit(ml, examples.Where((_, i) => fold[i] != f), dim, l1, l2, surgeWeight);
                for (var i = 0; i < examples.Count; i++)
                {
                    if (fold[i] == f)
                    {
                        oof[i] = Score(examples[i].Features, w, b);
                    }
                }
            }

            var surgeRows = Enumerable.Range(0, examples.Count).Where(i => examples[i].FromSurge).ToList();
            double F1At(double t)
            {
                int tp = 0, fp = 0, fn = 0;
                foreach (var i in surgeRows)
                {
                    var e = examples[i];
                    var predicted = e.RulesToxic || (oof[i] >= t && (!e.AtAssistant || oof[i] >= assistantConfidence));
                    tp += predicted && e.Positive ? 1 : 0;
                    fp += predicted && !e.Positive ? 1 : 0;
                    fn += !predicted && e.Positive ? 1 : 0;
                }

                return tp == 0 ? 0 : 2.0 * tp / ((2.0 * tp) + fp + fn);
            }

            var best = Enumerable.Range(10, 81).Select(i => i / 100.0).Select(t => (T: t, F1: F1At(t))).MaxBy(x => x.F1);
            Console.Error.WriteLine($"rules alone, surge train split: F1 {F1At(2):0.000}");
            Console.Error.WriteLine($"rules + model, {folds}-fold CV on the surge train split: F1 {best.F1:0.000} at threshold {best.T:0.00}");

            var (weights, bias) = Fit(ml, examples, dim, l1, l2, surgeWeight);
            var description = $"trained by parley train: surge{(string.IsNullOrEmpty(davidsonPath) ? "" : " + davidson")} train split (seed {DataSplit.Seed}, {100 - DataSplit.HeldOutPercent}%), "
                + $"{examples.Count} rows, surge weight {surgeWeight}, bits {bits}, char {charGram}-grams, l1 {l1}, l2 {l2}, seed {seed}";
            var model = new LinearTextModel(bits, bias, best.T, weights, description, charGram);
            var dir = Path.GetDirectoryName(Path.GetFullPath(outputPath));
            if (dir is not null)
            {
                Directory.CreateDirectory(dir);
            }

            using (var writer = new StreamWriter(outputPath))
            {
                model.Save(writer);
            }

            Console.Error.WriteLine($"wrote {outputPath}: {model.NonZeroWeights} non-zero weights, {new FileInfo(outputPath).Length / 1024.0:0.0} KB");
            return Task.CompletedTask;
        }
        catch (EvaluationInputException ex)
        {
            throw new InputException(ex.Message);
        }
    }

    private static VBuffer<float> ToVector(List<int> buckets, int dim)
    {
        var counts = new SortedDictionary<int, float>();
        foreach (var b in buckets)
        {
            counts[b] = counts.GetValueOrDefault(b) + 1;
        }

        return new VBuffer<float>(dim, counts.Count, [.. counts.Values], [.. counts.Keys]);
    }

    private static double Score(VBuffer<float> x, float[] w, float b)
    {
        var sum = (double)b;
        var values = x.GetValues();
        var indices = x.GetIndices();
        for (var i = 0; i < values.Length; i++)
        {
            sum += w[indices[i]] * values[i];
        }

        return 1 / (1 + Math.Exp(-sum));
    }

    private static (float[] Weights, float Bias) Fit(MLContext ml, IEnumerable<Example> rows, int dim, float l1, float l2, float surgeWeight)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dim);
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Label = r.Positive, Features = r.Features, Weight = r.FromSurge ? surgeWeight : 1f }), schema);
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = nameof(Row.Label),
            FeatureColumnName = nameof(Row.Features),
            ExampleWeightColumnName = nameof(Row.Weight),
            L1Regularization = l1,
            L2Regularization = l2,
            NumberOfThreads = 1,
            EnforceNonNegativity = false,
        });
        var model = trainer.Fit(data).Model.SubModel;
        var weights = new float[dim];
        var i = 0;
        foreach (var w in model.Weights)
        {
            weights[i++] = w;
        }

        return (weights, model.Bias);
    }
}
