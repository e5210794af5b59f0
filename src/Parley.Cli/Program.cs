using System.CommandLine;
using Parley.Cli;

// parley: command-line tools over Parley's decision logic and grains.
var root = new RootCommand("Parley command-line tools: replay scenarios through the real grains, classify messages.");
root.Subcommands.Add(ReplayCommand.Create());
root.Subcommands.Add(ClassifyCommand.Create());
root.Subcommands.Add(EvalCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
return await root.Parse(args).InvokeAsync();
