using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Parley.Grains.Conversations;
using Parley.Grains.Hosting;

namespace Parley.Grains.Tests;

/// <summary>Relations between settings that would break stored data or the callers' view of a send are refused at start.</summary>
public sealed class OptionsValidationTests
{
    private static ValidateOptionsResult Validate(ConversationOptions options, TimeSpan? responseTimeout = null) =>
        new ConversationOptionsValidator(Options.Create(new SiloMessagingOptions { ResponseTimeout = responseTimeout ?? TimeSpan.FromSeconds(30) }))
            .Validate(null, options);

    [Fact, Trait("Category", "unit")]
    public void The_defaults_fit_inside_the_default_response_timeout() => Assert.True(Validate(new ConversationOptions()).Succeeded);

    [Fact, Trait("Category", "unit")]
    public void A_chat_timeout_beyond_the_response_timeout_is_refused()
    {
        var result = Validate(new ConversationOptions { ChatTimeout = TimeSpan.FromSeconds(60) });
        Assert.True(result.Failed);
        Assert.Contains("ResponseTimeout", result.FailureMessage);

        // The same numbers pass once Orleans waits long enough.
        Assert.True(Validate(new ConversationOptions { ChatTimeout = TimeSpan.FromSeconds(60) }, TimeSpan.FromSeconds(80)).Succeeded);
    }

    [Fact, Trait("Category", "unit")]
    public void The_chunk_size_is_an_invariant_not_a_setting()
    {
        Assert.True(Validate(new ConversationOptions { TurnsPerChunk = TurnChunkGrain.TurnsPerChunk }).Succeeded);
        var result = Validate(new ConversationOptions { TurnsPerChunk = 16 });
        Assert.True(result.Failed);
        Assert.Contains("TurnsPerChunk", result.FailureMessage);
    }

    [Theory, Trait("Category", "unit")]
    [InlineData(1000, 8, true)]
    [InlineData(10, 10, true)]
    [InlineData(1000, 0, false)]
    [InlineData(10, 11, false)]      // a shard would keep nothing
    [InlineData(100000, 257, false)] // a read asks every shard
    [InlineData(0, 1, false)]
    public void Audit_shards_must_each_keep_at_least_one_entry(int maxEntries, int shards, bool valid)
    {
        var result = new DirectoryOptionsValidator().Validate(null, new DirectoryOptions { MaxAuditEntries = maxEntries, AuditShards = shards });
        Assert.Equal(valid, result.Succeeded);
    }

    [Fact, Trait("Category", "cluster")]
    public async Task A_silo_with_a_chat_timeout_beyond_the_response_timeout_does_not_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            var cluster = await ClusterFixture.StartAsync(new Dictionary<string, string?> { ["Parley:Conversation:ChatTimeout"] = "00:01:00" })
                .WaitAsync(TimeSpan.FromSeconds(120));
            await ClusterFixture.StopAsync(cluster);
        });
        Assert.Contains("ResponseTimeout", error.ToString());
    }
}
