using System.Text.Json;

namespace Parley.Cli;

/// <summary>Bad command input (missing file, malformed line, missing field): reported with the line, exit code 2.</summary>
public sealed class InputException(string message) : Exception(message);

/// <summary>Reads and writes JSON Lines files.</summary>
public static class JsonLines
{
    public static readonly JsonSerializerOptions Output = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads every non-blank line of <paramref name="path"/> as a JSON object and maps it; errors name the line.</summary>
    public static List<T> Read<T>(string path, Func<JsonElement, int, T> map)
    {
        if (!File.Exists(path))
        {
            throw new InputException($"{path}: file not found.");
        }

        var items = new List<T>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(line);
            }
            catch (JsonException ex)
            {
                throw new InputException($"{path}:{lineNumber}: malformed JSON ({ex.Message}).");
            }

            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new InputException($"{path}:{lineNumber}: expected a JSON object.");
                }

                items.Add(map(doc.RootElement, lineNumber));
            }
        }

        return items;
    }

    /// <summary>A required string (or number, for ids) field.</summary>
    public static string RequiredString(JsonElement obj, string name, string path, int line) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? (v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText())
            : throw new InputException($"{path}:{line}: missing or non-string field \"{name}\".");

    /// <summary>Writes one object per line.</summary>
    public static async Task WriteAsync<T>(string path, IEnumerable<T> items)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
        {
            Directory.CreateDirectory(dir);
        }

        await using var writer = new StreamWriter(path);
        foreach (var item in items)
        {
            await writer.WriteLineAsync(JsonSerializer.Serialize(item, Output));
        }
    }
}
