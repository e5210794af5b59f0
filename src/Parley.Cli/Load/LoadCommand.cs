using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Parley.Moderation.Classification;
using Parley.Moderation.Semantic;
using Spectre.Console;

namespace Parley.Cli.Load;

/// <summary>
/// <c>parley load</c>: N concurrent synthetic users play the <see cref="LoadMix"/> through the real grains, of an in-process
/// silo or (<c>--connect</c>) a running cluster, after two baselines measured in the same run on the same cluster: a bare
/// grain round trip and a bare grain doing a send's storage writes. Live progress on stderr; the report on stdout and,
/// with <c>--json</c>, in a file.
/// </summary>
public static class LoadCommand
{
    public sealed record Settings
    {
        public int Users { get; init; } = 64;
        public double DurationSeconds { get; init; } = 20;
        public double BaselineSeconds { get; init; } = 10;
        /// <summary>Seconds of unmeasured mix after the priming pass (every conversation of the mix once); 0 skips both.</summary>
        public double WarmupSeconds { get; init; } = 3;
        /// <summary>Target sends (and probe calls) per second across all users; 0 = as fast as the users can go.</summary>
        public double Rate { get; init; }
        public bool Connect { get; init; }
        /// <summary>Base URLs of front ends or silos: the mix goes through the HTTP API instead of the grains.</summary>
        public IReadOnlyList<Uri>? HttpUrls { get; init; }
        /// <summary>After the run, read every conversation back and count acknowledged turns lost or duplicated.</summary>
        public bool Verify { get; init; }
        /// <summary>Append a running number to every message, so the classifier's text caches never answer (the mix's
        /// texts otherwise repeat, and the semantic stage caches embeddings by text).</summary>
        public bool UniqueTexts { get; init; }
        public bool Baselines { get; init; } = true;
        public string? JsonPath { get; init; }
        /// <summary>Show the live display (off in tests).</summary>
        public bool Live { get; init; } = true;
    }

    public static Command Create()
    {
        var users = new Option<int>("--users", "-u") { Description = "Concurrent synthetic users.", DefaultValueFactory = _ => 64 };
        var duration = new Option<double>("--duration", "-d") { Description = "Seconds of the measured mix.", DefaultValueFactory = _ => 20 };
        var baseline = new Option<double>("--baseline-duration") { Description = "Seconds of each baseline (bare round trip, storage-bound).", DefaultValueFactory = _ => 10 };
        var warmup = new Option<double>("--warmup")
        {
            Description = "Seconds of unmeasured mix first, after a priming pass that plays every conversation of the mix once (so every text has been classified); 0 skips both (a cold start).",
            DefaultValueFactory = _ => 3,
        };
        var rate = new Option<double>("--rate") { Description = "Target sends per second across all users (0: as fast as possible). Latency then counts from each send's due time." };
        var noBaselines = new Option<bool>("--no-baselines") { Description = "Skip the two baselines." };
        var connect = new Option<bool>("--connect")
        {
            Description = "Load the running cluster described by Parley:Cluster (appsettings.json or Parley__Cluster__* variables) through the grain client instead of an in-process silo.",
        };
        var http = new Option<string?>("--http")
        {
            Description = "Play the mix through the HTTP API of these base URLs (comma-separated front ends or silos, requests spread round-robin) " +
                          "with tokens signed by Parley:Auth:SigningKey. The baselines need grain access: add --connect, else they are skipped.",
        };
        var verify = new Option<bool>("--verify")
        {
            Description = "After the run, read every conversation back and count acknowledged turns that are missing (lost) or stored more than once (duplicated).",
        };
        var unique = new Option<bool>("--unique-texts")
        {
            Description = "Append a running number (\" (ref 123)\") to every message so that no classifier cache answers: the mix's texts otherwise repeat.",
        };
        var json = new Option<string?>("--json") { Description = "Also write the report as JSON to this file." };
        var command = new Command("load", "Load-test the send path with a realistic mix of conversations and report throughput and latency against same-run baselines.")
        {
            users, duration, baseline, warmup, rate, noBaselines, connect, http, verify, unique, json,
        };
        command.SetAction((parse, _) => CommandSupport.RunAsync(() => RunAsync(new Settings
        {
            Users = parse.GetValue(users),
            DurationSeconds = parse.GetValue(duration),
            BaselineSeconds = parse.GetValue(baseline),
            WarmupSeconds = parse.GetValue(warmup),
            Rate = parse.GetValue(rate),
            Baselines = !parse.GetValue(noBaselines),
            Connect = parse.GetValue(connect),
            HttpUrls = parse.GetValue(http) is { Length: > 0 } urls
                ? [.. urls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseUrl)]
                : null,
            Verify = parse.GetValue(verify),
            UniqueTexts = parse.GetValue(unique),
            JsonPath = parse.GetValue(json),
        })));
        return command;
    }

    public static async Task<LoadReport> RunAsync(Settings settings)
    {
        if (settings.Users < 1 || settings.DurationSeconds <= 0 || settings.BaselineSeconds < 0 || settings.WarmupSeconds < 0 || settings.Rate < 0)
        {
            throw new InputException("--users must be at least 1, --duration positive, and --baseline-duration, --warmup and --rate not negative.");
        }

        // Grain access for the mix (in-process or --connect) and for the baselines; an HTTP-only run needs none.
        await using var connection = settings.HttpUrls is null || settings.Connect ? await GrainConnection.OpenAsync(settings.Connect) : null;
        var configuration = connection?.Configuration ?? new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        using var http = settings.HttpUrls is { } urls ? new HttpLoadTarget(urls, configuration) : null;
        ILoadTarget target = http is not null ? http : new GrainLoadTarget(connection!.Grains, settings.Connect ? "cluster client" : "in-process silo");
        var report = await RunAsync(target, connection?.Grains, settings, configuration);
        Print(report);
        if (settings.JsonPath is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonLines.Output) { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase }));
        }

        return report;
    }

    /// <summary>Runs the warm-up, the baselines and the mix against <paramref name="grains"/> and returns the report.</summary>
    public static Task<LoadReport> RunAsync(IGrainFactory grains, Settings settings, IConfiguration? configuration = null) =>
        RunAsync(new GrainLoadTarget(grains, settings.Connect ? "cluster client" : "in-process silo"), grains, settings, configuration);

    /// <summary>Runs the warm-up, the baselines (when <paramref name="grains"/> is given) and the mix against
    /// <paramref name="target"/>, then (with <see cref="Settings.Verify"/>) checks every acknowledged turn in storage.</summary>
    public static async Task<LoadReport> RunAsync(ILoadTarget target, IGrainFactory? grains, Settings settings, IConfiguration? configuration = null)
    {
        var runId = Guid.NewGuid().ToString("N")[..8];
        var mix = LoadMix.Default;
        var runner = new LoadRunner(target, grains, runId, mix, settings.UniqueTexts);
        var phases = new List<PhaseReport>();
        var warmUp = new List<PhaseReport>();
        if (settings.WarmupSeconds > 0)
        {
            // The timed warm-up alone did not reach every text at 200 sends/s, and a text's first classification (the
            // semantic stage caches by text) stalled the measured mix's first seconds; the priming pass makes it certain.
            var primer = new LoadRecorder();
            await runner.PrimeAsync(primer, default);
            warmUp.Add(primer.Report("prime", primer.Elapsed));
            if (settings.Live)
            {
                CommandSupport.Stderr.WriteLine($"prime: every conversation of the mix once, {primer.Sends:N0} sends in {primer.Elapsed.TotalSeconds:0.0} s, {primer.Failed:N0} failed");
            }

            warmUp.Add(await PhaseAsync("warm-up", settings.WarmupSeconds, settings, (u, r, p, until) => runner.MixUserAsync("w", u, r, p, until, default)));
        }

        if (settings.Baselines && settings.BaselineSeconds > 0 && grains is not null)
        {
            phases.Add(await PhaseAsync("bare round trip", settings.BaselineSeconds, settings, (u, r, p, until) => runner.ProbeUserAsync(false, u, r, p, until, default)));
            phases.Add(await PhaseAsync("storage-bound", settings.BaselineSeconds, settings, (u, r, p, until) => runner.ProbeUserAsync(true, u, r, p, until, default)));
        }

        // In-process, the silo's sentence encoder is this process's: how many texts each of its runs encoded during the mix.
        var encoder = settings.Connect || settings.HttpUrls is not null ? null : SentenceEmbedder.DefaultIfLoaded;
        var encoderBefore = encoder?.BatchCounts;
        phases.Add(await PhaseAsync("send path (mix)", settings.DurationSeconds, settings, (u, r, p, until) => runner.MixUserAsync("m", u, r, p, until, default)));
        var encoderRuns = encoder is null ? null : new EncoderRuns(encoder.BatchCounts.Runs - encoderBefore!.Value.Runs, encoder.BatchCounts.Texts - encoderBefore.Value.Texts);

        var verification = settings.Verify ? await LoadVerification.CheckAsync(target, runner.Acknowledged) : null;
        var silos = grains is null ? 0 : (await Transient.RetryAsync(() => grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true))).Count;
        return new LoadReport
        {
            Date = DateTimeOffset.UtcNow,
            Transport = target.Transport,
            Storage = settings.Connect || settings.HttpUrls is not null ? "(the cluster's)" : configuration?["Parley:Storage:Provider"] ?? "Memory",
            Silos = silos,
            Users = settings.Users,
            UniqueTexts = settings.UniqueTexts,
            TargetRate = settings.Rate,
            ProcessorCount = Environment.ProcessorCount,
            Runtime = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            Mix = mix.ToDictionary(s => s.Kind, s => s.Weight),
            Phases = phases,
            WarmUp = warmUp,
            Encoder = encoderRuns,
            ClassifierMicroseconds = MeasureClassifier(mix),
            Verification = verification,
        };
    }

    private static Uri ParseUrl(string url) =>
        Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new InputException($"--http: '{url}' is not an http(s) URL.");

    private static async Task<PhaseReport> PhaseAsync(string name, double seconds, Settings settings,
        Func<int, LoadRecorder, Pacer?, DateTime, Task> user)
    {
        var recorder = new LoadRecorder();
        var pacer = settings.Rate > 0 ? new Pacer(settings.Rate) : null;
        var until = DateTime.UtcNow.AddSeconds(seconds);
        var run = Task.WhenAll(Enumerable.Range(0, settings.Users).Select(u => Task.Run(() => user(u, recorder, pacer, until))));
        if (settings.Live && CommandSupport.Stderr.Profile.Capabilities.Interactive)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumns("phase", "elapsed", "calls", "sends/s", "errors", "failed", "by decision");
            await CommandSupport.Stderr.Live(table).StartAsync(async ctx =>
            {
                var (lastSends, lastTime) = (0L, TimeSpan.Zero);
                while (true)
                {
                    var finished = await Task.WhenAny(run, Task.Delay(500)) == run;
                    var (sends, now) = (recorder.Sends, recorder.Elapsed);
                    var recent = (sends - lastSends) / Math.Max(0.001, (now - lastTime).TotalSeconds);
                    (lastSends, lastTime) = (sends, now);
                    table.Rows.Clear();
                    table.AddRow(name, $"{now.TotalSeconds:0.0} / {seconds:0} s", $"{recorder.Calls:N0}", $"{recent:N0}",
                        $"{recorder.ErrorCount:N0}", $"{recorder.Failed:N0}",
                        Markup.Escape(string.Join(", ", recorder.DecisionCounts().OrderByDescending(d => d.Value).Select(d => $"{d.Key} {d.Value:N0}"))));
                    ctx.Refresh();
                    if (finished)
                    {
                        break;
                    }
                }
            });
        }

        await run;
        if (settings.Live && !CommandSupport.Stderr.Profile.Capabilities.Interactive)
        {
            CommandSupport.Stderr.WriteLine($"{name}: {recorder.Calls:N0} calls in {recorder.Elapsed.TotalSeconds:0.0} s, {recorder.ErrorCount:N0} errors, {recorder.Failed:N0} failed");
        }

        return recorder.Report(name, recorder.Elapsed);
    }

    // The classifier's share of a send, measured in this process on one thread: each mix message with up to three
    // previous messages of its conversation as context, as the conversation grain gives it. The message itself is made
    // new on every call (" (ref N)" appended; the normalizer keeps numbers, unlike "#N") so that the semantic stage's text cache cannot answer, as for a real new
    // message; the context messages are cache hits, as in a conversation.
    private static double MeasureClassifier(IReadOnlyList<LoadScript> mix)
    {
        var classifier = ParleyClassifier.CreateDefault();
        var calls = mix.SelectMany(s =>
        {
            var texts = s.Steps.OfType<LoadStep.Send>().Select(x => x.Text).ToList();
            return texts.Select((t, i) => (t, (IReadOnlyList<string>)texts.Skip(Math.Max(0, i - 3)).Take(Math.Min(i, 3)).ToList()));
        }).ToList();
        foreach (var (text, context) in calls)
        {
            classifier.Classify(text, context);
        }

        var watch = Stopwatch.StartNew();
        var n = 0;
        while (watch.ElapsedMilliseconds < 1000)
        {
            foreach (var (text, context) in calls)
            {
                classifier.Classify($"{text} (ref {n})", context);
                n++;
            }
        }

        return Math.Round(watch.Elapsed.TotalMicroseconds / n, 1);
    }

    private static void Print(LoadReport report)
    {
        var console = AnsiConsole.Console;
        if (Console.IsOutputRedirected)
        {
            console.Profile.Width = 160;   // a file or a pipe: do not wrap the tables at 80 columns
        }

        console.MarkupLine($"[bold]parley load[/]: {report.Transport}, storage {Markup.Escape(report.Storage)}, {report.Silos} silo(s), " +
                           $"{report.Users} users{(report.TargetRate > 0 ? $", target {report.TargetRate:0} sends/s" : "")}, " +
                           $"{report.ProcessorCount} cores, {report.Runtime}");
        var phases = new Table().AddColumns("phase", "seconds", "calls/s", "sends/s", "p50 ms", "p95 ms", "p99 ms", "errors", "failed");
        foreach (var p in report.Phases)
        {
            phases.AddRow(p.Name, $"{p.Seconds:0.0}", $"{p.CallsPerSecond:N1}", $"{p.SendsPerSecond:N1}", $"{p.SendLatency.P50:0.00}",
                $"{p.SendLatency.P95:0.00}", $"{p.SendLatency.P99:0.00}", $"{p.Errors.Values.Sum():N0}", $"{p.Failed:N0}");
        }

        console.Write(phases);
        if (report.Ratios is { } r)
        {
            console.MarkupLine($"send path / storage-bound: [bold]{r.SendsToStorageBound:0.00}[/] (sends/s), {r.CallsToStorageBound:0.00} (all calls/s); " +
                               $"send path / bare round trip: {r.SendsToRoundTrip:0.00}");
        }

        var mix = report.Phases[^1];
        var decisions = new Table().AddColumns("decision or call", "count", "p50 ms", "p95 ms", "p99 ms", "max ms");
        foreach (var (label, l) in mix.Latency)
        {
            decisions.AddRow(label, $"{l.Count:N0}", $"{l.P50:0.00}", $"{l.P95:0.00}", $"{l.P99:0.00}", $"{l.Max:0.00}");
        }

        console.Write(decisions);
        console.MarkupLine(mix.Errors.Count == 0
            ? "errors: none"
            : "errors by code (attempts, retried ones included; first-last seen): " +
              Markup.Escape(string.Join(", ", mix.ErrorSpans.Select(e => $"{e.Key} {e.Value.Count} ({e.Value.First:HH:mm:ss.f}-{e.Value.Last:HH:mm:ss.f}, {e.Value.Seconds:0.0} s)"))));
        if (report.Verification is { } v)
        {
            console.MarkupLine($"verification: {v.Acknowledged:N0} acknowledged turns in {v.Conversations:N0} conversations: [bold]{v.Lost} lost, {v.Duplicated} duplicated[/]; " +
                               $"{v.StoredUnacknowledged} stored but never acknowledged (a send whose answer was lost); {v.Unreadable} conversations unreadable");
        }
        if (report.Encoder is { Runs: > 0 } e)
        {
            console.MarkupLine($"sentence encoder during the mix: {e.Texts:N0} new texts in {e.Runs:N0} runs ({e.MeanBatch:0.0} a run)");
        }

        console.MarkupLine($"classifier (this process, one thread): {report.ClassifierMicroseconds:0.0} µs per message " +
                           $"= {report.ClassifierMicroseconds / 10 / Math.Max(0.001, mix.SendLatency.P50):0.0}% of the send p50");
    }
}

/// <summary>The report of one <c>parley load</c> run.</summary>
public sealed record LoadReport
{
    public required DateTimeOffset Date { get; init; }
    public required string Transport { get; init; }
    public required string Storage { get; init; }
    public required int Silos { get; init; }
    public required int Users { get; init; }
    public bool UniqueTexts { get; init; }
    public required double TargetRate { get; init; }
    public required int ProcessorCount { get; init; }
    public required string Runtime { get; init; }
    public required IReadOnlyDictionary<string, int> Mix { get; init; }
    /// <summary>The baselines (when run) and then the mix.</summary>
    public required IReadOnlyList<PhaseReport> Phases { get; init; }
    /// <summary>What ran before them, unmeasured: the priming pass (every conversation of the mix once) and the timed warm-up.</summary>
    public IReadOnlyList<PhaseReport> WarmUp { get; init; } = [];
    /// <summary>Classifier time per mix message in the load generator's process, on one thread.</summary>
    public required double ClassifierMicroseconds { get; init; }
    /// <summary>In-process only: the sentence encoder's runs during the mix and the new texts they encoded (batched path).</summary>
    public EncoderRuns? Encoder { get; init; }
    /// <summary>With <c>--verify</c>: acknowledged turns checked against storage.</summary>
    public LoadVerification? Verification { get; init; }

    /// <summary>Throughput ratios; only without a target rate (at a fixed rate every phase reaches the same throughput).</summary>
    public LoadRatios? Ratios => Phases.Count < 3 || TargetRate > 0 ? null : LoadRatios.Of(Phases[0], Phases[1], Phases[^1]);
}

/// <summary>Runs of the sentence encoder and the texts they encoded; <see cref="MeanBatch"/> is texts per run.</summary>
public sealed record EncoderRuns(long Runs, long Texts)
{
    public double MeanBatch => Runs == 0 ? 0 : Math.Round(Texts / (double)Runs, 2);
}

/// <summary>The send path's throughput relative to the same run's baselines.</summary>
public sealed record LoadRatios(double SendsToStorageBound, double CallsToStorageBound, double SendsToRoundTrip)
{
    public static LoadRatios Of(PhaseReport roundTrip, PhaseReport storageBound, PhaseReport mix) => new(
        Math.Round(mix.SendsPerSecond / Math.Max(0.001, storageBound.SendsPerSecond), 3),
        Math.Round(mix.CallsPerSecond / Math.Max(0.001, storageBound.CallsPerSecond), 3),
        Math.Round(mix.SendsPerSecond / Math.Max(0.001, roundTrip.SendsPerSecond), 3));
}
