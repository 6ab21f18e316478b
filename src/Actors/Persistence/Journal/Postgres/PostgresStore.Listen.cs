using Npgsql;

namespace AlgoPerf.Actors.Persistence.Journal.Postgres;

/// <summary>LISTEN/NOTIFY: one held connection per store wakes live queries when any process commits events.</summary>
internal sealed partial class PostgresStore
{
    public override Task WaitForChangeAsync(TimeSpan maxWait, CancellationToken cancellationToken)
    {
        lock (_listenerGate)
        {
            _listener ??= Task.Run(() => ListenAsync(_disposed.Token), CancellationToken.None);
        }

        return base.WaitForChangeAsync(maxWait, cancellationToken);
    }

    /// <summary>
    /// Holds a connection in LISTEN and signals every notification. When the connection fails it reconnects after a
    /// poll interval; meanwhile live queries still poll, so a lost notification only delays, never loses, an event.
    /// </summary>
    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += OnNotification;
                    await using (var listen = new NpgsqlCommand($"LISTEN \"{_channel}\"", connection))
                    {
                        await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    // Events committed between the last poll and LISTEN taking effect are caught by the next poll.
                    SignalChanged();
                    while (true)
                    {
                        await connection.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException)
            {
                await Task.Delay(QueryOptions.PollInterval, Time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e) => SignalChanged();
}
