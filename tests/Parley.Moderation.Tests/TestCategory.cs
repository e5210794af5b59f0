// Every test here is a fast unit test of plain C# (no cluster, no storage, no browser): ./test.sh --filter Category=unit
[assembly: AssemblyTrait("Category", "unit")]
