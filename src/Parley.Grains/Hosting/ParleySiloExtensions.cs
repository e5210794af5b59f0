using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Parley.Moderation.Classification;
using Parley.Moderation.Policy;
using Parley.Moderation.Replies;
using Parley.Moderation.Review;
using Parley.Moderation.Semantic;

namespace Parley.Grains.Hosting;

/// <summary>Registers Parley's grains' services on a silo (the host chooses storage and clustering).</summary>
public static class ParleySiloExtensions
{
    /// <summary>
    /// Adds the classifier, the policy, the reply composer (over any registered <see cref="IChatClient"/>, else the
    /// built-in responder) and their options bound from <paramref name="configuration"/> (sections <c>Parley:*</c>).
    /// </summary>
    public static ISiloBuilder AddParley(this ISiloBuilder silo, IConfiguration? configuration = null)
    {
        var services = silo.Services;
        Bind<ConversationOptions>(services, configuration, ConversationOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConversationOptions>, ConversationOptionsValidator>());
        Bind<FeedbackOptions>(services, configuration, FeedbackOptions.Section);
        Bind<DirectoryOptions>(services, configuration, DirectoryOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DirectoryOptions>, DirectoryOptionsValidator>());
        Bind<OperatorOptions>(services, configuration, OperatorOptions.Section);
        Bind<PolicyOptions>(services, configuration, PolicyOptions.Section);
        Bind<ReplyOptions>(services, configuration, ReplyOptions.Section);
        Bind<ReviewOptions>(services, configuration, ReviewOptions.Section);
        Bind<SemanticOptions>(services, configuration, SemanticOptions.Section);

        // The classifier (and with it the sentence encoder) is built and run once when the silo starts (ClassifierWarmUp),
        // not on the first message; its options are validated against the policy's there, so a bad setting stops the start.
        services.TryAddSingleton<IMessageClassifier>(sp =>
        {
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger<ParleyClassifier>();
            var classifier = ParleyClassifier.CreateDefault(
                sp.GetRequiredService<IOptions<SemanticOptions>>().Value,
                sp.GetRequiredService<IOptions<PolicyOptions>>().Value,
                ex =>
                {
                    ParleyMetrics.SemanticStageFailures.Add(1);
                    log.LogWarning(ex, "Semantic classifier stage failed; this message is classified by the rules alone and adds no strike");
                });
            log.LogInformation("Classifier: {Description}", classifier.Description);
            return classifier;
        });
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Classification.ClassifierWarmUp>();

        // The operators' summary: this silo's decisions and endings per minute, reported to the summary grain.
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<Operations.ActivityCounters>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Operations.ActivityReporter>();
        if (configuration?.GetSection(ChatModelOptions.Section).Get<ChatModelOptions>() is { Endpoint.Length: > 0 } model)
        {
            services.TryAddSingleton(_ => model.CreateClient());
        }

        services.TryAddSingleton<IChatClient, BuiltInChatClient>();

        // The optional second classification stage: a language-model judge for uncertain messages.
        if (configuration?.GetSection(ReviewOptions.Section).Get<ReviewOptions>() is { Endpoint.Length: > 0 } review)
        {
            var judge = new ChatModelOptions { Endpoint = review.Endpoint, Model = review.Model, ApiKey = review.ApiKey };
            services.TryAddSingleton<IClassificationReviewer>(_ => new ChatModelReviewer(judge.CreateClient()));
        }
        services.TryAddSingleton(sp => new ConversationPolicy(sp.GetRequiredService<IOptions<PolicyOptions>>().Value));
        services.TryAddSingleton(sp => new ReplyComposer(sp.GetRequiredService<IChatClient>(), sp.GetRequiredService<IOptions<ReplyOptions>>().Value));
        return silo;
    }

    private static OptionsBuilder<T> Bind<T>(IServiceCollection services, IConfiguration? configuration, string section) where T : class
    {
        var builder = services.AddOptions<T>();
        if (configuration is not null)
        {
            builder.Bind(configuration.GetSection(section));
        }

        return builder;
    }
}
