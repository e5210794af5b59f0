using System.Text.Json;

namespace Parley.Cli;

/// <summary>Bad command input (missing file, malformed line, missing field): reported with the line, exit code 2.</summary>
public sealed class InputException(string message) : Exception(message);

/// <summary>Writes JSON Lines files (reading is <see cref="Parley.Evaluation.JsonLinesFile"/>).</summary>
public static class JsonLines
{
    public static readonly JsonSerializerOptions Output = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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
