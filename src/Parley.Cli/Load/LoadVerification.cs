namespace Parley.Cli.Load;

/// <summary>
/// Acknowledged turns checked against what is stored: every send or edit the service answered must be stored exactly once,
/// under the turn id it was answered with. <see cref="Lost"/>: acknowledged but not stored (or stored under another id);
/// <see cref="Duplicated"/>: extra stored turns carrying an acknowledged client message id; <see cref="StoredUnacknowledged"/>:
/// stored turns whose answer the client never received (a send that failed after it had committed, or was still in
/// flight when the run ended; not an error, since a retry with the same id would return it).
/// </summary>
public sealed record LoadVerification(int Conversations, int Acknowledged, int Lost, int Duplicated, int StoredUnacknowledged, int Unreadable,
    IReadOnlyList<string> Examples)
{
    public static async Task<LoadVerification> CheckAsync(ILoadTarget target, IReadOnlyCollection<AcknowledgedTurn> acknowledged)
    {
        var byConversation = acknowledged.GroupBy(a => (a.ConversationId, a.UserId)).ToList();
        int lost = 0, duplicated = 0, unacknowledged = 0, unreadable = 0;
        var examples = new List<string>();
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(byConversation.Select(async group =>
        {
            await gate.WaitAsync();
            try
            {
                IReadOnlyList<StoredTurn> stored;
                try
                {
                    stored = await Transient.RetryAsync(() => target.ReadAllTurnsAsync(group.Key.ConversationId, group.Key.UserId));
                }
                catch (Exception ex)
                {
                    Interlocked.Increment(ref unreadable);
                    Note($"{group.Key.ConversationId}: unreadable ({Transient.Code(ex)})");
                    return;
                }

                var storedIds = stored.ToDictionary(s => s.TurnId, s => s.ClientMessageId);
                var copies = stored.CountBy(s => s.ClientMessageId).ToDictionary();
                var acked = group.DistinctBy(a => a.ClientMessageId).ToList();
                foreach (var a in acked)
                {
                    if (!storedIds.TryGetValue(a.TurnId, out var id) || id != a.ClientMessageId)
                    {
                        Interlocked.Increment(ref lost);
                        Note($"{a.ConversationId}: {a.ClientMessageId} acknowledged as turn {a.TurnId}, not stored there");
                    }

                    if (copies.GetValueOrDefault(a.ClientMessageId) > 1)
                    {
                        Interlocked.Add(ref duplicated, copies[a.ClientMessageId] - 1);
                        Note($"{a.ConversationId}: {a.ClientMessageId} stored {copies[a.ClientMessageId]} times");
                    }
                }

                var ackedIds = acked.Select(a => a.ClientMessageId).ToHashSet();
                Interlocked.Add(ref unacknowledged, stored.Count(s => !ackedIds.Contains(s.ClientMessageId)));
            }
            finally
            {
                gate.Release();
            }
        }));
        return new LoadVerification(byConversation.Count, acknowledged.Count, lost, duplicated, unacknowledged, unreadable, examples);

        void Note(string example)
        {
            lock (examples)
            {
                if (examples.Count < 20)
                {
                    examples.Add(example);
                }
            }
        }
    }
}
