using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Parley.Moderation.Semantic;

/// <summary>The signals the semantic stage scores, one logistic head each over a message's sentence embedding.</summary>
public enum Signal
{
    /// <summary>Insults, threats or harassment aimed at the assistant.</summary>
    Abuse = 0,
    /// <summary>Imminent risk of harm to the writer or to someone else.</summary>
    Risk = 1,
    /// <summary>A request an assistant should refuse, of any kind.</summary>
    Harmful = 2,
    /// <summary>A request for severely harmful content (mass-casualty weapons, terrorism, serious violence, minors).</summary>
    Severe = 3,
    /// <summary>An explicit request to end this conversation.</summary>
    EndRequest = 4,
    /// <summary>A "yes" to the assistant's question whether to end the conversation.</summary>
    Confirm = 5,
    /// <summary>Hate against a group of people.</summary>
    Hate = 6,
    /// <summary>Toxic language about anyone (social-media sense).</summary>
    Toxic = 7,
}

/// <summary>One logistic-regression head: <c>p = sigmoid(w·x + b)</c>, and the probability at which it fires.</summary>
public sealed class LogisticHead
{
    /// <summary>Head name (the snake_case name of its <see cref="Signal"/>, or <c>followup</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Weights, one per input feature.</summary>
    public required float[] Weights { get; init; }

    /// <summary>Intercept.</summary>
    public required float Bias { get; init; }

    /// <summary>Probability at or above which the head fires (chosen by <c>parley train</c> on validation folds).</summary>
    public required double Threshold { get; init; }

    /// <summary>The head's probability for feature vector <paramref name="x"/>.</summary>
    public double Probability(ReadOnlySpan<float> x)
    {
        if (x.Length != Weights.Length)
        {
            throw new ArgumentException($"Head {Name} expects {Weights.Length} features, got {x.Length}.");
        }

        var z = (double)Bias;
        for (var i = 0; i < x.Length; i++)
        {
            z += Weights[i] * x[i];
        }

        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>
    /// Maps a probability onto a category score so that the head's threshold lands on <paramref name="boundary"/>
    /// (the policy's threshold): scores at or above it mean "the head fired", whatever the head's own calibration.
    /// </summary>
    public double ToScore(double p, double boundary = 0.5) => p < Threshold
        ? boundary * p / Threshold
        : boundary + ((1 - boundary) * (p - Threshold) / Math.Max(1e-9, 1 - Threshold));
}

/// <summary>
/// The trained semantic stage: a head per <see cref="Signal"/>, a pair head for follow-ups to a severely harmful request,
/// and one centroid per severe category (to name the category). Written by <c>parley train</c> as JSON and embedded.
/// </summary>
public sealed class SemanticModel
{
    /// <summary>File format marker.</summary>
    public const string FormatMarker = "parley-semantic/1";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>The format marker of the file.</summary>
    public string Format { get; init; } = FormatMarker;

    /// <summary>The sentence encoder the heads were trained on.</summary>
    public required string Encoder { get; init; }

    /// <summary>How the model was trained (data, split, command).</summary>
    public required string Description { get; init; }

    /// <summary>The heads over one message's embedding, by <see cref="Signal"/> (in enum order).</summary>
    public required LogisticHead[] Heads { get; init; }

    /// <summary>
    /// The follow-up head over <c>[current, thread, current ⊙ thread]</c> (3 × 384 features): does this message continue the
    /// severely harmful request <c>thread</c> ("ok, just the amounts then")?
    /// </summary>
    public required LogisticHead FollowUp { get; init; }

    /// <summary>Weight of the exemplar vote in a signal's probability (the linear head has the rest); 0 without exemplars.</summary>
    public double ExemplarWeight { get; init; }

    /// <summary>The training messages' embeddings and labels (a separate binary resource), or null.</summary>
    [JsonIgnore]
    public ExemplarIndex? Exemplars { get; set; }

    /// <summary>Mean unit embedding of the training requests of each severe category, by category name.</summary>
    public required Dictionary<string, float[]> SevereCentroids { get; init; }

    /// <summary>The head of one signal.</summary>
    [JsonIgnore]
    public LogisticHead this[Signal signal] => Heads[(int)signal];

    /// <summary>
    /// True when the heads read a request to harm, not a disclosure of risk: the severe head fires (or the harmful head
    /// clearly does) while the risk head stays below its threshold. Such a message feeds the harmful thread; its middling
    /// risk probability ("poison my neighbour's family" reads near 0.5) is neither a cue nor part of the risk window.
    /// </summary>
    public bool IsHarmRequest(double[] p) => p[(int)Signal.Risk] < this[Signal.Risk].Threshold
        && (p[(int)Signal.Severe] >= this[Signal.Severe].Threshold || p[(int)Signal.Harmful] >= SemanticStage.Clear(this[Signal.Harmful]));

    /// <summary>The model embedded in this assembly, or null when it was built without one.</summary>
    public static SemanticModel? LoadEmbedded()
    {
        var assembly = Assembly.GetExecutingAssembly();
        using var stream = assembly.GetManifestResourceStream("Parley.Moderation.semantic-model.json");
        if (stream is null)
        {
            return null;
        }

        var model = Read(stream);
        using var exemplars = assembly.GetManifestResourceStream("Parley.Moderation.semantic-exemplars.bin");
        model.Exemplars = exemplars is null ? null : ExemplarIndex.Read(exemplars);
        return model;
    }

    /// <summary>
    /// Every signal's probability for one embedding: the linear head, mixed with the exemplar vote when there is one.
    /// </summary>
    public double[] Probabilities(float[] embedding)
    {
        var p = new double[Heads.Length];
        var votes = Exemplars is not null && ExemplarWeight > 0 ? Exemplars.Vote(embedding) : null;
        for (var i = 0; i < p.Length; i++)
        {
            p[i] = Heads[i].Probability(embedding);
            if (votes is not null)
            {
                p[i] = ((1 - ExemplarWeight) * p[i]) + (ExemplarWeight * votes[i]);
            }
        }

        return p;
    }

    /// <summary>Reads a model file; throws <see cref="InvalidDataException"/> when it is not one.</summary>
    public static SemanticModel Read(Stream stream)
    {
        var model = JsonSerializer.Deserialize<SemanticModel>(stream, Json) ?? throw new InvalidDataException("Empty semantic model.");
        if (model.Format != FormatMarker || model.Heads.Length != Enum.GetValues<Signal>().Length)
        {
            throw new InvalidDataException($"Not a {FormatMarker} model with {Enum.GetValues<Signal>().Length} heads.");
        }

        return model;
    }

    /// <summary>Writes the model as JSON.</summary>
    public void Write(Stream stream) => JsonSerializer.Serialize(stream, this, Json);

    /// <summary>The snake_case name of a signal.</summary>
    public static string NameOf(Signal s) => JsonNamingPolicy.SnakeCaseLower.ConvertName(s.ToString());
}
