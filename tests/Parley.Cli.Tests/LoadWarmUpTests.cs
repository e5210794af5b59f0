using System.Collections.Concurrent;
using Parley.Cli.Load;

namespace Parley.Cli.Tests;

/// <summary>The load generator's priming pass, against a fake target that records what it is sent (no cluster).</summary>
[Trait("Category", "unit")]
public sealed class LoadWarmUpTests
{
    // Answers every call; no branch ever ends, so every step of every script is played.
    private sealed class RecordingTarget : ILoadTarget
    {
        public ConcurrentBag<string> Texts { get; } = [];
        public ConcurrentBag<string> Conversations { get; } = [];
        private int _turns;

        public string Transport => "fake";

        public Task<string> StartAsync(string key, string userId)
        {
            Conversations.Add(key);
            return Task.FromResult(key);
        }

        public Task<LoadTurn> SendAsync(string conversationId, string userId, string clientMessageId, string text) => Turn(text);

        public Task<LoadTurn> EditAsync(string conversationId, string userId, string turnId, string clientMessageId, string text) => Turn(text);

        public Task RateAsync(string conversationId, string userId, string turnId, bool up) => Task.CompletedTask;

        public Task FeedbackAsync(string conversationId, string userId, string text) => Task.CompletedTask;

        public Task<IReadOnlyList<StoredTurn>> ReadAllTurnsAsync(string conversationId, string userId) => throw new NotSupportedException();

        private Task<LoadTurn> Turn(string text)
        {
            Texts.Add(text);
            return Task.FromResult(new LoadTurn($"0.{Interlocked.Increment(ref _turns)}", "respond"));
        }
    }

    [Fact]
    public async Task The_priming_pass_sends_every_text_of_the_mix_in_one_conversation_per_script()
    {
        var target = new RecordingTarget();
        var runner = new LoadRunner(target, grains: null, "t", LoadMix.Default);
        var recorder = new LoadRecorder();

        await runner.PrimeAsync(recorder, CancellationToken.None);

        Assert.Equal(LoadMix.Default.Count, target.Conversations.Distinct().Count());
        Assert.Equal(LoadMix.Texts(LoadMix.Default).Order(), target.Texts.Order());
        Assert.Equal(LoadMix.Texts(LoadMix.Default).Count, recorder.Sends);
    }

    [Fact]
    public async Task With_unique_texts_the_priming_pass_numbers_every_message_too()
    {
        var target = new RecordingTarget();
        var runner = new LoadRunner(target, grains: null, "t", LoadMix.Default, uniqueTexts: true);

        await runner.PrimeAsync(new LoadRecorder(), CancellationToken.None);

        Assert.Equal(LoadMix.Texts(LoadMix.Default).Count, target.Texts.Distinct().Count());
        Assert.All(target.Texts, t => Assert.Matches(@" \(ref \d+\)$", t));
    }
}
