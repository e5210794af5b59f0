using System.Text;
using System.Text.Json;

namespace Parley.Evaluation;

/// <summary>One labeled text: the raw label value and whether it counts as positive (for example "Toxic").</summary>
public sealed record LabeledExample(string Text, string Label, bool Positive);

/// <summary>Bad evaluation input (missing file, column or field); the message names the file and line.</summary>
public sealed class EvaluationInputException(string message) : Exception(message);

/// <summary>How to read a labeled file: the text and label columns and which label values are positive.</summary>
public sealed record LabeledFileFormat(string TextColumn, string LabelColumn, IReadOnlyCollection<string> PositiveLabels)
{
    /// <summary>surge-toxicity-en.csv: <c>text</c>, <c>is_toxic</c> = Toxic.</summary>
    public static readonly LabeledFileFormat Surge = new("text", "is_toxic", ["Toxic"]);

    /// <summary>davidson-hate-offensive.csv: <c>tweet</c>, <c>class</c> (0 hate, 1 offensive, 2 neither); hate and offensive are positive.</summary>
    public static readonly LabeledFileFormat Davidson = new("tweet", "class", ["0", "1"]);
}

/// <summary>Reads labeled CSV (RFC 4180) or JSON Lines files.</summary>
public static class LabeledData
{
    /// <summary>Reads <paramref name="path"/>; JSON Lines when it ends in .jsonl or .json, CSV otherwise.</summary>
    public static List<LabeledExample> Read(string path, LabeledFileFormat format)
    {
        if (!File.Exists(path))
        {
            throw new EvaluationInputException($"{path}: file not found.");
        }

        var positive = new HashSet<string>(format.PositiveLabels, StringComparer.OrdinalIgnoreCase);
        return path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            ? ReadJsonLines(path, format, positive)
            : ReadCsvFile(path, format, positive);
    }

    private static List<LabeledExample> ReadCsvFile(string path, LabeledFileFormat format, HashSet<string> positive)
    {
        var rows = ParseCsv(File.ReadAllText(path));
        if (rows.Count == 0)
        {
            throw new EvaluationInputException($"{path}: empty file.");
        }

        var header = rows[0];
        var textAt = Array.FindIndex(header, h => string.Equals(h.Trim(), format.TextColumn, StringComparison.OrdinalIgnoreCase));
        var labelAt = Array.FindIndex(header, h => string.Equals(h.Trim(), format.LabelColumn, StringComparison.OrdinalIgnoreCase));
        if (textAt < 0 || labelAt < 0)
        {
            throw new EvaluationInputException(
                $"{path}: header has no column \"{(textAt < 0 ? format.TextColumn : format.LabelColumn)}\" (columns: {string.Join(", ", header)}).");
        }

        var result = new List<LabeledExample>(rows.Count);
        for (var r = 1; r < rows.Count; r++)
        {
            var row = rows[r];
            if (row.Length == 1 && row[0].Length == 0)
            {
                continue;
            }

            if (row.Length <= Math.Max(textAt, labelAt))
            {
                throw new EvaluationInputException($"{path}: record {r + 1} has {row.Length} fields, expected at least {Math.Max(textAt, labelAt) + 1}.");
            }

            var label = row[labelAt].Trim();
            result.Add(new LabeledExample(row[textAt], label, positive.Contains(label)));
        }

        return result;
    }

    private static List<LabeledExample> ReadJsonLines(string path, LabeledFileFormat format, HashSet<string> positive) =>
        JsonLinesFile.Read(path, (o, line) =>
        {
            var text = JsonLinesFile.RequiredString(o, format.TextColumn, path, line);
            if (!o.TryGetProperty(format.LabelColumn, out var label))
            {
                throw new EvaluationInputException($"{path}:{line}: missing field \"{format.LabelColumn}\".");
            }

            var value = label.ValueKind switch
            {
                JsonValueKind.String => label.GetString()!,
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => label.GetRawText(),
            };
            return new LabeledExample(text, value, positive.Contains(value));
        });

    /// <summary>Parses RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines.</summary>
    public static List<string[]> ParseCsv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch != '"')
                {
                    field.Append(ch);
                }
                else if (i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (ch == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
            }
            else if (ch != '\r')
            {
                field.Append(ch);
            }
        }

        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add([.. row]);
        }

        return rows;
    }
}
