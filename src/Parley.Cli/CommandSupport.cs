using System.CommandLine;
using Spectre.Console;

namespace Parley.Cli;

/// <summary>Shared options and error handling of the commands.</summary>
public static class CommandSupport
{
    public static Option<string> InputOption(string description) => new("--input", "-i") { Description = description, Required = true };

    public static Option<string> OutputOption(string description) => new("--output", "-o") { Description = description, Required = true };

    /// <summary>Progress and messages go to stderr so stdout and output files stay clean.</summary>
    public static readonly IAnsiConsole Stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>Runs a command body: input errors exit 2 with the message, success exits 0.</summary>
    public static async Task<int> RunAsync(Func<Task> body)
    {
        try
        {
            await body();
            return 0;
        }
        catch (Exception ex) when (ex is InputException or Parley.Evaluation.EvaluationInputException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }
        catch (Exception ex) when (ex is TargetsMissedException or ReplayIncompleteException)
        {
            Console.Error.WriteLine(ex.Message);
            return 1;
        }
    }

    /// <summary>Runs <paramref name="work"/> under a progress bar on stderr.</summary>
    public static Task WithProgressAsync(string title, int total, Func<Action, Task> work) =>
        Stderr.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(title, maxValue: Math.Max(1, total));
                await work(() => task.Increment(1));
            });
}
