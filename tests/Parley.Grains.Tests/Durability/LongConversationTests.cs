using System.Diagnostics;
using Azure.Data.Tables;
using Parley.Grains.Hosting;
using Parley.Hosting;
using Xunit.Abstractions;

namespace Parley.Grains.Tests.Durability;

[Collection(DurableCollection.Name)]
[Trait("Category", "storage")]
public sealed class LongConversationTests(AzuriteFixture storage, ITestOutputHelper output)
{
    private const int Turns = 10_000;
    private const int TurnsPerChunk = 8;

    [Fact]
    public async Task A_10000_turn_conversation_writes_the_same_bytes_per_turn_at_the_end_as_near_the_start()
    {
        var cluster = await DurableCluster.StartAsync(storage.Azurite.ConnectionString, 2);
        try
        {
            var c = await TestConversation.StartAsync(cluster.Client);
            var id = c.Grain.GetPrimaryKeyString();
            var tables = new TableServiceClient(storage.Azurite.ConnectionString);
            var measured = new Dictionary<int, (long Header, long Chunk)>();
            var clock = Stopwatch.StartNew();
            TimeSpan firstThousand = default, beforeLastThousand = default;
            for (var turn = 1; turn <= Turns; turn++)
            {
                if (turn == 1_001)
                {
                    firstThousand = clock.Elapsed;
                }

                if (turn == Turns - 999)
                {
                    beforeLastThousand = clock.Elapsed;
                }

                // Same-length messages, so any growth in bytes per turn would come from the conversation's length.
                await c.Grain.SendAsync(c.UserId, $"m{turn:D6}", $"Question {turn:D6}: how long should I proof a rye loaf?");
                if (turn is 10 or 72 or 9_994 or Turns)
                {
                    measured[turn] = await BytesForTurnAsync(tables, id, turn - 1);
                }
            }

            var perTurn = clock.Elapsed / Turns;
            foreach (var (turn, bytes) in measured.OrderBy(kv => kv.Key))
            {
                output.WriteLine($"turn {turn}: header {bytes.Header} B + chunk {bytes.Chunk} B = {bytes.Header + bytes.Chunk} B written");
            }

            output.WriteLine($"{Turns} durable turns in {clock.Elapsed.TotalSeconds:F1} s: {perTurn.TotalMilliseconds:F2} ms per turn (Azurite, 2 silos)");
            var lastThousand = clock.Elapsed - beforeLastThousand;
            output.WriteLine($"turns 1-1000: {firstThousand.TotalSeconds:F2} s; turns 9001-10000: {lastThousand.TotalSeconds:F2} s; ratio {lastThousand / firstThousand:F2} (reported, not asserted)");

            // Turn 72 and turn 10,000 both complete a chunk (depth % 8 == 7) with a full idempotency window: the bytes written
            // must be equal up to the extra digits of larger turn numbers (depth 71 vs 9999 in 64 remembered ids and 8 exchanges).
            var at72 = measured[72].Header + measured[72].Chunk;
            var atEnd = measured[Turns].Header + measured[Turns].Chunk;
            Assert.InRange(atEnd - at72, -256, 256);

            // Turn 10 and turn 9,994 both write the second exchange of a chunk (depth % 8 == 1): the chunk written must be
            // the same size at both lengths (up to the extra digits of the larger numbers), whatever came before.
            Assert.InRange(measured[9_994].Chunk - measured[10].Chunk, -64, 64);
            Assert.True(atEnd < 64 * 1024, $"a turn writes {atEnd} bytes; expected a small bounded amount");

            var last = await c.TranscriptAsync(skip: Turns - 50, take: 50);
            Assert.Equal(Turns, last.Total);
            Assert.Equal(Enumerable.Range(Turns - 49, 50).Select(t => $"m{t:D6}"), last.Turns.Select(t => t.ClientMessageId));
            var first = await c.TranscriptAsync(skip: 0, take: 50);
            Assert.Equal(Enumerable.Range(1, 50).Select(t => $"m{t:D6}"), first.Turns.Select(t => t.ClientMessageId));
        }
        finally
        {
            await ClusterFixture.StopAsync(cluster);
        }
    }

    // The stored size of the two entities a send writes: the conversation header and the chunk holding the new exchange.
    private static async Task<(long Header, long Chunk)> BytesForTurnAsync(TableServiceClient tables, string conversationId, int depth)
    {
        // Orleans writes the grain key into the partition key with '/' replaced by '_'.
        var chunkKey = $"{conversationId}_0_{depth / TurnsPerChunk}";
        long header = 0, chunk = 0;
        await foreach (var e in tables.GetTableClient(ParleyInfrastructure.TableName(ParleyStorage.Conversations)).QueryAsync<TableEntity>())
        {
            if (e.PartitionKey.Contains(conversationId, StringComparison.Ordinal))
            {
                header = Size(e);
            }
        }

        await foreach (var e in tables.GetTableClient(ParleyInfrastructure.TableName(ParleyStorage.Turns)).QueryAsync<TableEntity>())
        {
            if (e.PartitionKey.EndsWith(chunkKey, StringComparison.Ordinal))
            {
                chunk = Size(e);
            }
        }

        Assert.True(header > 0 && chunk > 0, $"entities not found for {conversationId} depth {depth}");
        return (header, chunk);
    }

    private static long Size(TableEntity e) => e.Where(p => p.Key.StartsWith("Data", StringComparison.Ordinal)).Sum(p => p.Value switch
    {
        byte[] b => b.LongLength,
        BinaryData b => b.ToMemory().Length,
        string s => s.Length * 2L,
        _ => 0L,
    });
}
