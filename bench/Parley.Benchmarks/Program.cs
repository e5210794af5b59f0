using BenchmarkDotNet.Running;
using Parley.Benchmarks;

// dotnet run -c Release --project bench/Parley.Benchmarks -- --filter '*' --job short
// dotnet run -c Release --project bench/Parley.Benchmarks -- latency eval/heldout-v4/messages.jsonl
// dotnet run -c Release --project bench/Parley.Benchmarks -- batch-check eval/heldout-v7/messages.jsonl eval/heldout-v7/scenarios.jsonl
if (args is ["latency", ..])
{
    LatencyReport.Run(args.Length > 1 ? args[1] : "eval/heldout-v4/messages.jsonl");
    return;
}

if (args is ["batch-check", .. var files])
{
    await BatchCheck.RunAsync(files.Length > 0 ? files : ["eval/heldout-v7/messages.jsonl", "eval/heldout-v7/scenarios.jsonl"]);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ClassifierBenchmarks).Assembly).Run(args);
