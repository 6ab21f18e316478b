using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using AlgoPerf.Contracts.Configuration;
using AlgoPerf.Seed.Cli;

namespace AlgoPerf.Seed.Commands.Bench;

/// <summary>What the Akka.NET benchmarks (<c>actors</c>, <c>journal</c>) share: the runtime's name, logging, asks, output.</summary>
internal static class BenchAkka
{
    /// <summary>
    /// Akka logs to standard error through the product's <see cref="StandardErrorLogger"/> (warnings and errors only),
    /// so standard output holds nothing but the figures; Akka's own start-up logger (standard output) is off.
    /// </summary>
    public static Config Logging { get; } = ConfigurationFactory.ParseString($$"""
        akka {
          loggers = ["{{typeof(StandardErrorLogger).FullName}}, {{typeof(StandardErrorLogger).Assembly.GetName().Name}}"]
          loglevel = WARNING
          stdout-loglevel = OFF
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
        }
        """);

    /// <summary>The measured runtime, e.g. <c>akka.net 1.5.75</c> (from the loaded Akka assembly).</summary>
    public static string Runtime { get; } = "akka.net " + AkkaVersion();

    /// <summary>
    /// Asks <paramref name="actor"/> and waits for its answer, failing at once (not at the timeout) when the actor
    /// stops first, e.g. after a failed recovery (Akka logs the cause).
    /// </summary>
    public static async Task<T> AskAsync<T>(IActorRef actor, object message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var answer = actor.Ask<T>(message, timeout, cancellationToken);
        var stopped = actor.WatchAsync(stopWatching.Token);
        var first = await Task.WhenAny(answer, stopped).ConfigureAwait(false);
        if (first != answer)
        {
            // Stopped: the answer may still have come just before the actor stopped.
            if (await Task.WhenAny(answer, Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken)).ConfigureAwait(false) != answer)
            {
                throw new InvalidOperationException($"{actor.Path} stopped before it answered {message.GetType().Name} (see the Akka log above)");
            }
        }

        await stopWatching.CancelAsync().ConfigureAwait(false);
        return await answer.ConfigureAwait(false);
    }

    /// <summary>Prints the figures: one JSON object on one line, or one <c>key value</c> line each.</summary>
    public static async Task WriteAsync(CliContext context, string format, IReadOnlyDictionary<string, object> figures)
    {
        if (format == "json")
        {
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(figures)).ConfigureAwait(false);
            return;
        }

        foreach (var (key, value) in figures)
        {
            await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{key,-28} {value}")).ConfigureAwait(false);
        }
    }

    private static string AkkaVersion()
    {
        var assembly = typeof(ActorSystem).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(informational))
        {
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus < 0 ? informational : informational[..plus];
        }

        return assembly.GetName().Version?.ToString(3) ?? "unknown";
    }
}
