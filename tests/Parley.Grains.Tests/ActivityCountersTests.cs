using Parley.Grains.Operations;

namespace Parley.Grains.Tests;

/// <summary>A silo's decisions and endings per minute for the operators' summary: bucketed by minute, kept for an hour.</summary>
[Trait("Category", "unit")]
public sealed class ActivityCountersTests
{
    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Counts_decisions_and_endings_per_minute_and_forgets_them_after_the_window()
    {
        var clock = new Clock(new DateTimeOffset(2026, 11, 27, 10, 0, 30, TimeSpan.Zero));
        var counters = new ActivityCounters(clock);
        counters.Record(Decision.Respond, null);
        counters.Record(Decision.Respond, null);
        counters.Record(Decision.End, EndReason.PersistentAbuse);
        clock.Now = clock.Now.AddSeconds(40); // 10:01:10, the next minute
        counters.RecordEnding(EndReason.UserRequested);

        var minutes = counters.Snapshot();
        Assert.Equal(2, minutes.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero), minutes[0].Minute);
        Assert.Equal(2, minutes[0].Decisions[Decision.Respond.Name()]);
        Assert.Equal(1, minutes[0].Decisions[Decision.End.Name()]);
        Assert.Equal(3, minutes[0].DecisionTotal);
        Assert.Equal(1, minutes[0].Endings[EndReason.PersistentAbuse.Name()]);
        Assert.Empty(minutes[1].Decisions);
        Assert.Equal(1, minutes[1].Endings[EndReason.UserRequested.Name()]);

        clock.Now = new DateTimeOffset(2026, 11, 27, 10, 59, 59, TimeSpan.Zero); // 10:00 is still in the last 60 minutes
        Assert.Equal(2, counters.Snapshot().Count);
        clock.Now = new DateTimeOffset(2026, 11, 27, 11, 0, 0, TimeSpan.Zero); // now it is not
        Assert.Equal([new DateTimeOffset(2026, 11, 27, 10, 1, 0, TimeSpan.Zero)], counters.Snapshot().Select(m => m.Minute));
    }
}
