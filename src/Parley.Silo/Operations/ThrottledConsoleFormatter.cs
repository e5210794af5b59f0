using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Parley.Silo.Operations;

/// <summary>Options of <see cref="ThrottledConsoleFormatter"/> (<c>Logging:Console:FormatterOptions</c>).</summary>
public sealed class ThrottledConsoleFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>Entries of one kind (category, event id, exception type) written per <see cref="Window"/>; the rest are counted.</summary>
    public int MaxPerWindow { get; set; } = 5;

    /// <summary>The window of <see cref="MaxPerWindow"/>; an exception's stack trace is written once per window per kind.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The silo's console log format (<c>parley</c>): one line per entry with a UTC time stamp, level and category, like the
/// simple formatter, but a failing silo does not flood its log: entries of one kind (category, event id and exception type)
/// beyond <see cref="ThrottledConsoleFormatterOptions.MaxPerWindow"/> per window are counted and summarised in the next
/// entry of that kind, and an exception's stack trace is written only for the first entry of its kind in a window (later
/// ones carry the exception's type and message).
/// </summary>
public sealed class ThrottledConsoleFormatter : ConsoleFormatter
{
    public const string FormatterName = "parley";

    private readonly ConcurrentDictionary<(string, int, string), Budget> _budgets = new();
    private readonly IOptionsMonitor<ThrottledConsoleFormatterOptions> _options;

    public ThrottledConsoleFormatter(IOptionsMonitor<ThrottledConsoleFormatterOptions> options) : base(FormatterName) => _options = options;

    private sealed class Budget
    {
        public long WindowStart;
        public int Written;
        public int Suppressed;
        public bool StackWritten;
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        var options = _options.CurrentValue;
        var exception = logEntry.Exception;
        var budget = _budgets.GetOrAdd((logEntry.Category, logEntry.EventId.Id, exception?.GetType().FullName ?? ""), _ => new Budget());
        int suppressed;
        bool withStack;
        lock (budget)
        {
            var now = Stopwatch.GetTimestamp();
            if (budget.Written == 0 || Stopwatch.GetElapsedTime(budget.WindowStart, now) >= options.Window)
            {
                (budget.WindowStart, budget.Written, budget.StackWritten) = (now, 0, false);
            }

            if (budget.Written >= options.MaxPerWindow)
            {
                budget.Suppressed++;
                return;
            }

            budget.Written++;
            (suppressed, budget.Suppressed) = (budget.Suppressed, 0);
            withStack = exception is not null && !budget.StackWritten;
            budget.StackWritten |= withStack;
        }

        textWriter.Write(DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
        textWriter.Write(' ');
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write('[');
        textWriter.Write(logEntry.EventId.Id);
        textWriter.WriteLine(']');
        if (suppressed > 0)
        {
            textWriter.WriteLine($"      ({suppressed} more of this kind were not written in the last {options.Window.TotalSeconds:0} s)");
        }

        if (!string.IsNullOrEmpty(message))
        {
            textWriter.Write("      ");
            textWriter.WriteLine(message.Replace(Environment.NewLine, Environment.NewLine + "      ", StringComparison.Ordinal));
        }

        if (exception is not null)
        {
            textWriter.WriteLine(withStack
                ? exception.ToString()
                : $"      {exception.GetType().FullName}: {FirstLine(exception.Message)} (stack trace written earlier in this window)");
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
