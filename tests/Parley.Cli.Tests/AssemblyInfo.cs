// The CLI commands draw Spectre.Console progress displays on the one shared console, and Spectre refuses two at once:
// the CLI test classes run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
