using System.CommandLine;

namespace Parley.Cli;

/// <summary>The <c>parley</c> command tree (public so tests run the real commands with real arguments).</summary>
public static class ParleyCommands
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Parley command-line tools: replay scenarios through the real grains, classify messages, evaluate and train the classifier.");
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(Load.LoadCommand.Create());
        root.Subcommands.Add(ClassifyCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        return root;
    }

    public static Task<int> InvokeAsync(string[] args) => Create().Parse(args).InvokeAsync();
}
