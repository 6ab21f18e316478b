using System.Diagnostics;
using System.Globalization;
using AlgoPerf.Contracts.Events;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace AlgoPerf.Integration.Tests.Persistence;

/// <summary>
/// Crash safety of the product's SQLite journal (Akka.Persistence.Sql, WAL, synchronous FULL): a child process's
/// persistent actors persist and acknowledge events; it is killed with SIGKILL at a random moment; on reopen every
/// acknowledged event is present exactly once, in order, with its payload, and the database passes an integrity check.
/// The kill moment is seeded and printed, so a failure can be replayed.
/// </summary>
public sealed class JournalCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Streams = 3;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "algoperf-crash-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Journal_ChildKilledWithSigkill_EveryAcknowledgedEventSurvivesExactlyOnceInOrder(int round)
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, $"crash-{round}.db");
        var seed = Environment.TickCount ^ round;
        var random = new Random(seed);
        var acknowledged = new Dictionary<string, long>(StringComparer.Ordinal);

        // Two lives: the second child continues the streams the first left behind, then is killed too.
        for (var life = 0; life < 2; life++)
        {
            var waitForAcks = random.Next(20, 400);
            var extraDelayMs = random.Next(0, 150);
            output.WriteLine($"seed {seed} life {life}: kill after {waitForAcks} acks + {extraDelayMs} ms");
            var acks = await RunChildUntilKilledAsync(path, waitForAcks, TimeSpan.FromMilliseconds(extraDelayMs));
            var inThisLife = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var (stream, seq) in acks)
            {
                // Within a life acks are consecutive; a new life continues after what is stored, which may include
                // events the previous life wrote but was killed before acknowledging.
                if (inThisLife.TryGetValue(stream, out var previous))
                {
                    Assert.True(seq == previous + 1, $"child acknowledged {stream} {seq} after {previous}: acks must be consecutive per stream");
                }
                else
                {
                    Assert.True(seq > acknowledged.GetValueOrDefault(stream), $"life {life} acknowledged {stream} {seq}, not after the earlier life's {acknowledged.GetValueOrDefault(stream)}");
                }

                inThisLife[stream] = seq;
                acknowledged[stream] = seq;
            }
        }

        Assert.NotEmpty(acknowledged);
        foreach (var (stream, lastAcked) in acknowledged)
        {
            var events = await StoredEvents.ReadAsync(path, stream);

            // Every acknowledged event is there; more may be (written but killed before the ack), never fewer, never twice.
            Assert.True(events.Count >= lastAcked, $"{stream}: {events.Count} events stored, {lastAcked} acknowledged");
            var streamIndex = int.Parse(stream["crash-".Length..], CultureInfo.InvariantCulture);
            for (var i = 0; i < events.Count; i++)
            {
                Assert.Equal(i + 1, events[i].SequenceNr);
                Assert.Equal(JournalCrashChild.Payload(streamIndex, i + 1), Assert.IsType<TrialStarted>(events[i].Event));
            }
        }

        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", await check.ExecuteScalarAsync());
    }

    /// <summary>Starts the child, waits for <paramref name="acks"/> acknowledgements plus a delay, SIGKILLs it, and
    /// returns every acknowledgement it printed before dying.</summary>
    private async Task<List<(string Stream, long Seq)>> RunChildUntilKilledAsync(string path, int acks, TimeSpan extraDelay)
    {
        var assembly = typeof(JournalCrashChild).Assembly.Location;
        using var child = DotnetChild.Start(assembly, JournalCrashChild.Mode, path, Streams.ToString(CultureInfo.InvariantCulture));
        var received = new List<(string, long)>();
        var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = child.StandardError.ReadToEndAsync();
        var reader = Task.Run(async () =>
        {
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                var parts = line.Split(' ');
                if (parts is ["ack", var stream, var seq])
                {
                    lock (received)
                    {
                        received.Add((stream, long.Parse(seq, CultureInfo.InvariantCulture)));
                        if (received.Count >= acks)
                        {
                            enough.TrySetResult();
                        }
                    }
                }
            }

            enough.TrySetResult();
        });

        try
        {
            var done = await Task.WhenAny(enough.Task, Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(done == enough.Task, $"the child printed {received.Count} of {acks} acks within 60 s");
            await Task.Delay(extraDelay);
            if (child.HasExited)
            {
                // stderr is complete only once the child is gone, so it is read here and not in a message built eagerly.
                Assert.Fail($"the child exited by itself (code {child.ExitCode}): {await stderr}");
            }
        }
        finally
        {
            // SIGKILL (Process.Kill on Unix), also when an assertion above failed, so no child outlives the test.
            child.Kill();
            await child.WaitForExitAsync();
        }

        await reader;
        Assert.Equal(137, child.ExitCode);
        lock (received)
        {
            return [.. received];
        }
    }
}
