using AlgoPerf.Actors.Persistence.Journal;
using AlgoPerf.Actors.Persistence.Journal.Snapshots;
using Microsoft.Extensions.Logging;

namespace AlgoPerf.Actors.Persistence;

/// <summary>
/// An event-sourced actor, to Akka.NET's <c>PersistentActor</c> contract. Its state is rebuilt on every start from the
/// newest usable snapshot plus the events after it (<see cref="ReceiveRecover"/>, ending with
/// <see cref="RecoveryCompleted"/>); commands (<see cref="ReceiveCommand"/>) persist events whose handlers run only
/// after the journal made them durable.
/// </summary>
/// <remarks>
/// <para><b>Never blocks.</b> Journal and snapshot I/O run off the actor thread; each outcome comes back as a message.
/// While recovering, and while a <see cref="Persist{TEvent}"/> / <see cref="PersistAll{TEvent}"/> handler is pending,
/// other messages wait in an internal stash (separate from <see cref="ActorBase.Stash"/>) and are handled afterwards
/// in arrival order. <see cref="PersistAsync{TEvent}"/> does not stash. Handlers run in persist order, with the
/// sender of the command that persisted; <see cref="LastSequenceNr"/> is the event's sequence number inside its
/// handler.</para>
/// <para><b>Failure vs rejection.</b> A write whose outcome is unknown (<see cref="JournalWriteFailedException"/>, a
/// sequence conflict, anything but a rejection) calls <see cref="OnPersistFailure"/> and stops the actor: run it under
/// a <see cref="Supervision.BackoffSupervisor"/>, whose restart recovers what landed. A rejected write
/// (<see cref="JournalRejectedException"/>: serialization, stale writer epoch) calls <see cref="OnPersistRejected"/>,
/// stores nothing and the actor goes on (the sequence numbers are reused). A recovery that fails (journal error,
/// unreadable event, exception in <see cref="ReceiveRecover"/>, no progress for
/// <see cref="PersistenceSettings.RecoveryEventTimeout"/>) calls <see cref="OnRecoveryFailure"/> and stops the actor.</para>
/// <para><b>Throttled.</b> A recovery waits for a permit of the runtime's <see cref="RecoveryPermitter"/>
/// (<c>max-concurrent-recoveries</c>).</para>
/// <para><b>Fencing.</b> Every append carries <see cref="WriterEpoch"/>; a stale epoch is a rejection.</para>
/// <para><b>Stopping.</b> Stop a persistent actor with <see cref="StopAfterDrain"/>, which waits its turn behind
/// pending writes and stashed commands; a <see cref="PoisonPill"/> overtakes them.</para>
/// </remarks>
public abstract partial class PersistentActor : ActorBase
{
    private readonly PersistenceRuntime _runtime;
    private readonly Queue<PendingWrite> _queued = new();
    private List<Envelope>? _internalStash;
    private PendingWrite? _inFlight;
    private Task? _inFlightTask;
    private int _pendingStashing;
    private bool _stopping;

    /// <summary>Binds the actor to the shared persistence runtime.</summary>
    /// <param name="persistence">Journal, snapshot store, settings and recovery permitter.</param>
    protected PersistentActor(PersistenceRuntime persistence)
    {
        ArgumentNullException.ThrowIfNull(persistence);
        _runtime = persistence;
    }

    /// <summary>The stream this actor writes (unique; one writer per stream).</summary>
    public abstract string PersistenceId { get; }

    /// <summary>The highest sequence number recovered or persisted (inside a persist handler: the event's).</summary>
    protected long LastSequenceNr { get; private set; }

    /// <summary>True until <see cref="RecoveryCompleted"/> has been delivered.</summary>
    protected bool IsRecovering => _recovery is not null || !_recovered;

    /// <summary>The writer epoch (lease fencing token) put on every append; 0 without a lease.</summary>
    protected virtual long WriterEpoch => 0;

    /// <summary>How to recover (default: newest snapshot and every later event).</summary>
    protected virtual Recovery Recovery => Recovery.Default;

    /// <summary>The shared persistence runtime.</summary>
    protected PersistenceRuntime Persistence => _runtime;

    /// <summary>Writes waiting for the journal (in flight or queued).</summary>
    protected int PendingWrites => _queued.Count + (_inFlight is null ? 0 : 1);

    /// <summary>Handles recovery: a <see cref="SnapshotOffer"/>, then each replayed event, then <see cref="RecoveryCompleted"/>.</summary>
    /// <param name="message">The snapshot offer, a replayed event, or <see cref="RecoveryCompleted"/>.</param>
    protected abstract void ReceiveRecover(object message);

    /// <summary>Handles a command (the default behavior after recovery).</summary>
    /// <param name="message">The command.</param>
    protected abstract void ReceiveCommand(object message);

    /// <inheritdoc />
    protected sealed override void OnReceive(object message) => ReceiveCommand(message);

    /// <summary>
    /// Persists <paramref name="event"/> and, once it is durable, calls <paramref name="handler"/> with it; until then
    /// new commands are stashed. Pass a <see cref="Tagged"/> to tag the event.
    /// </summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <param name="event">The event (a registered event contract).</param>
    /// <param name="handler">Applies the event (runs on the actor thread after the write).</param>
    protected void Persist<TEvent>(TEvent @event, Action<TEvent> handler)
        where TEvent : notnull => Enqueue([@event], handler, stashing: true);

    /// <summary>Persists <paramref name="events"/> atomically (all or none), then calls <paramref name="handler"/> for each, in order; commands are stashed meanwhile.</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <param name="events">The events; nothing happens when empty.</param>
    /// <param name="handler">Applies one event.</param>
    protected void PersistAll<TEvent>(IEnumerable<TEvent> events, Action<TEvent> handler)
        where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(events);
        Enqueue([.. events], handler, stashing: true);
    }

    /// <summary>As <see cref="Persist{TEvent}"/>, but commands keep being handled while the write is pending.</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <param name="event">The event.</param>
    /// <param name="handler">Applies the event after the write.</param>
    protected void PersistAsync<TEvent>(TEvent @event, Action<TEvent> handler)
        where TEvent : notnull => Enqueue([@event], handler, stashing: false);

    /// <summary>As <see cref="PersistAll{TEvent}"/>, but commands keep being handled while the write is pending.</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <param name="events">The events.</param>
    /// <param name="handler">Applies one event after the write.</param>
    protected void PersistAllAsync<TEvent>(IEnumerable<TEvent> events, Action<TEvent> handler)
        where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(events);
        Enqueue([.. events], handler, stashing: false);
    }

    /// <summary>
    /// Calls <paramref name="handler"/> with <paramref name="event"/> once every write persisted before it has been
    /// handled, without persisting anything (Akka's <c>DeferAsync</c>): e.g. a reply that must follow the effects of
    /// earlier <see cref="PersistAsync{TEvent}"/> calls. Commands keep being handled meanwhile; with nothing pending the
    /// handler runs at once. It gets the sender of the command that deferred it. If an earlier write fails, the actor
    /// stops and the handler never runs.
    /// </summary>
    /// <typeparam name="TEvent">The value's type.</typeparam>
    /// <param name="event">The value handed to the handler (not persisted, need not be an event contract).</param>
    /// <param name="handler">Runs on the actor thread after the earlier writes' handlers.</param>
    protected void DeferAsync<TEvent>(TEvent @event, Action<TEvent> handler)
        where TEvent : notnull => Enqueue([@event], handler, stashing: false, persist: false);

    /// <summary>As <see cref="DeferAsync{TEvent}"/>, but new commands are stashed until the handler has run (Akka's <c>Defer</c>).</summary>
    /// <typeparam name="TEvent">The value's type.</typeparam>
    /// <param name="event">The value handed to the handler.</param>
    /// <param name="handler">Runs on the actor thread after the earlier writes' handlers.</param>
    protected void Defer<TEvent>(TEvent @event, Action<TEvent> handler)
        where TEvent : notnull => Enqueue([@event], handler, stashing: true, persist: false);

    /// <summary>
    /// Saves <paramref name="snapshot"/> as the state at <see cref="LastSequenceNr"/>; the outcome arrives as
    /// <see cref="SaveSnapshotSuccess"/> or <see cref="SaveSnapshotFailure"/> (a failure never stops the actor).
    /// </summary>
    /// <param name="snapshot">The state (a registered contract type).</param>
    protected void SaveSnapshot(object snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var metadata = new SnapshotMetadata(PersistenceId, LastSequenceNr, _runtime.TimeProvider.GetUtcNow());
        var store = _runtime.Snapshots;
        Pipe(
            store is null ? Task.FromException(new InvalidOperationException($"'{PersistenceId}': no snapshot store configured")) : Task.Run(() => store.SaveAsync(metadata, snapshot)),
            () => new SaveSnapshotSuccess(metadata),
            e => new SaveSnapshotFailure(metadata, e));
    }

    /// <summary>Deletes the snapshots matching <paramref name="criteria"/>; replies <see cref="DeleteSnapshotsSuccess"/> or <see cref="DeleteSnapshotsFailure"/>.</summary>
    /// <param name="criteria">Which snapshots.</param>
    protected void DeleteSnapshots(SnapshotSelectionCriteria criteria)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        var store = _runtime.Snapshots;
        var id = PersistenceId;
        Pipe(
            store is null ? Task.FromException(new InvalidOperationException($"'{id}': no snapshot store configured")) : Task.Run(() => store.DeleteAsync(id, criteria)),
            () => new DeleteSnapshotsSuccess(criteria),
            e => new DeleteSnapshotsFailure(criteria, e));
    }

    /// <summary>
    /// Deletes the events up to <paramref name="toSequenceNr"/> (inclusive) from replay; replies
    /// <see cref="DeleteMessagesSuccess"/> or <see cref="DeleteMessagesFailure"/>. The stream's highest sequence number
    /// is kept (the journal never lowers it), so later events never reuse a number. A bound above
    /// <see cref="LastSequenceNr"/> is refused, as in Akka.
    /// </summary>
    /// <param name="toSequenceNr">Highest sequence number to delete.</param>
    protected void DeleteMessages(long toSequenceNr)
    {
        if (toSequenceNr > LastSequenceNr)
        {
            Self.Tell(new DeleteMessagesFailure(new ArgumentOutOfRangeException(nameof(toSequenceNr), toSequenceNr, $"'{PersistenceId}': cannot delete up to {toSequenceNr}, the highest sequence number is {LastSequenceNr}"), toSequenceNr), Self);
            return;
        }

        var journal = _runtime.Journal;
        var id = PersistenceId;
        Pipe(Task.Run(() => journal.DeleteMessagesToAsync(id, toSequenceNr)), () => new DeleteMessagesSuccess(toSequenceNr), e => new DeleteMessagesFailure(e, toSequenceNr));
    }

    /// <summary>
    /// A write failed with an unknown outcome; the actor stops right after this returns (a backoff supervisor should
    /// restart it). Default: logs an error.
    /// </summary>
    /// <param name="cause">The journal's error.</param>
    /// <param name="event">The first event of the failed write.</param>
    /// <param name="sequenceNr">Its sequence number.</param>
    protected virtual void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        ArgumentNullException.ThrowIfNull(@event);
        Context.Log.LogError(cause, "{PersistenceId}: failed to persist {Event} at sequence number {SequenceNr}; stopping", PersistenceId, @event.GetType().Name, sequenceNr);
    }

    /// <summary>The journal rejected a write (nothing stored); called for each of its events; the actor continues. Default: logs a warning.</summary>
    /// <param name="cause">The rejection.</param>
    /// <param name="event">A rejected event.</param>
    /// <param name="sequenceNr">The sequence number it would have had.</param>
    protected virtual void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        ArgumentNullException.ThrowIfNull(@event);
        Context.Log.LogWarning(cause, "{PersistenceId}: the journal rejected {Event} at sequence number {SequenceNr}", PersistenceId, @event.GetType().Name, sequenceNr);
    }

    /// <summary>Recovery failed; the actor stops right after this returns. Default: logs an error.</summary>
    /// <param name="reason">The error.</param>
    /// <param name="message">The replayed event being handled, or null.</param>
    protected virtual void OnRecoveryFailure(Exception reason, object? message)
    {
        Context.Log.LogError(reason, "{PersistenceId}: recovery failed at sequence number {SequenceNr} ({Event}); stopping", PersistenceId, LastSequenceNr, message?.GetType().Name ?? "no event");
    }

    internal override void AroundPreStart()
    {
        base.AroundPreStart();
        StartRecovery();
    }

    internal override void AroundPostRestart(Exception reason)
    {
        base.AroundPostRestart(reason);
        StartRecovery();
    }

    internal override void AroundPreRestart(Exception reason, object? message)
    {
        EndRecovery();
        Cell.PendingJournalWrite = _inFlightTask;
        if (_internalStash is { Count: > 0 })
        {
            Cell.Mailbox.Prepend(_internalStash);
            _internalStash = null;
        }

        base.AroundPreRestart(reason, message);
    }

    internal override void AroundPostStop()
    {
        EndRecovery();
        if (_internalStash is not null)
        {
            foreach (var e in _internalStash)
            {
                Cell.System.PublishDeadLetter(e.Message, e.Sender, Self);
            }

            _internalStash = null;
        }

        base.AroundPostStop();
    }

    /// <summary>Runs before the behavior for every user message: handles the runtime's messages and stashes while busy.</summary>
    /// <returns>True when the message was taken here.</returns>
    internal bool InterceptReceive(object message)
    {
        if (message is IPersistenceInternal internalMessage)
        {
            if (ReferenceEquals(internalMessage.Owner, this) && !_stopping)
            {
                HandleInternal(internalMessage);
            }

            return true;
        }

        if (_stopping || !_recovered || _pendingStashing > 0)
        {
            (_internalStash ??= []).Add(Cell.CurrentEnvelope);
            return true;
        }

        return false;
    }

    private void HandleInternal(IPersistenceInternal message)
    {
        switch (message)
        {
            case WriteCompleted completed:
                OnWriteCompleted(completed);
                break;
            default:
                HandleRecoveryMessage(message);
                break;
        }
    }

    private void Enqueue<TEvent>(object[] events, Action<TEvent> handler, bool stashing, bool persist = true)
        where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!_recovered)
        {
            throw new InvalidOperationException($"'{PersistenceId}': cannot persist during recovery (ReceiveRecover must only apply events)");
        }

        if (events.Length == 0)
        {
            return;
        }

        foreach (var e in events)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(events));
        }

        if (!persist && _inFlight is null && _queued.Count == 0)
        {
            // Nothing before it: a deferred handler runs now, as Akka's does.
            handler((TEvent)events[0]);
            return;
        }

        _queued.Enqueue(new PendingWrite(events, e => handler((TEvent)e), stashing, Cell.CurrentEnvelope.Sender) { Persist = persist });
        if (stashing)
        {
            _pendingStashing += events.Length;
        }

        IssueNextWrite();
    }

    /// <summary>
    /// Sends the oldest queued write when none is in flight (one write per stream at a time, in order), first running
    /// the deferred handlers queued before it.
    /// </summary>
    private void IssueNextWrite()
    {
        if (_inFlight is not null || _stopping)
        {
            return;
        }

        PendingWrite? write;
        while (_queued.TryDequeue(out write) && !write.Persist)
        {
            if (write.Stashing)
            {
                _pendingStashing -= 1;
            }

            RunHandlers(write, persisted: false);
            if (_stopping || _inFlight is not null)
            {
                // The handler stopped the actor, or persisted (and so issued its own write).
                return;
            }
        }

        if (write is null || !write.Persist)
        {
            return;
        }

        var first = LastSequenceNr + 1;
        var events = new PendingEvent[write.Events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            events[i] = write.Events[i] is Tagged tagged
                ? new PendingEvent(first + i, tagged.Payload, tagged.Tags)
                : new PendingEvent(first + i, write.Events[i]);
        }

        write.FirstSequenceNr = first;
        _inFlight = write;
        var atomic = new AtomicWrite(PersistenceId, WriterEpoch, events);
        var journal = _runtime.Journal;
        var self = Self;
        var task = Task.Run(() => journal.WriteAsync(atomic));
        _inFlightTask = task;
        task.ContinueWith(
            (t, state) =>
            {
                var (owner, target) = ((PersistentActor, IActorRef))state!;
                target.Tell(new WriteCompleted(owner, t.IsCompletedSuccessfully ? null : Unwrap(t)), null);
            },
            (this, self),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void OnWriteCompleted(WriteCompleted completed)
    {
        var write = _inFlight!;
        _inFlight = null;
        _inFlightTask = null;
        if (write.Stashing)
        {
            _pendingStashing -= write.Events.Length;
        }

        if (completed.Error is null)
        {
            RunHandlers(write, persisted: true);
        }
        else if (completed.Error is JournalRejectedException)
        {
            for (var i = 0; i < write.Events.Length; i++)
            {
                OnPersistRejected(completed.Error, write.Events[i], write.FirstSequenceNr + i);
            }
        }
        else
        {
            _stopping = true;
            _queued.Clear();
            try
            {
                OnPersistFailure(completed.Error, write.Events[0], write.FirstSequenceNr);
            }
            finally
            {
                Context.Stop(Self);
            }

            return;
        }

        IssueNextWrite();
        UnstashIfIdle();
    }

    /// <summary>Runs a write's handlers (or a deferred one's) with the sender of the command that made it.</summary>
    private void RunHandlers(PendingWrite write, bool persisted)
    {
        var previousSender = Cell.CurrentEnvelope.Sender;
        Cell.SetCurrentSender(write.Sender);
        try
        {
            for (var i = 0; i < write.Events.Length; i++)
            {
                if (persisted)
                {
                    LastSequenceNr = write.FirstSequenceNr + i;
                }

                write.Handler(write.Events[i]);
            }
        }
        finally
        {
            Cell.SetCurrentSender(previousSender);
        }
    }

    private void UnstashIfIdle()
    {
        if (_recovered && _pendingStashing == 0 && !_stopping && _internalStash is { Count: > 0 })
        {
            Cell.Mailbox.Prepend(_internalStash);
            _internalStash = null;
        }
    }

    private void Pipe(Task task, Func<object> onSuccess, Func<Exception, object> onFailure)
    {
        var self = Self;
        task.ContinueWith(
            t => self.Tell(t.IsCompletedSuccessfully ? onSuccess() : onFailure(Unwrap(t)), self),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static Exception Unwrap(Task task) => task.Exception?.GetBaseException() ?? new OperationCanceledException("the journal operation was cancelled");

    private sealed class PendingWrite(object[] events, Action<object> handler, bool stashing, IActorRef? sender)
    {
        public object[] Events { get; } = events;

        public Action<object> Handler { get; } = handler;

        public bool Stashing { get; } = stashing;

        public IActorRef? Sender { get; } = sender;

        public long FirstSequenceNr { get; set; }

        /// <summary>False for a deferred handler: nothing to write, it runs when it reaches the head of the queue.</summary>
        public bool Persist { get; init; } = true;
    }

    private sealed record WriteCompleted(PersistentActor Owner, Exception? Error) : IPersistenceInternal;
}

/// <summary>A message between a persistent actor and its own off-thread I/O (never handled by user code).</summary>
internal interface IPersistenceInternal
{
    /// <summary>The incarnation that started the I/O; messages of an earlier incarnation are dropped.</summary>
    PersistentActor Owner { get; }
}
