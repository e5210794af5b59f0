namespace Parley.Evaluation;

/// <summary>A binary confusion matrix with the usual figures (0 when undefined).</summary>
public sealed record BinaryMetrics(string Name, int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives)
{
    /// <summary>Rows counted.</summary>
    public int Count => TruePositives + FalsePositives + FalseNegatives + TrueNegatives;

    /// <summary>tp / (tp + fp).</summary>
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary>tp / (tp + fn).</summary>
    public double Recall => Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>Harmonic mean of precision and recall.</summary>
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <summary>False-positive rate: fp / (fp + tn).</summary>
    public double FalsePositiveRate => Ratio(FalsePositives, FalsePositives + TrueNegatives);

    internal static double Ratio(int a, int b) => b == 0 ? 0 : a / (double)b;
}

/// <summary>Accumulates a <see cref="BinaryMetrics"/>.</summary>
internal sealed class Confusion(string name)
{
    private int _tp, _fp, _fn, _tn;

    public void Add(bool gold, bool predicted)
    {
        if (gold && predicted) { _tp++; }
        else if (predicted) { _fp++; }
        else if (gold) { _fn++; }
        else { _tn++; }
    }

    public BinaryMetrics Build() => new(name, _tp, _fp, _fn, _tn);
}
