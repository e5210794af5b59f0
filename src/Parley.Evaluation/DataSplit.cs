namespace Parley.Evaluation;

/// <summary>Which part of a labeled file to use.</summary>
public enum SplitPart
{
    /// <summary>Every row.</summary>
    All,
    /// <summary>Rows used for training (about 70%).</summary>
    Train,
    /// <summary>Rows held out from training (about 30%), used to report figures of trained components.</summary>
    HeldOut,
}

/// <summary>
/// The documented, fixed train / held-out split of the labeled data sets: a row is held out when
/// FNV-1a-64(seed, text) mod 100 &lt; <see cref="HeldOutPercent"/>. Hashing the text (not the row number) keeps
/// duplicates on the same side and makes the split independent of file order. Seed <see cref="Seed"/>.
/// </summary>
public static class DataSplit
{
    /// <summary>The fixed seed of the split.</summary>
    public const ulong Seed = 20261127;

    /// <summary>Share of rows held out, in percent.</summary>
    public const int HeldOutPercent = 30;

    /// <summary>True when <paramref name="text"/> belongs to the held-out part.</summary>
    public static bool IsHeldOut(string text)
    {
        var h = 14695981039346656037UL ^ Seed;
        foreach (var ch in text)
        {
            h = (h ^ ch) * 1099511628211UL;
        }

        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        return (int)(h % 100) < HeldOutPercent;
    }

    /// <summary>The rows of <paramref name="part"/>.</summary>
    public static List<LabeledExample> Select(IEnumerable<LabeledExample> rows, SplitPart part) => part switch
    {
        SplitPart.Train => rows.Where(r => !IsHeldOut(r.Text)).ToList(),
        SplitPart.HeldOut => rows.Where(r => IsHeldOut(r.Text)).ToList(),
        _ => rows.ToList(),
    };
}
