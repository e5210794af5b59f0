using Parley.Cli;

// parley: command-line tools over Parley's decision logic and grains.
return await ParleyCommands.InvokeAsync(args);
