using Parley.Abstractions;

namespace Parley.Cli;

/// <summary>
/// Retries of grain calls that failed for a reason that passes: storage or the chat model unavailable
/// (<see cref="ServiceUnavailableException"/>), a silo that died or is leaving (<see cref="SiloUnavailableException"/>,
/// <see cref="OrleansMessageRejectionException"/>, other <see cref="OrleansException"/>s such as a failed activation while
/// storage is down), and timeouts. Callers retry with the same conversation and client message ids, which the grains
/// treat idempotently, so a retry of a call that had in fact succeeded returns the first result.
/// </summary>
public static class Transient
{
    /// <summary>Delays before each retry: 100 ms doubling to 2 s; about 20 s in all, longer than a dead silo's detection.</summary>
    public static readonly IReadOnlyList<TimeSpan> DefaultDelays =
        [.. new[] { 100, 200, 400, 800, 1600, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000 }.Select(ms => TimeSpan.FromMilliseconds(ms))];

    public static bool IsTransient(Exception ex) => ex switch
    {
        ServiceUnavailableException => true,
        ParleyException => false,
        OrleansException or TimeoutException => true,
        Load.HttpLoadException http => http.IsTransient,
        HttpRequestException => true,                                    // connection refused or reset: a front end or silo went away
        TaskCanceledException { InnerException: TimeoutException } => true, // HttpClient's timeout
        AggregateException { InnerExceptions.Count: 1 } a => IsTransient(a.InnerExceptions[0]),
        _ => false,
    };

    /// <summary>The stable name an error is counted under: a Parley error code, else the exception type.</summary>
    public static string Code(Exception ex) => ex switch
    {
        ParleyException p => p.Code,
        Load.HttpLoadException h => h.Code,
        _ => ex.GetType().Name,
    };

    /// <summary>
    /// Runs <paramref name="call"/>, retrying transient failures after each of <paramref name="delays"/> (default
    /// <see cref="DefaultDelays"/>); <paramref name="onError"/> hears of every failed attempt. The last failure, or
    /// any non-transient one, is thrown.
    /// </summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> call, Action<Exception>? onError = null,
        IReadOnlyList<TimeSpan>? delays = null, CancellationToken cancellationToken = default)
    {
        delays ??= DefaultDelays;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (IsTransient(ex) && attempt < delays.Count)
            {
                onError?.Invoke(ex);
                await Task.Delay(delays[attempt], cancellationToken);
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                onError?.Invoke(ex);
                throw;
            }
        }
    }

    /// <inheritdoc cref="RetryAsync{T}(Func{Task{T}}, Action{Exception}?, IReadOnlyList{TimeSpan}?, CancellationToken)"/>
    public static Task RetryAsync(Func<Task> call, Action<Exception>? onError = null,
        IReadOnlyList<TimeSpan>? delays = null, CancellationToken cancellationToken = default) =>
        RetryAsync(async () =>
        {
            await call();
            return true;
        }, onError, delays, cancellationToken);
}
