using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Actors.Persistence.Journal.Snapshots;

namespace AlgoPerf.Actors.Persistence;

/// <summary>Recovery: permit, snapshot, replay in batches (off the actor thread), idle timeout, RecoveryCompleted.</summary>
public abstract partial class PersistentActor
{
    private const int ReplayChunk = 256;
    private static readonly object RecoveryTimerKey = new();

    private RecoveryRun? _recovery;
    private bool _recovered;

    private void StartRecovery()
    {
        _recovered = false;
        var run = new RecoveryRun(_runtime.Permitter.Request());
        _recovery = run;
        var self = Self;
        run.Permit.Granted.ContinueWith(
            (_, state) =>
            {
                var (owner, target) = ((PersistentActor, IActorRef))state!;
                target.Tell(new RecoveryPermitGranted(owner), null);
            },
            (this, self),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Returns the permit and stops the replay (recovery finished, failed, or the incarnation ends).</summary>
    private void EndRecovery()
    {
        if (_recovery is { } run)
        {
            _recovery = null;
            run.Permit.Return();
            run.Cancellation.Cancel();
            run.Cancellation.Dispose();
            Context.Timers.Cancel(RecoveryTimerKey);
        }
    }

    private void HandleRecoveryMessage(IPersistenceInternal message)
    {
        var run = _recovery;
        if (run is null)
        {
            return;
        }

        object? current = null;
        try
        {
            switch (message)
            {
                case RecoveryPermitGranted:
                    BeginReplay(run);
                    break;
                case RecoverySnapshot { Snapshot: { } snapshot }:
                    LastSequenceNr = snapshot.Metadata.SequenceNr;
                    current = snapshot;
                    ReceiveRecover(new SnapshotOffer(snapshot.Metadata, snapshot.Snapshot));
                    break;
                case RecoverySnapshot:
                    break;
                case RecoveryEvents events:
                    foreach (var e in events.Events)
                    {
                        current = e.Payload;
                        LastSequenceNr = e.SequenceNr;
                        ReceiveRecover(e.Payload);
                    }

                    break;
                case RecoveryReplayed replayed:
                    LastSequenceNr = Math.Max(LastSequenceNr, replayed.HighestSequenceNr);
                    EndRecovery();
                    _recovered = true;
                    current = RecoveryCompleted.Instance;
                    ReceiveRecover(RecoveryCompleted.Instance);
                    UnstashIfIdle();
                    break;
                case RecoveryFailed failed:
                    FailRecovery(failed.Cause, null);
                    break;
                case RecoveryTick:
                    CheckRecoveryProgress(run);
                    break;
            }
        }
        catch (Exception e) when (!_stopping)
        {
            FailRecovery(e, current);
        }
    }

    private void BeginReplay(RecoveryRun run)
    {
        var timeout = _runtime.Settings.RecoveryEventTimeout;
        var time = _runtime.TimeProvider;
        run.Touch(time);
        Context.Timers.StartSingleTimer(RecoveryTimerKey, new RecoveryTick(this), timeout);
        var recovery = Recovery;
        var id = PersistenceId;
        var self = Self;
        var owner = this;
        var journal = _runtime.Journal;
        var snapshots = _runtime.Snapshots;
        var batchSize = _runtime.Settings.ReplayBatchSize;
        var token = run.Cancellation.Token;
        var previousWrite = Cell.PendingJournalWrite;
        Cell.PendingJournalWrite = null;
        Task.Run(
            async () =>
            {
                if (previousWrite is not null)
                {
                    // The previous incarnation's last write: its outcome (whatever it is) must be settled before the replay.
                    await previousWrite.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).WaitAsync(token).ConfigureAwait(false);
                }

                SelectedSnapshot? snapshot = null;
                if (snapshots is not null && recovery.FromSnapshot.MaxSequenceNr > 0)
                {
                    var criteria = recovery.ToSequenceNr < recovery.FromSnapshot.MaxSequenceNr
                        ? recovery.FromSnapshot with { MaxSequenceNr = recovery.ToSequenceNr }
                        : recovery.FromSnapshot;
                    snapshot = await snapshots.LoadAsync(id, criteria, token).ConfigureAwait(false);
                }

                run.Touch(time);
                self.Tell(new RecoverySnapshot(owner, snapshot), null);
                var highest = await journal.ReadHighestSequenceNrAsync(id, token).ConfigureAwait(false);
                run.Touch(time);
                var from = (snapshot?.Metadata.SequenceNr ?? 0) + 1;
                var to = Math.Min(highest, recovery.ToSequenceNr);
                var left = recovery.ReplayMax;
                var chunk = new List<PersistentRepresentation>(Math.Min(ReplayChunk, batchSize));
                while (from <= to && left > 0)
                {
                    var page = Math.Min(batchSize, left);
                    var count = 0L;
                    await foreach (var e in journal.ReplayAsync(id, from, to, page, token).ConfigureAwait(false))
                    {
                        run.Touch(time);
                        chunk.Add(e);
                        count++;
                        from = e.SequenceNr + 1;
                        if (chunk.Count >= ReplayChunk)
                        {
                            self.Tell(new RecoveryEvents(owner, chunk), null);
                            chunk = new List<PersistentRepresentation>(ReplayChunk);
                        }
                    }

                    left -= count;
                    if (count < page)
                    {
                        break;
                    }
                }

                if (chunk.Count > 0)
                {
                    self.Tell(new RecoveryEvents(owner, chunk), null);
                }

                self.Tell(new RecoveryReplayed(owner, highest), null);
            },
            token).ContinueWith(
            t =>
            {
                if (!t.IsCompletedSuccessfully && !token.IsCancellationRequested)
                {
                    self.Tell(new RecoveryFailed(owner, Unwrap(t)), null);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void CheckRecoveryProgress(RecoveryRun run)
    {
        var timeout = _runtime.Settings.RecoveryEventTimeout;
        var idle = _runtime.TimeProvider.GetUtcNow() - run.LastProgress;
        if (idle >= timeout)
        {
            FailRecovery(new RecoveryTimedOutException($"'{PersistenceId}': recovery made no progress for {idle} (recovery-event-timeout {timeout}) after sequence number {LastSequenceNr}"), null);
        }
        else
        {
            Context.Timers.StartSingleTimer(RecoveryTimerKey, new RecoveryTick(this), timeout - idle);
        }
    }

    private void FailRecovery(Exception cause, object? message)
    {
        EndRecovery();
        _stopping = true;
        try
        {
            OnRecoveryFailure(cause, message);
        }
        finally
        {
            Context.Stop(Self);
        }
    }

    private sealed class RecoveryRun(RecoveryPermit permit)
    {
        private long _lastProgressTicks;

        public RecoveryPermit Permit { get; } = permit;

        public CancellationTokenSource Cancellation { get; } = new();

        public DateTimeOffset LastProgress => new(Volatile.Read(ref _lastProgressTicks), TimeSpan.Zero);

        public void Touch(TimeProvider time) => Volatile.Write(ref _lastProgressTicks, time.GetUtcNow().UtcTicks);
    }

    private sealed record RecoveryPermitGranted(PersistentActor Owner) : IPersistenceInternal;

    private sealed record RecoverySnapshot(PersistentActor Owner, SelectedSnapshot? Snapshot) : IPersistenceInternal;

    private sealed record RecoveryEvents(PersistentActor Owner, IReadOnlyList<PersistentRepresentation> Events) : IPersistenceInternal;

    private sealed record RecoveryReplayed(PersistentActor Owner, long HighestSequenceNr) : IPersistenceInternal;

    private sealed record RecoveryFailed(PersistentActor Owner, Exception Cause) : IPersistenceInternal;

    private sealed record RecoveryTick(PersistentActor Owner) : IPersistenceInternal;
}
