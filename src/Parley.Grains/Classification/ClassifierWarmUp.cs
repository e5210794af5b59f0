using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Parley.Moderation.Classification;

namespace Parley.Grains.Classification;

/// <summary>
/// Builds the classifier (rules, sentence encoder and heads) and classifies one message while the silo starts, before it takes
/// calls. Without it the first conversation on a silo paid that cost inside its send, and on a loaded machine it could
/// outlast <c>ClassifierTimeout</c>, so the first message went unclassified (a plain reply instead of, say, confirm_end).
/// </summary>
internal sealed class ClassifierWarmUp(IMessageClassifier classifier, ILogger<ClassifierWarmUp> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ClassifierWarmUp), ServiceLifecycleStage.ApplicationServices, _ =>
        {
            var started = Stopwatch.GetTimestamp();
            classifier.Classify("Hello, please close this conversation for me.", ["hi"]);
            logger.LogInformation("Classifier ready in {Milliseconds:0} ms", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return Task.CompletedTask;
        });
}
