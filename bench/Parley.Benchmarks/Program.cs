using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Parley.Benchmarks -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Parley.Benchmarks.ClassifierBenchmarks).Assembly).Run(args);
