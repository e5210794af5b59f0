using System.Text.Json;

namespace Parley.Evaluation;

/// <summary>Reads JSON Lines input files (one object per line) with errors that name the file and line.</summary>
public static class JsonLinesFile
{
    /// <summary>Maps every non-blank line of <paramref name="path"/>; throws <see cref="EvaluationInputException"/> on bad input.</summary>
    public static List<T> Read<T>(string path, Func<JsonElement, int, T> map)
    {
        if (!File.Exists(path))
        {
            throw new EvaluationInputException($"{path}: file not found.");
        }

        var items = new List<T>();
        var line = 0;
        foreach (var raw in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(raw);
            }
            catch (JsonException ex)
            {
                throw new EvaluationInputException($"{path}:{line}: malformed JSON ({ex.Message}).");
            }

            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new EvaluationInputException($"{path}:{line}: expected a JSON object.");
                }

                items.Add(map(doc.RootElement, line));
            }
        }

        return items;
    }

    /// <summary>A required string field (a number is accepted and kept as written, for ids).</summary>
    public static string RequiredString(JsonElement obj, string name, string path, int line) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? (v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText())
            : throw new EvaluationInputException($"{path}:{line}: missing or non-string field \"{name}\".");

    /// <summary>A required id (string or number), kept as written so outputs echo it with its JSON type.</summary>
    public static JsonElement RequiredId(JsonElement obj, string name, string path, int line) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? v.Clone()
            : throw new EvaluationInputException($"{path}:{line}: missing field \"{name}\" (a string or a number).");

    /// <summary>A required non-empty array of strings.</summary>
    public static List<string> RequiredStrings(JsonElement obj, string name, string path, int line)
    {
        if (!obj.TryGetProperty(name, out var array) || array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            throw new EvaluationInputException($"{path}:{line}: \"{name}\" must be a non-empty array of strings.");
        }

        return array.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String
            ? e.GetString()!
            : throw new EvaluationInputException($"{path}:{line}: \"{name}\" must hold only strings.")).ToList();
    }
}
