namespace Parley.Eval.Tests;

/// <summary>Finds the repository (the folder with Silo.sln) and the shared data sets beside it.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Eval(string relative) => Path.Combine(Root, "eval", relative);

    /// <summary>../shared/datasets/<paramref name="file"/> beside the repository, or null when absent (a fresh clone).</summary>
    public static string? Dataset(string file)
    {
        var path = Path.GetFullPath(Path.Combine(Root, "..", "shared", "datasets", file));
        return File.Exists(path) ? path : null;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Silo.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Silo.sln not found above the test assembly.");
    }
}

/// <summary>A fact that runs only where the labeled data set is present, and says why it skips otherwise.</summary>
public sealed class DatasetFactAttribute : FactAttribute
{
    public DatasetFactAttribute(string file)
    {
        if (RepoPaths.Dataset(file) is null)
        {
            Skip = $"Needs ../shared/datasets/{file} next to the repository: the labeled data is kept outside the repo "
                + "(its rows must not be copied in), so a fresh clone skips this measurement. CI has the folder and runs it.";
        }
    }
}
