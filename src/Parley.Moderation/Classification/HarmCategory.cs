namespace Parley.Moderation.Classification;

/// <summary>
/// The categories a user message is scored on. The numeric values index <see cref="MessageClassification.Scores"/>
/// and must not be reordered; the wire names (<see cref="HarmCategories.Name"/>) are what is stored and reported.
/// </summary>
public enum HarmCategory
{
    /// <summary>Insults, degradation or harassment (only abuse when aimed at the assistant or a person).</summary>
    Harassment = 0,
    /// <summary>Threats of harm.</summary>
    Threat = 1,
    /// <summary>Hate against a protected group.</summary>
    Hate = 2,
    /// <summary>Sexual content involving minors.</summary>
    SexualMinors = 3,
    /// <summary>Violent extremism and terrorism (requests for help, praise of attacks, recruitment).</summary>
    ViolentExtremism = 4,
    /// <summary>Requests for mass-casualty weapons (chemical, biological, nuclear, radiological, explosives).</summary>
    MassCasualtyWeapons = 5,
    /// <summary>Requests for, or intent of, serious violence against a person.</summary>
    Violence = 6,
    /// <summary>Thoughts of self-harm or suicide.</summary>
    SelfHarmIdeation = 7,
    /// <summary>Stated intent or plan to self-harm.</summary>
    SelfHarmIntent = 8,
    /// <summary>Requests for self-harm methods or instructions.</summary>
    SelfHarmInstructions = 9,
    /// <summary>An explicit request to end this conversation.</summary>
    EndRequest = 10,
    /// <summary>Profanity. Alone it is not harm.</summary>
    Profanity = 11,
    /// <summary>
    /// A request an assistant should decline, of any kind (fraud, malware, drugs as well as the severe categories above).
    /// Reported and flagged; only the severe categories count towards an ending.
    /// </summary>
    HarmfulRequest = 12,
}

/// <summary>Helpers for <see cref="HarmCategory"/>.</summary>
public static class HarmCategories
{
    /// <summary>All categories, in index order.</summary>
    public static readonly HarmCategory[] All = Enum.GetValues<HarmCategory>();

    /// <summary>Number of categories.</summary>
    public static readonly int Count = All.Length;

    private static readonly string[] Names =
    [
        "harassment", "threat", "hate", "sexual_minors", "violent_extremism", "mass_casualty_weapons",
        "violence", "self_harm_ideation", "self_harm_intent", "self_harm_instructions", "end_request", "profanity",
        "harmful_request",
    ];

    /// <summary>The stable snake_case name used in storage, APIs and reports.</summary>
    public static string Name(this HarmCategory category) => Names[(int)category];

    /// <summary>Parses a stable name back to its category.</summary>
    public static bool TryParse(string name, out HarmCategory category)
    {
        var i = Array.IndexOf(Names, name);
        category = (HarmCategory)Math.Max(i, 0);
        return i >= 0;
    }
}
