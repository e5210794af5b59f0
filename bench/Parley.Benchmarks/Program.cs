using BenchmarkDotNet.Running;
using Parley.Benchmarks;

// dotnet run -c Release --project bench/Parley.Benchmarks -- --filter '*' --job short
// dotnet run -c Release --project bench/Parley.Benchmarks -- latency eval/heldout-v4/messages.jsonl
if (args is ["latency", ..])
{
    LatencyReport.Run(args.Length > 1 ? args[1] : "eval/heldout-v4/messages.jsonl");
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ClassifierBenchmarks).Assembly).Run(args);
