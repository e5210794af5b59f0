using Orleans.Runtime.Placement;
using Parley.Abstractions;

namespace Parley.Grains.Tests;

/// <summary>Small helpers to drive a conversation as one user.</summary>
public sealed class TestConversation(IClusterClient client, string userId, string? id = null)
{
    private int _sent;

    public string UserId { get; } = userId;

    public IConversationGrain Grain { get; } = client.GetGrain<IConversationGrain>(id ?? Guid.NewGuid().ToString("N"));

    public static async Task<TestConversation> StartAsync(IClusterClient client, string? userId = null, string? locale = null)
    {
        var c = new TestConversation(client, userId ?? "user-" + Guid.NewGuid().ToString("N")[..8]);
        await c.Grain.StartAsync(c.UserId, locale);
        return c;
    }

    /// <summary>Starts a conversation activated on <paramref name="silo"/> (an Orleans placement hint), for tests that need a known spread.</summary>
    public static async Task<TestConversation> StartOnAsync(IClusterClient client, SiloAddress silo)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo);
        try
        {
            return await StartAsync(client);
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    public Task<SendResult> SendAsync(string text) => Grain.SendAsync(UserId, $"msg-{Interlocked.Increment(ref _sent)}", text);

    public async Task<List<Decision>> SendAllAsync(params string[] texts)
    {
        var decisions = new List<Decision>();
        foreach (var t in texts)
        {
            decisions.Add((await SendAsync(t)).Turn.Decision);
        }

        return decisions;
    }

    public Task<TranscriptPage> TranscriptAsync(int? branch = null, int skip = 0, int take = 100) =>
        Grain.GetTranscriptAsync(UserId, branch, skip, take);
}
