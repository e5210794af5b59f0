using System.Diagnostics;
using System.Diagnostics.Metrics;
using Parley.Abstractions;
using Parley.Domain;

namespace Parley.Silo.Operations;

/// <summary>
/// Parley metrics measured where the HTTP API calls the cluster (meter <c>Parley.FrontEnd</c>), so a front end that runs
/// no grains still exports Parley figures at <c>/metrics</c>: user messages by decision, failed conversation calls by error
/// code, and the time of a send as the API sees it (the grain call, including the network hop to the silo). Recorded by an
/// outgoing grain call filter on calls to <see cref="IConversationGrain"/>, in both roles.
/// </summary>
public sealed class FrontEndMetrics : IOutgoingGrainCallFilter
{
    public const string MeterName = "Parley.FrontEnd";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Sends = Meter.CreateCounter<long>("parley.frontend.sends", description: "User messages answered, by decision.");
    private static readonly Counter<long> Errors = Meter.CreateCounter<long>("parley.frontend.errors", description: "Failed conversation calls, by method and error code.");
    private static readonly Histogram<double> SendDuration = Meter.CreateHistogram("parley.frontend.send_duration", "ms", "Time of a send or edit as the front end sees it.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] });

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (context.InterfaceMethod?.DeclaringType != typeof(IConversationGrain))
        {
            await context.Invoke();
            return;
        }

        var start = Stopwatch.GetTimestamp();
        var method = context.MethodName;
        var send = method is nameof(IConversationGrain.SendAsync) or nameof(IConversationGrain.SendStreamingAsync) or nameof(IConversationGrain.EditAsync);
        try
        {
            await context.Invoke();
            if (send && context.Result is SendResult result)
            {
                var decision = result.Turn.Decision.Name();
                Sends.Add(1, new KeyValuePair<string, object?>("decision", decision));
                SendDuration.Record(Stopwatch.GetElapsedTime(start).TotalMilliseconds, new KeyValuePair<string, object?>("outcome", decision));
            }
        }
        catch (Exception ex)
        {
            var code = ex is ParleyException p ? p.Code : ex.GetType().Name;
            Errors.Add(1, new KeyValuePair<string, object?>("method", method), new KeyValuePair<string, object?>("code", code));
            if (send)
            {
                SendDuration.Record(Stopwatch.GetElapsedTime(start).TotalMilliseconds, new KeyValuePair<string, object?>("outcome", code));
            }

            throw;
        }
    }
}
